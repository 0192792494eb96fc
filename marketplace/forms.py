import datetime

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from accounts.forms import MoveField, TransitionForm
from audit.enums import ErasureReason
from marketplace import services, workflows
from marketplace.enums import (
    ContractType,
    Level1Criterion,
    Level2Criterion,
    PlacementOutcome,
    PlacementState,
    PositionState,
    ProofKind,
    Redirection,
    RedirectionOutcome,
    RefusalReason,
    SubmissionState,
)
from marketplace.models import Candidate, InformationSession, Position, Submission
from reference.forms import CommuneField, JobTitleField, MultipleJobTitleField
from reference.models import Commune, Occupation, Skill

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PositionForm(forms.ModelForm, DsfrBaseForm):
    job_title = JobTitleField(label="Métier (appellation ROME)")
    commune = CommuneField(label="Lieu de travail", help_text="Un arrondissement de Paris ou une commune.")

    class Meta:
        model = Position
        fields = [
            "contract",
            "job_title",
            "commune",
            "contract_type",
            "weekly_hours",
            "start_date",
            "openings",
            "qualification_level",
            "french_level",
            "driving_licence",
            "description",
        ]
        widgets = {"start_date": DATE_INPUT}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = services.contracts_open_to(organisation)
        self.fields["contract"].help_text = "Un marché attribué à votre entreprise, attribué ou en cours d'exécution."


class PositionFilterForm(DsfrBaseForm):
    """The job board's filters; every one is optional. Named in French: they are the page's query string."""

    domaine = forms.ChoiceField(label="Domaine professionnel", required=False)
    commune = forms.ModelChoiceField(
        label="Arrondissement",
        queryset=Commune.objects.paris_arrondissements(),
        required=False,
        to_field_name="code_insee",
        empty_label="Tous les arrondissements",
    )
    type_contrat = forms.ChoiceField(
        label="Type de contrat", choices=[("", "Tous les contrats")] + ContractType.choices, required=False
    )
    depuis = forms.TypedChoiceField(
        label="Publiées",
        choices=[("", "Quelle que soit la date"), ("7", "Ces 7 derniers jours"), ("30", "Ces 30 derniers jours")],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domaine"].choices = [("", "Tous les domaines")] + list(domains)


class PositionStateFilterForm(forms.Form):
    """The state filter of a company's positions (templates/components/filters.html)."""

    etat = forms.ChoiceField(label="État", choices=[("", "Tous les états")] + PositionState.choices, required=False)


class PlacementFilterForm(forms.Form):
    """The placement list's filter (templates/components/filters.html)."""

    etat = forms.ChoiceField(label="État", choices=[("", "Tous les états")] + PlacementState.choices, required=False)


class CandidateSearchForm(forms.Form):
    """The pool's search (templates/components/filters.html); the eligibility filter is the list a dashboard
    counts (``CandidateQuerySet.eligibility_expiring`` and ``eligibility_to_check``)."""

    EXPIRING = "expire-bientot"
    TO_CHECK = "a-verifier"

    q = forms.CharField(label="Nom ou prénom", required=False, max_length=100)
    eligibilite = forms.ChoiceField(label="Éligibilité", required=False)
    offre = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, to_check=False, expiry_days=30, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Toutes"), (self.EXPIRING, f"Expire dans les {expiry_days} jours")]
        if to_check:
            choices.append((self.TO_CHECK, "À vérifier (candidature en cours)"))
        self.fields["eligibilite"].choices = choices


class CandidateForm(forms.ModelForm, DsfrBaseForm):
    level1_criteria = forms.MultipleChoiceField(
        label="Critères de niveau 1 déclarés",
        choices=Level1Criterion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    level2_criteria = forms.MultipleChoiceField(
        label="Critères de niveau 2 déclarés",
        choices=Level2Criterion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    wanted_contract_types = forms.MultipleChoiceField(
        label="Types de contrat souhaités",
        help_text="Aucun coché : tous conviennent.",
        choices=ContractType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    commune = CommuneField(label="Commune de résidence")
    job_titles = MultipleJobTitleField(label="Métiers recherchés")
    consent = forms.BooleanField(
        label=(
            "La personne a lu le texte d'information sur le traitement de ses données "
            f"(version {settings.CANDIDATE_CONSENT_TEXT_VERSION}) et y consent"
        ),
        required=True,
    )

    class Meta:
        model = Candidate
        fields = [
            "first_name",
            "last_name",
            "birth_date",
            "sex",
            "commune",
            "email",
            "phone",
            "situation",
            "level1_criteria",
            "level2_criteria",
            "job_titles",
            "skills",
            "qualification_level",
            "french_level",
            "driving_licence",
            "max_commute_km",
            "available_from",
            "wanted_contract_types",
            "wanted_weekly_hours",
        ]
        widgets = {"birth_date": DATE_INPUT, "available_from": DATE_INPUT}

    # The form's sections, in the order a prescriber fills them in (templates/marketplace/candidate_form.html);
    # skills are picked on a page of their own, once the sought jobs are known (CandidateSkillsForm).
    SECTIONS = [
        ("Identité et contact", ["first_name", "last_name", "birth_date", "sex", "commune", "email", "phone"]),
        ("Situation et critères déclarés", ["situation", "level1_criteria", "level2_criteria"]),
        ("Métiers recherchés et qualification", ["job_titles", "qualification_level", "french_level"]),
        (
            "Mobilité, disponibilité et souhaits",
            ["driving_licence", "max_commute_km", "available_from", "wanted_contract_types", "wanted_weekly_hours"],
        ),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["skills"]
        if self.instance.pk is not None:
            self.fields["consent"].initial = self.instance.has_consent

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def filled_candidate(self):
        """The candidate with the form's values, consent dated when first given, not saved yet:
        ``services.save_candidate`` writes it with ``job_titles`` and ``skills`` from ``cleaned_data``."""
        candidate = super().save(commit=False)
        if candidate.consent_at is None and self.cleaned_data["consent"]:
            candidate.consent_at = timezone.now()
            candidate.consent_text_version = settings.CANDIDATE_CONSENT_TEXT_VERSION
        return candidate


class CandidateSkillsForm(DsfrBaseForm):
    """The ROME skills of the occupations a candidate seeks, proposed to tick: none is chosen for them."""

    skills = forms.ModelMultipleChoiceField(
        label="Compétences", queryset=Skill.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, initial={"skills": list(candidate.skills.values_list("pk", flat=True))}, **kwargs)
        occupations = Occupation.objects.filter(job_titles__in=candidate.job_titles.all()).distinct()
        self.fields["skills"].queryset = Skill.objects.filter(occupations__in=occupations).distinct().order_by("label")
        self.occupations = list(occupations.prefetch_related("skills").order_by("label"))

    def groups(self):
        """(occupation, its skills' checkboxes) for each sought occupation; a skill shared by two shows once."""
        options = {int(str(option.data["value"])): option for option in self["skills"]}
        groups, shown = [], set()
        for occupation in self.occupations:
            pks = [s.pk for s in sorted(occupation.skills.all(), key=lambda s: s.label)]
            pks = [pk for pk in pks if pk in options and pk not in shown]
            shown.update(pks)
            if pks:
                groups.append((occupation, [options[pk] for pk in pks]))
        return groups


class CandidateImportForm(DsfrBaseForm):
    file = forms.FileField(label="Fichier CSV ou Excel (.xlsx)", help_text="Une ligne par candidat ; voir le modèle.")


class EligibilityCheckForm(DsfrBaseForm):
    """One optional proof per criterion: a criterion counts as verified when its proof is given."""

    note = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        declared = set(candidate.level1_criteria) | set(candidate.level2_criteria)
        self.criteria_fields = []
        for level, enum in ((1, Level1Criterion), (2, Level2Criterion)):
            for code, label in enum.choices:
                name = f"proof_{code}"
                self.fields[name] = forms.ChoiceField(
                    label=f"{label}{' (déclaré)' if code in declared else ''}",
                    choices=[("", "Non vérifié")] + ProofKind.choices,
                    required=False,
                )
                self.criteria_fields.append((level, code, name))

    def level_fields(self, level):
        return [self[name] for lvl, _, name in self.criteria_fields if lvl == level]

    def level1_fields(self):
        return self.level_fields(1)

    def level2_fields(self):
        return self.level_fields(2)

    def clean(self):
        cleaned = super().clean()
        cleaned["criteria"] = [
            {"criterion": code, "proof": cleaned[name]} for _, code, name in self.criteria_fields if cleaned.get(name)
        ]
        if not cleaned["criteria"]:
            raise forms.ValidationError("Indiquez au moins un critère vérifié, avec son justificatif.")
        return cleaned


class SubmitForm(DsfrBaseForm):
    position = forms.ModelChoiceField(label="Offre", queryset=Position.objects.none())
    note = forms.CharField(label="Message au facilitateur", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = Position.objects.published().for_display()


class ProposeForm(DsfrBaseForm):
    """A prescriber proposes one of its candidates for one position (from the offer's page)."""

    candidate = forms.ModelChoiceField(
        label="Candidat de votre vivier",
        queryset=Candidate.objects.none(),
        empty_label="Sélectionner un candidat",
        help_text="Les personnes qui ont donné leur consentement et ne sont pas déjà positionnées sur cette offre.",
    )
    note = forms.CharField(label="Message au facilitateur", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, position, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = (
            Candidate.objects.visible_to(organisation)
            .consenting()
            .filter(anonymised_at=None)
            .exclude(submissions__position=position)
            .order_by("last_name", "first_name", "pk")
        )
        self.fields["candidate"].label_from_instance = lambda c: f"{c.last_name} {c.first_name}"


# What each move of a submission is called as a button, and what an irreversible one does, said before it is done.
MOVES = {
    SubmissionState.PRESELECTED: "Présélectionner",
    SubmissionState.SENT_TO_COMPANY: "Transmettre à l'entreprise",
    SubmissionState.INTERVIEW: "Convoquer en entretien",
    SubmissionState.HIRED: "Embaucher",
    SubmissionState.REFUSED: "Refuser la candidature",
    SubmissionState.WITHDRAWN: "Retirer la candidature",
}
IRREVERSIBLE_MOVES = {
    SubmissionState.REFUSED: (
        "La candidature sera refusée pour de bon : elle ne pourra plus avancer. Le prescripteur en est informé, "
        "avec le motif choisi, pour accompagner la personne vers une autre offre."
    ),
    SubmissionState.WITHDRAWN: (
        "La candidature sera retirée pour de bon : le facilitateur et l'entreprise ne la verront plus avancer. "
        "Pour proposer de nouveau la personne sur cette offre, il faudra l'accord du facilitateur."
    ),
}


class SubmissionTransitionForm(TransitionForm):
    """One move of a submission, among those this organisation may make now (``Workflow.moves``): the refusal's
    code only for a refusal, where it is required; the hiring fields (the position's by default) only for a hire.
    ``target`` is hidden: each move is its own form and button."""

    target = MoveField(widget=forms.HiddenInput)
    refusal_reason = forms.ChoiceField(
        label="Motif du refus",
        choices=[("", "Sélectionner un motif")] + RefusalReason.choices,
        error_messages={"required": "Choisissez le motif du refus dans la liste."},
    )
    contract_type = forms.ChoiceField(
        label="Type de contrat", choices=[("", "Celui de l'offre")] + ContractType.choices, required=False
    )
    start_date = forms.DateField(label="Date de début", widget=DATE_INPUT, required=False)
    planned_end_date = forms.DateField(label="Date de fin prévue", widget=DATE_INPUT, required=False)
    weekly_hours = forms.DecimalField(
        label="Heures hebdomadaires", min_value=1, max_value=48, decimal_places=1, required=False
    )

    HIRE_FIELDS = ("contract_type", "start_date", "planned_end_date", "weekly_hours")
    field_order = ["target", "refusal_reason", "reason", *HIRE_FIELDS]

    def __init__(self, *args, submission, organisation, target=None, **kwargs):
        target = target or (args[0].get("target") if args and args[0] else None)
        kwargs.setdefault("auto_id", f"id_{target or 'move'}_%s")
        super().__init__(
            *args,
            workflow=workflows.SUBMISSION,
            obj=submission,
            organisation=organisation,
            initial={"target": target},
            **kwargs,
        )
        self.fields["target"].choices = [(move.target, MOVES[move.target]) for move in self.moves]
        self.target_state = target
        if target not in workflows.REASON_REQUIRED:
            del self.fields["refusal_reason"]
        if target != SubmissionState.HIRED:
            for name in self.HIRE_FIELDS:
                del self.fields[name]

    @property
    def label(self):
        return MOVES.get(self.target_state, "")

    @property
    def consequence(self):
        return IRREVERSIBLE_MOVES.get(self.target_state, "")

    def service_kwargs(self):
        return {
            **super().service_kwargs(),
            "refusal_reason": self.cleaned_data.get("refusal_reason", ""),
            "hire": {name: self.cleaned_data.get(name) for name in self.HIRE_FIELDS},
        }


class RefusePlacementForm(TransitionForm):
    """Refusing a hire is final: the reason goes to the company. Confirmed in a modal, or on its own page."""

    CONSEQUENCE = (
        "La mise à l'emploi sera refusée pour de bon : ses heures ne compteront pas pour la clause, le poste redevient "
        "ouvert et l'entreprise reçoit le motif ci-dessous."
    )
    target = MoveField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Motif du refus, transmis à l'entreprise", widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )

    def __init__(self, *args, placement, organisation, **kwargs):
        super().__init__(
            *args,
            workflow=workflows.PLACEMENT,
            obj=placement,
            organisation=organisation,
            initial={"target": PlacementState.REFUSED},
            **kwargs,
        )


class OutcomeForm(DsfrBaseForm):
    """Nothing is chosen in advance: a wrong situation would count (or not) as a durable exit in the reports."""

    outcome = forms.ChoiceField(
        label="Situation à la fin du contrat",
        choices=[("", "Sélectionner une situation")] + PlacementOutcome.choices,
    )


class AnonymiseForm(DsfrBaseForm):
    CONSEQUENCE = (
        "Les données de la personne seront effacées pour de bon : nom, contact, jour et mois de naissance, situation, "
        "critères, messages et justificatifs. Ses candidatures, mises à l'emploi et heures validées restent "
        "comptées, sans la désigner."
    )
    reason = forms.ChoiceField(
        label="Motif",
        choices=[("", "Sélectionner un motif")]
        + [(c, label) for c, label in ErasureReason.choices if c != ErasureReason.RETENTION],
    )
    reference = forms.CharField(
        label="Référence de la demande",
        help_text="Numéro de courrier ou de ticket, pour retrouver la demande : ni nom ni coordonnées.",
        max_length=100,
        required=False,
    )
    confirm = forms.BooleanField(
        label="Je confirme l'anonymisation : elle est définitive.",
        required=True,
    )


# --- Information sessions ----------------------------------------------------------------------------------


def position_label(position):
    return f"{position.job_title.label} – {position.company.name} ({position.commune})"


class PositionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, position):
        return position_label(position)


class PositionsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, position):
        return position_label(position)


class SessionForm(forms.ModelForm, DsfrBaseForm):
    """Plans or changes an information session: the day and times are typed apart, as people say them."""

    positions = PositionsChoiceField(
        label="Offres présentées",
        help_text="Une ou plusieurs offres ouvertes, d'une ou de plusieurs entreprises.",
        queryset=Position.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    day = forms.DateField(label="Date", widget=DATE_INPUT)
    start_time = forms.TimeField(label="Heure de début", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label="Heure de fin", widget=forms.TimeInput(attrs={"type": "time"}))
    commune = CommuneField(label="Arrondissement ou commune", required=False)
    online_link = forms.URLField(
        label="Lien de connexion", help_text="Pour une session à distance.", assume_scheme="https", required=False
    )

    class Meta:
        model = InformationSession
        fields = ["title", "positions", "is_online", "address", "commune", "online_link", "capacity"]
        help_texts = {
            "address": "Sauf si la session se tient à distance.",
            "online_link": "Pour une session à distance.",
        }

    field_order = ["title", "positions", "day", "start_time", "end_time"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        session = self.instance
        offered = Q(state=PositionState.OPEN)
        if session.pk:
            offered |= Q(pk__in=session.positions.values("pk"))
        self.fields["positions"].queryset = (
            Position.objects.filter(offered).for_display().order_by("company__name", "job_title__label", "pk")
        )
        if session.pk:
            starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
            self.initial.update(day=starts.date(), start_time=starts.time(), end_time=ends.time())

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start and end:
            zone = timezone.get_current_timezone()
            self.instance.starts_at = timezone.make_aware(datetime.datetime.combine(day, start), zone)
            self.instance.ends_at = timezone.make_aware(datetime.datetime.combine(day, end), zone)
            if end <= start:
                self.add_error("end_time", "L'heure de fin doit suivre l'heure de début.")
        return cleaned


class SessionCancelForm(DsfrBaseForm):
    """Cancelling a session is final: confirmed first (a modal, or a page without JavaScript)."""

    CONSEQUENCE = (
        "L'information collective sera annulée pour de bon : les invitations en attente ou confirmées sont retirées, "
        "les prescripteurs et les entreprises sont prévenus. Les candidatures restent à présélectionner."
    )
    reason = forms.CharField(
        label="Motif de l'annulation", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000
    )


class SessionInviteForm(DsfrBaseForm):
    """The facilitator invites people from the submissions to the session's positions, still to preselect."""

    submissions = forms.ModelMultipleChoiceField(
        label="Candidatures à ces offres", queryset=Submission.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, submissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submissions"].queryset = submissions
        self.fields["submissions"].label_from_instance = lambda s: (
            f"{s.candidate.full_name} ({s.candidate.prescriber.name}) – {s.position.job_title.label}, "
            f"{s.position.company.name}"
        )


class SessionRegisterForm(DsfrBaseForm):
    """A prescriber signs up one of the people it follows for one of the session's positions."""

    candidate = forms.ModelChoiceField(label="Personne de votre vivier", queryset=Candidate.objects.none())
    position = PositionChoiceField(label="Offre", queryset=Position.objects.none())

    def __init__(self, *args, candidates, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = candidates
        self.fields["position"].queryset = positions


# Moves of an invitation that end the person's way through the session: confirmed first (a modal, or a page
# without JavaScript), saying what follows. The others move forward, one button each.
INVITATION_CONSEQUENCES = {
    "decline": "La personne ne viendra pas : sa place se libère et le facilitateur en est prévenu.",
    "withdraw": "L'invitation sera retirée : la place se libère et le prescripteur de la personne en est prévenu.",
    "not_retain": (
        "La candidature de la personne à cette offre sera refusée pour de bon, avec ce motif, que son prescripteur "
        "reçoit pour l'accompagner vers une autre offre."
    ),
    "redirect": (
        "La candidature de la personne à cette offre sera close pour de bon ; son prescripteur apprend vers quoi "
        "elle est réorientée. Vous noterez plus tard la suite de la réorientation."
    ),
}


class InvitationMoveForm(DsfrBaseForm):
    """One move of an invitation, among those ``INVITATION_WORKFLOW.moves`` offers this organisation now: the motive
    only when not retaining the person, the redirection only when redirecting them (both required there)."""

    target = forms.ChoiceField(widget=forms.HiddenInput)
    not_retained_reason = forms.ChoiceField(
        label="Motif",
        choices=[("", "Sélectionner un motif")]
        + [(c, label) for c, label in RefusalReason.choices if c != RefusalReason.REDIRECTED],
        error_messages={"required": "Choisissez dans la liste pourquoi la personne n'est pas retenue."},
    )
    redirection = forms.ChoiceField(
        label="Réorientée vers",
        choices=[("", "Sélectionner une réorientation")] + Redirection.choices,
        error_messages={"required": "Choisissez dans la liste vers quoi la personne est réorientée."},
    )
    reason = forms.CharField(
        label="Commentaire", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000
    )

    def __init__(self, *args, moves, target=None, **kwargs):
        target = target or (args[0].get("target") if args and args[0] else None)
        kwargs.setdefault("auto_id", f"id_{target or 'move'}_%s")
        super().__init__(*args, initial={"target": target}, **kwargs)
        self.fields["target"].choices = [(m.target, m.label) for m in moves]
        self.move = next((m for m in moves if m.target == target), None)
        name = self.move.name if self.move else ""
        if name != "not_retain":
            del self.fields["not_retained_reason"]
        if name != "redirect":
            del self.fields["redirection"]

    @property
    def move_target(self):
        """The state this form's move goes to (``target`` is its field)."""
        return self.move.target if self.move else ""

    @property
    def label(self):
        return self.move.label if self.move else ""

    @property
    def consequence(self):
        return INVITATION_CONSEQUENCES.get(self.move.name, "") if self.move else ""

    def service_kwargs(self):
        return {
            "target": self.cleaned_data["target"],
            "reason": self.cleaned_data["reason"],
            "not_retained_reason": self.cleaned_data.get("not_retained_reason", ""),
            "redirection": self.cleaned_data.get("redirection", ""),
        }


class RedirectionOutcomeForm(DsfrBaseForm):
    outcome = forms.ChoiceField(label="Suite de la réorientation", choices=RedirectionOutcome.choices)
