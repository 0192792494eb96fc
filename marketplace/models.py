"""Positions, candidates' pools, eligibility checks, submissions and placements.

Who may see a row is decided once per model, by its ``visible_to(organisation)`` queryset; the
submission workflow lives in ``marketplace.workflows`` and the steps that change several rows in
``marketplace.services``.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from accounts import perms
from accounts.enums import OrganisationKind
from accounts.workflows import TransitionLog
from marketplace.enums import (
    ACTIVE_SUBMISSION_STATES,
    DURABLE_OUTCOMES,
    ContractType,
    FrenchLevel,
    ImportState,
    InvitationState,
    Level1Criterion,
    Level2Criterion,
    PlacementOutcome,
    PlacementState,
    PositionState,
    ProofKind,
    QualificationLevel,
    Redirection,
    RedirectionOutcome,
    RefusalReason,
    SessionState,
    Sex,
    Situation,
    SubmissionState,
)


def _is(organisation, kind):
    return organisation is not None and organisation.kind == kind


class PositionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=PositionState.OPEN)

    def visible_to(self, organisation):
        """Open positions are public; a company also sees its own drafts and closed ones, a buyer
        those on its contracts, the facilitator all."""
        if perms.sees_everything(organisation):
            return self
        if _is(organisation, OrganisationKind.COMPANY):
            return self.filter(models.Q(state=PositionState.OPEN) | models.Q(company=organisation))
        if _is(organisation, OrganisationKind.BUYER):
            return self.filter(models.Q(state=PositionState.OPEN) | models.Q(contract__buyer=organisation))
        return self.published()

    def concerning(self, organisation):
        """Positions an organisation follows: a company its own, a buyer those on its contracts, the facilitator
        every one."""
        if perms.sees_everything(organisation):
            return self
        if _is(organisation, OrganisationKind.COMPANY):
            return self.filter(company=organisation)
        if _is(organisation, OrganisationKind.BUYER):
            return self.filter(contract__buyer=organisation)
        return self.none()

    def managed_by(self, organisation):
        """Positions the organisation may edit: a company its own (the facilitator reads, never edits)."""
        if _is(organisation, OrganisationKind.COMPANY):
            return self.filter(company=organisation)
        return self.none()

    def for_display(self):
        return self.select_related("job_title__occupation", "commune", "contract__buyer", "company")


class Position(models.Model):
    """An offer (*offre*) a company posts on a contract it holds, to meet its clause."""

    contract = models.ForeignKey(
        "procurement.Contract", on_delete=models.PROTECT, related_name="positions", verbose_name="marché"
    )
    company = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="positions", verbose_name="entreprise"
    )
    job_title = models.ForeignKey(
        "reference.JobTitle", on_delete=models.PROTECT, related_name="+", verbose_name="métier (appellation ROME)"
    )
    commune = models.ForeignKey(
        "reference.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="lieu de travail"
    )
    contract_type = models.CharField("type de contrat", max_length=30, choices=ContractType.choices)
    weekly_hours = models.DecimalField(
        "heures hebdomadaires",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(48)],
    )
    start_date = models.DateField("date de début")
    openings = models.PositiveSmallIntegerField(
        "nombre de postes", default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    qualification_level = models.CharField(
        "niveau de qualification requis", max_length=2, choices=QualificationLevel.choices, blank=True
    )
    french_level = models.CharField(
        "niveau de français requis (CECRL)", max_length=2, choices=FrenchLevel.choices, blank=True
    )
    driving_licence = models.BooleanField("permis B requis", default=False)
    description = models.TextField("description du poste", blank=True)
    state = models.CharField("état", max_length=20, choices=PositionState.choices, default=PositionState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("créée le", default=timezone.now)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = "offre"
        ordering = ["-created_at", "-pk"]
        # The job board lists open positions, newest first.
        indexes = [models.Index(fields=["state", "-created_at"], name="position_board_idx")]

    def __str__(self):
        return f"{self.job_title} – {self.company}"


class PositionTransition(TransitionLog):
    """One change of state of a position (``marketplace.workflows.POSITION``)."""

    states = PositionState

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="transitions", verbose_name="offre")

    class Meta(TransitionLog.Meta):
        verbose_name = "changement d'état d'une offre"
        verbose_name_plural = "changements d'état des offres"


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """A prescriber sees its own pool only; the facilitator every pool; nobody else any."""
        if perms.sees_everything(organisation):
            return self
        if _is(organisation, OrganisationKind.PRESCRIBER):
            return self.filter(prescriber=organisation)
        return self.none()

    def consenting(self):
        """No consent, no processing: only these may be submitted or matched."""
        return self.exclude(consent_at=None)

    def eligibility_to_check(self, day):
        """People with a submission in progress and no eligibility valid on ``day``: the facilitator's queue.
        ``waiting_since`` is the day their oldest submission in progress was made."""
        return (
            self.filter(submissions__state__in=ACTIVE_SUBMISSION_STATES)
            .exclude(pk__in=EligibilityCheck.objects.valid_on(day).values("candidate_id"))
            .annotate(waiting_since=models.Min("submissions__created_at"))
        )

    def eligibility_expiring(self, day, days):
        """People whose last favourable eligibility check runs out within ``days`` days of ``day``
        (``eligible_until``): the prescriber asks for a new check before it lapses."""
        until = models.Max("eligibility_checks__valid_until", filter=models.Q(eligibility_checks__is_eligible=True))
        return (
            self.filter(anonymised_at=None)
            .annotate(eligible_until=until)
            .filter(eligible_until__gte=day, eligible_until__lte=day + datetime.timedelta(days=days))
        )


class Candidate(models.Model):
    """A person followed by a prescriber (*candidat*, *participant*)."""

    prescriber = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="candidates", verbose_name="prescripteur"
    )
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    birth_date = models.DateField("date de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    commune = models.ForeignKey(
        "reference.Commune", on_delete=models.PROTECT, related_name="+", verbose_name="commune de résidence"
    )
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    consent_at = models.DateTimeField("consentement recueilli le", null=True, blank=True)
    consent_text_version = models.CharField("version du texte de consentement", max_length=20, blank=True)
    situation = models.CharField("situation", max_length=30, choices=Situation.choices)
    level1_criteria = models.JSONField("critères de niveau 1 déclarés", default=list, blank=True)
    level2_criteria = models.JSONField("critères de niveau 2 déclarés", default=list, blank=True)
    job_titles = models.ManyToManyField(
        "reference.JobTitle", related_name="+", verbose_name="métiers recherchés (appellations ROME)"
    )
    skills = models.ManyToManyField("reference.Skill", related_name="+", verbose_name="compétences", blank=True)
    qualification_level = models.CharField("niveau de qualification", max_length=2, choices=QualificationLevel.choices)
    french_level = models.CharField("niveau de français (CECRL)", max_length=2, choices=FrenchLevel.choices)
    driving_licence = models.BooleanField("permis B", default=False)
    max_commute_km = models.PositiveSmallIntegerField(
        "distance maximale de trajet (km)", default=10, validators=[MaxValueValidator(200)]
    )
    available_from = models.DateField("disponible à partir du")
    # Wishes the matcher weighs (empty: anything suits); never a hard filter.
    wanted_contract_types = models.JSONField(
        "types de contrat souhaités", default=list, blank=True, help_text="Aucun coché : tous conviennent."
    )
    wanted_weekly_hours = models.PositiveSmallIntegerField(
        "heures par semaine souhaitées", null=True, blank=True, validators=[MaxValueValidator(48)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", default=timezone.now)
    # Set when the person's data was erased (on request or after the retention period): the row stays
    # for the hours and figures it counts in, and can no longer be edited, submitted or matched.
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = "candidat"
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["prescriber", "last_name"], name="candidate_pool_idx")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def wanted_contract_types_display(self):
        labels = dict(ContractType.choices)
        return ", ".join(labels.get(value, value) for value in self.wanted_contract_types)

    @property
    def has_consent(self):
        return self.consent_at is not None

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None

    def age_on(self, day):
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def get_level1_criteria_display(self):
        return [Level1Criterion(c).label for c in self.level1_criteria]

    def get_level2_criteria_display(self):
        return [Level2Criterion(c).label for c in self.level2_criteria]


def criteria_make_eligible(codes):
    """One level-1 criterion, or at least ``ELIGIBILITY_LEVEL2_MIN`` level-2 ones."""
    codes = set(codes)
    level1 = codes & set(Level1Criterion.values)
    level2 = codes & set(Level2Criterion.values)
    return bool(level1) or len(level2) >= settings.ELIGIBILITY_LEVEL2_MIN


class EligibilityCheckQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """Eligibility is seen by the facilitator and the candidate's own prescriber only."""
        if perms.sees_everything(organisation):
            return self
        if _is(organisation, OrganisationKind.PRESCRIBER):
            return self.filter(candidate__prescriber=organisation)
        return self.none()

    def valid_on(self, day):
        return self.filter(is_eligible=True, checked_at__date__lte=day, valid_until__gte=day)


class EligibilityCheck(models.Model):
    """The facilitator's check of a candidate's criteria, each with the kind of proof it saw."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="eligibility_checks", verbose_name="candidat"
    )
    # [{"criterion": <Level1Criterion or Level2Criterion value>, "proof": <ProofKind value>}, ...]
    criteria = models.JSONField("critères vérifiés")
    is_eligible = models.BooleanField("éligible")
    note = models.TextField("commentaire", blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="vérifié par"
    )
    checked_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="organisation"
    )
    checked_at = models.DateTimeField("vérifié le", default=timezone.now)
    valid_until = models.DateField("valable jusqu'au")

    objects = EligibilityCheckQuerySet.as_manager()

    class Meta:
        verbose_name = "vérification d'éligibilité"
        ordering = ["-checked_at", "-pk"]

    def __str__(self):
        return f"Éligibilité de {self.candidate} au {self.checked_at:%d/%m/%Y}"

    @property
    def criterion_codes(self):
        return [item["criterion"] for item in self.criteria]

    def is_valid_on(self, day):
        return self.is_eligible and self.checked_at.date() <= day <= self.valid_until

    def criteria_display(self):
        labels = {**dict(Level1Criterion.choices), **dict(Level2Criterion.choices)}
        return [(labels[item["criterion"]], ProofKind(item["proof"]).label) for item in self.criteria]


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """The facilitator sees all; a prescriber its own candidates' submissions; a company those to
        its positions once they reached it (from "sent to company" on); a buyer none (counts only)."""
        if perms.sees_everything(organisation):
            return self
        if _is(organisation, OrganisationKind.PRESCRIBER):
            return self.filter(candidate__prescriber=organisation)
        if _is(organisation, OrganisationKind.COMPANY):
            return self.filter(position__company=organisation, reached_company_at__isnull=False)
        return self.none()

    def for_display(self):
        return self.select_related(
            "candidate", "candidate__prescriber", "position__job_title", "position__company", "position__commune"
        )

    def waiting_since(self, before):
        """Active submissions whose state has not changed since ``before`` (follow-up)."""
        return self.filter(state__in=ACTIVE_SUBMISSION_STATES, state_changed_at__lt=before)


class Submission(models.Model):
    """A candidate proposed by a prescriber for a position (*candidature*)."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="submissions", verbose_name="candidat"
    )
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="submissions", verbose_name="offre")
    note = models.TextField("message du prescripteur", blank=True)
    state = models.CharField("état", max_length=20, choices=SubmissionState.choices, default=SubmissionState.SUBMITTED)
    state_changed_at = models.DateTimeField("dernier changement d'état", default=timezone.now)
    # Set once the facilitator hands it to the company: from then on the company may see it.
    reached_company_at = models.DateTimeField("transmise à l'entreprise le", null=True, blank=True)
    refusal_reason = models.CharField("motif de refus", max_length=30, choices=RefusalReason.choices, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="proposée par"
    )
    created_at = models.DateTimeField("proposée le", default=timezone.now)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "candidature"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "position"],
                name="unique_submission_per_position",
                violation_error_message="Ce candidat est déjà positionné sur cette offre.",
            )
        ]
        # Follow-up: active submissions waiting at a stage.
        indexes = [models.Index(fields=["state", "state_changed_at"], name="submission_waiting_idx")]

    def __str__(self):
        return f"{self.candidate} → {self.position}"

    def note_for(self, organisation):
        """The prescriber's message, or None for an organisation that may not read it (``perms``)."""
        return self.note if perms.can_read_prescriber_notes(organisation, self.candidate.prescriber_id) else None

    def history_for(self, organisation):
        """The steps ``organisation`` may read: all of them for the facilitator and the prescriber; for the
        company, those from the moment the submission reached it (earlier notes are the prescriber's and the
        facilitator's, about the person)."""
        steps = self.transitions.select_related("actor", "organisation")
        if not perms.can_read_prescriber_notes(organisation, self.candidate.prescriber_id):
            if self.reached_company_at is None:
                return steps.none()
            steps = steps.filter(at__gte=self.reached_company_at)
        return steps


class SubmissionTransition(TransitionLog):
    """One line of a submission's history (``marketplace.workflows.SUBMISSION``); a refusal's code is the
    submission's ``refusal_reason``."""

    states = SubmissionState

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="transitions", verbose_name="candidature"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = "changement d'état de candidature"
        verbose_name_plural = "changements d'état des candidatures"


class PlacementQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """The facilitator sees all; a company its hires; a prescriber its candidates' placements."""
        if perms.sees_everything(organisation):
            return self
        if _is(organisation, OrganisationKind.COMPANY):
            return self.filter(position__company=organisation)
        if _is(organisation, OrganisationKind.PRESCRIBER):
            return self.filter(submission__candidate__prescriber=organisation)
        return self.none()

    def for_display(self):
        return self.select_related(
            "submission__candidate", "position__job_title", "position__company", "position__contract"
        )

    def holding_an_opening(self):
        """Placements that take one of the position's openings (a refused one frees it)."""
        return self.exclude(state=PlacementState.REFUSED)


class Placement(models.Model):
    """A hire (*mise à l'emploi*), counted for the clause once the facilitator validates it."""

    submission = models.OneToOneField(
        Submission, on_delete=models.PROTECT, related_name="placement", verbose_name="candidature"
    )
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="placements", verbose_name="offre")
    contract_type = models.CharField("type de contrat", max_length=30, choices=ContractType.choices)
    hired_on = models.DateField("date d'embauche")
    start_date = models.DateField("date de début du contrat")
    planned_end_date = models.DateField("date de fin prévue", null=True, blank=True)
    weekly_hours = models.DecimalField(
        "heures hebdomadaires", max_digits=4, decimal_places=1, validators=[MinValueValidator(1), MaxValueValidator(48)]
    )
    state = models.CharField("état", max_length=20, choices=PlacementState.choices, default=PlacementState.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decision_note = models.TextField("commentaire du facilitateur", blank=True)
    hours_source = models.OneToOneField(
        "procurement.HoursSource",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placement",
        verbose_name="source d'heures",
    )
    outcome = models.CharField("sortie", max_length=30, choices=PlacementOutcome.choices, blank=True)
    outcome_recorded_at = models.DateTimeField("sortie enregistrée le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = "mise à l'emploi"
        verbose_name_plural = "mises à l'emploi"
        ordering = ["-hired_on", "-pk"]
        indexes = [models.Index(fields=["state", "start_date"], name="placement_state_start_idx")]

    def __str__(self):
        return f"Mise à l'emploi n° {self.pk}"

    @property
    def candidate(self):
        return self.submission.candidate

    @property
    def is_durable_exit(self):
        return self.outcome in DURABLE_OUTCOMES

    @property
    def has_ended(self):
        return self.planned_end_date is not None and self.planned_end_date <= datetime.date.today()


class PlacementTransition(TransitionLog):
    """One change of state of a placement (``marketplace.workflows.PLACEMENT``)."""

    states = PlacementState

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="transitions", verbose_name="mise à l'emploi"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = "changement d'état d'une mise à l'emploi"
        verbose_name_plural = "changements d'état des mises à l'emploi"


class Change(models.Model):
    """One candidate or position whose data changed, written by every write path of the marketplace
    (``marketplace.changes``). The apps built on the marketplace read this log instead of being called:
    the matcher's index, in every process, replays the rows newer than the last it saw. ``everything``:
    rows were loaded or deleted in bulk (the demo seeding), and readers start again from the tables."""

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", "Candidat"
        POSITION = "position", "Offre"
        EVERYTHING = "everything", "Tout"

    kind = models.CharField("nature", max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField("identifiant")
    changed_at = models.DateTimeField("modifié le", default=timezone.now)

    class Meta:
        verbose_name = "modification"
        verbose_name_plural = "modifications"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_kind_display()} n° {self.object_id}"


# --- Information sessions (*informations collectives*) ----------------------------------------------------

IS = InvitationState

# A seat is held from the invitation on, unless the person declined or the facilitator withdrew it.
SEAT_HOLDING_STATES = tuple(state for state in IS if state not in (IS.DECLINED, IS.WITHDRAWN))
# The session's funnel: each stage counts the invitations that reached it (the states only move forward).
FUNNEL_STAGES = {
    "invited": ("Invitées", tuple(state for state in IS if state != IS.WITHDRAWN)),
    "confirmed": (
        "Confirmées",
        (IS.CONFIRMED, IS.PRESENT, IS.ABSENT, IS.PRESELECTED, IS.SENT, IS.NOT_RETAINED, IS.REDIRECTED),
    ),
    "present": ("Présentes", (IS.PRESENT, IS.PRESELECTED, IS.SENT, IS.NOT_RETAINED, IS.REDIRECTED)),
    "preselected": ("Présélectionnées", (IS.PRESELECTED, IS.SENT)),
    "sent": ("Transmises à l'entreprise", (IS.SENT,)),
}
# Beside the funnel: where the others stopped.
FUNNEL_SIDES = {
    "declined": ("Déclinées", (IS.DECLINED,)),
    "absent": ("Absentes", (IS.ABSENT,)),
    "not_retained": ("Non retenues", (IS.NOT_RETAINED,)),
    "redirected": ("Réorientées", (IS.REDIRECTED,)),
}


def _funnel_counts(prefix=""):
    """Aggregates of the funnel over the invitations reached through ``prefix`` (``"invitations__"`` from a
    session), hires read from the submission each session moved along."""
    key = f"{prefix}pk"
    counts = {
        name: models.Count(key, filter=models.Q(**{f"{prefix}state__in": states}))
        for name, (_, states) in {**FUNNEL_STAGES, **FUNNEL_SIDES}.items()
    }
    counts["hired"] = models.Count(
        key, filter=models.Q(**{f"{prefix}state": IS.SENT, f"{prefix}submission__state": SubmissionState.HIRED})
    )
    counts["seats_taken"] = models.Count(key, filter=models.Q(**{f"{prefix}state__in": SEAT_HOLDING_STATES}))
    return counts


class InformationSessionQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """The facilitator sees every session. A prescriber sees those its candidates are invited to, and the
        sessions still planned, to which it may sign up the people it follows (their date, place and positions:
        no one's name). A company sees the sessions for its positions, a buyer those for positions on its
        contracts: counts only, since ``SessionInvitation.objects.visible_to`` shows it no one. Nobody else any."""
        if perms.sees_everything(organisation):
            return self
        positions = InformationSession.positions.through.objects.filter(informationsession=models.OuterRef("pk"))
        if _is(organisation, OrganisationKind.PRESCRIBER):
            invited = SessionInvitation.objects.filter(
                session=models.OuterRef("pk"), candidate__prescriber=organisation
            )
            return self.filter(models.Q(state=SessionState.PLANNED) | models.Exists(invited))
        if _is(organisation, OrganisationKind.COMPANY):
            return self.filter(models.Exists(positions.filter(position__company=organisation)))
        if _is(organisation, OrganisationKind.BUYER):
            return self.filter(models.Exists(positions.filter(position__contract__buyer=organisation)))
        return self.none()

    def with_funnel(self):
        """Each session with its counts (``funnel_invited``… ``funnel_hired``, ``funnel_seats_taken``), in the
        session's own query: one join on its invitations and their submissions."""
        return self.annotate(**{f"funnel_{name}": count for name, count in _funnel_counts("invitations__").items()})

    def for_display(self):
        return self.select_related("commune").prefetch_related(
            models.Prefetch("positions", queryset=Position.objects.for_display().order_by("pk"))
        )


class InformationSession(models.Model):
    """An information session (*information collective*) the facilitator runs for one or more open positions of
    one or several companies: people invited through their prescribers come, and the facilitator preselects
    those it sends to the companies (see ``marketplace.sessions``)."""

    title = models.CharField("intitulé", max_length=200, blank=True)
    positions = models.ManyToManyField(Position, related_name="information_sessions", verbose_name="offres")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    is_online = models.BooleanField("à distance", default=False)
    address = models.CharField("adresse", max_length=250, blank=True)
    commune = models.ForeignKey(
        "reference.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="arrondissement ou commune",
    )
    online_link = models.URLField("lien de connexion", blank=True)
    capacity = models.PositiveSmallIntegerField(
        "nombre de places", validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    state = models.CharField("état", max_length=20, choices=SessionState.choices, default=SessionState.PLANNED)
    organiser = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name="organisée par"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("créée le", default=timezone.now)

    objects = InformationSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "information collective"
        verbose_name_plural = "informations collectives"
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_it_starts",
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                violation_error_message="La fin de la session doit suivre son début.",
            )
        ]
        # The reports count the sessions held over a period.
        indexes = [models.Index(fields=["state", "starts_at"], name="session_state_start_idx")]

    def __str__(self):
        return f"Information collective du {timezone.localtime(self.starts_at):%d/%m/%Y}"

    @property
    def place(self):
        if self.is_online:
            return "À distance"
        return ", ".join(part for part in (self.address, str(self.commune or "")) if part)

    @property
    def day(self):
        return timezone.localdate(self.starts_at)

    def funnel(self):
        """(label, count) of each stage, then of the sides, from ``with_funnel``'s annotations."""
        stages = [(label, getattr(self, f"funnel_{name}")) for name, (label, _) in FUNNEL_STAGES.items()]
        return stages + [("Embauchées", self.funnel_hired)]

    def funnel_sides(self):
        return [(label, getattr(self, f"funnel_{name}")) for name, (label, _) in FUNNEL_SIDES.items()]

    @property
    def seats_left(self):
        return max(self.capacity - self.funnel_seats_taken, 0)


class InformationSessionTransition(TransitionLog):
    states = SessionState

    session = models.ForeignKey(
        InformationSession, on_delete=models.CASCADE, related_name="transitions", verbose_name="information collective"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = "changement d'état d'information collective"


class SessionInvitationQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """The facilitator sees every invitation; a prescriber its own candidates'; a company the people sent
        to it (from "sent to company" on, for its positions); a buyer none (counts only)."""
        if perms.sees_everything(organisation):
            return self
        if _is(organisation, OrganisationKind.PRESCRIBER):
            return self.filter(candidate__prescriber=organisation)
        if _is(organisation, OrganisationKind.COMPANY):
            return self.filter(position__company=organisation, state=InvitationState.SENT)
        return self.none()

    def holding_a_seat(self):
        return self.filter(state__in=SEAT_HOLDING_STATES)

    def for_display(self):
        return self.select_related(
            "candidate__prescriber", "position__job_title", "position__company", "submission", "session"
        )

    def funnel(self):
        """The funnel's counts over these invitations, in one query (``marketplace.sessions.activity``)."""
        return self.aggregate(**_funnel_counts())


class SessionInvitation(models.Model):
    """One person invited to an information session for one of its positions, answered for by their prescriber,
    then marked present or absent and given an outcome by the facilitator. ``submission``: the person's
    submission to that position, which the outcome moves along (created when the prescriber confirms, if the
    invitation came from the matcher's proposals)."""

    session = models.ForeignKey(
        InformationSession, on_delete=models.PROTECT, related_name="invitations", verbose_name="information collective"
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="session_invitations", verbose_name="candidat"
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="session_invitations", verbose_name="offre"
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session_invitations",
        verbose_name="candidature",
    )
    state = models.CharField("état", max_length=20, choices=InvitationState.choices, default=InvitationState.INVITED)
    state_changed_at = models.DateTimeField("dernier changement d'état", default=timezone.now)
    not_retained_reason = models.CharField(
        "motif de non-sélection", max_length=30, choices=RefusalReason.choices, blank=True
    )
    redirection = models.CharField("réorientation", max_length=20, choices=Redirection.choices, blank=True)
    redirection_outcome = models.CharField(
        "suite de la réorientation", max_length=20, choices=RedirectionOutcome.choices, blank=True
    )
    redirection_outcome_at = models.DateTimeField("suite enregistrée le", null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="invitée par"
    )
    created_at = models.DateTimeField("invitée le", default=timezone.now)

    objects = SessionInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation à une information collective"
        verbose_name_plural = "invitations à une information collective"
        ordering = ["candidate__last_name", "candidate__first_name", "pk"]
        constraints = [
            # Once declined or withdrawn, the person may be invited again: a new row.
            models.UniqueConstraint(
                fields=["session", "candidate"],
                condition=models.Q(state__in=SEAT_HOLDING_STATES),
                name="unique_invitation_per_session",
                violation_error_message="Cette personne est déjà invitée à cette information collective.",
            )
        ]

    def __str__(self):
        return f"{self.candidate} – {self.session}"


class SessionInvitationTransition(TransitionLog):
    states = InvitationState

    invitation = models.ForeignKey(
        SessionInvitation, on_delete=models.CASCADE, related_name="transitions", verbose_name="invitation"
    )

    class Meta(TransitionLog.Meta):
        verbose_name = "changement d'état d'invitation à une information collective"


class CandidateImportQuerySet(models.QuerySet):
    def visible_to(self, organisation):
        """An import is its prescriber's own: no one else learns it exists (404)."""
        if organisation is None:
            return self.none()
        return self.filter(organisation=organisation)


class CandidateImport(models.Model):
    """A large import, run by the task queue (``marketplace.tasks.run_candidate_import``): the file waits here,
    and is erased once read, then the result stays for the person who sent it."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name="prescripteur"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par")
    file_name = models.CharField("fichier", max_length=200)
    content = models.BinaryField("contenu", blank=True, editable=False)
    # Where the request came from, for the audit log of the candidates the worker creates.
    origin = models.JSONField("origine", default=dict, blank=True)
    state = models.CharField("état", max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    created_count = models.PositiveIntegerField("candidats créés", null=True, blank=True)
    errors = models.JSONField("erreurs", default=list, blank=True)
    created_at = models.DateTimeField("envoyé le", default=timezone.now)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = CandidateImportQuerySet.as_manager()

    class Meta:
        verbose_name = "import de candidats"
        verbose_name_plural = "imports de candidats"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.file_name
