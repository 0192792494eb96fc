from django import forms
from django.conf import settings
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from audit.enums import ErasureReason
from marketplace import services, workflows
from marketplace.enums import (
    ContractType,
    Level1Criterion,
    Level2Criterion,
    PlacementOutcome,
    ProofKind,
    RefusalReason,
    SubmissionState,
)
from marketplace.models import Candidate, Position
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
    """The job board's filters; every one is optional."""

    domain = forms.ChoiceField(label="Domaine professionnel", required=False)
    commune = forms.ModelChoiceField(
        label="Arrondissement",
        queryset=Commune.objects.paris_arrondissements(),
        required=False,
        to_field_name="code_insee",
    )
    contract_type = forms.ChoiceField(
        label="Type de contrat", choices=[("", "Tous")] + ContractType.choices, required=False
    )

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", "Tous")] + list(domains)


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
        widgets = {"birth_date": DATE_INPUT, "available_from": DATE_INPUT, "skills": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # Skills are prefilled from the sought jobs once the candidate exists, then edited here.
            del self.fields["skills"]
        else:
            self.fields["consent"].initial = self.instance.has_consent
            self.fields["skills"].queryset = Skill.objects.filter(
                occupations__in=Occupation.objects.filter(job_titles__in=self.instance.job_titles.all())
            ).distinct()
            self.fields["skills"].help_text = "Compétences des métiers ROME recherchés : décochez celles qui manquent."

    def filled_candidate(self):
        """The candidate with the form's values, consent dated when first given, not saved yet:
        ``services.save_candidate`` writes it with ``job_titles`` and ``skills`` from ``cleaned_data``."""
        candidate = super().save(commit=False)
        if candidate.consent_at is None and self.cleaned_data["consent"]:
            candidate.consent_at = timezone.now()
            candidate.consent_text_version = settings.CANDIDATE_CONSENT_TEXT_VERSION
        return candidate


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


class TransitionForm(DsfrBaseForm):
    """Moves a submission; the hiring fields only matter when moving to "hired"."""

    to = forms.ChoiceField(label="Nouvel état")
    reason = forms.ChoiceField(
        label="Motif (obligatoire en cas de refus)", choices=[("", "—")] + RefusalReason.choices, required=False
    )
    note = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    contract_type = forms.ChoiceField(
        label="Type de contrat (embauche)", choices=[("", "Celui de l'offre")] + ContractType.choices, required=False
    )
    start_date = forms.DateField(label="Date de début (embauche)", widget=DATE_INPUT, required=False)
    planned_end_date = forms.DateField(label="Date de fin prévue (embauche)", widget=DATE_INPUT, required=False)
    weekly_hours = forms.DecimalField(
        label="Heures hebdomadaires (embauche)", min_value=1, max_value=48, decimal_places=1, required=False
    )

    HIRE_FIELDS = ("contract_type", "start_date", "planned_end_date", "weekly_hours")

    def __init__(self, *args, submission, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        targets = workflows.available_targets(source=submission.state, organisation=organisation)
        self.fields["to"].choices = [(t, SubmissionState(t).label) for t in targets]
        self.can_hire = SubmissionState.HIRED in targets

    @property
    def hire_data(self):
        return {name: self.cleaned_data.get(name) for name in self.HIRE_FIELDS}


class DecisionForm(DsfrBaseForm):
    note = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OutcomeForm(DsfrBaseForm):
    outcome = forms.ChoiceField(label="Situation à la fin du contrat", choices=PlacementOutcome.choices)


class AnonymiseForm(DsfrBaseForm):
    reason = forms.ChoiceField(
        label="Motif", choices=[(c, label) for c, label in ErasureReason.choices if c != ErasureReason.RETENTION]
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
