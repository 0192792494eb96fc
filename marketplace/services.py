"""Marketplace workflows: each step that checks rules and writes rows is one function here, called
by pages and API alike. Refusals raise a French ``ValidationError`` (or ``PermissionDenied``) and
write nothing."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import perms
from accounts.enums import OrganisationKind
from accounts.models import Organisation
from audit.enums import AuditAction
from audit.services import build, record, record_each
from common.db import analyze
from marketplace import changes, rules, workflows
from marketplace.enums import ContractType, PlacementState, PositionState, RefusalReason, SubmissionState
from marketplace.models import (
    Candidate,
    EligibilityCheck,
    Placement,
    Position,
    Submission,
    criteria_make_eligible,
)
from notifications.services import notify
from procurement.enums import ContractState, Modality
from procurement.models import Contract
from procurement.services import open_hours_source
from reference.models import JobTitle, Occupation, Skill

# Contracts on which a company may post positions: awarded to it and not over.
POSTING_CONTRACT_STATES = (ContractState.AWARDED, ContractState.IN_PROGRESS)

# The hours modality a placement's contract type falls under; anything else is a direct hire.
MODALITY_BY_CONTRACT_TYPE = {ContractType.TEMPORARY: Modality.ETTI}


def contracts_open_to(company):
    """Contracts awarded to ``company`` on which it may post positions."""
    return Contract.objects.filter(awards__company=company, state__in=POSTING_CONTRACT_STATES).distinct()


def check_can_post_on(*, contract, company):
    if not contracts_open_to(company).filter(pk=contract.pk).exists():
        raise ValidationError(
            {"contract": "Vous ne pouvez publier une offre que sur un marché attribué à votre entreprise et en cours."}
        )


@transaction.atomic
def save_position(*, position, actor, organisation):
    """Creates (as a draft) or updates a company's position after checking the contract is one of its own."""
    if not perms.can(organisation, "position.manage"):
        raise PermissionDenied("Seule une entreprise attributaire publie des offres.")
    creating = position.pk is None
    if creating:
        position.company = organisation
        position.created_by = actor
        position.state = PositionState.DRAFT
    elif position.company_id != organisation.pk:
        raise PermissionDenied("Cette offre n'est pas celle de votre entreprise.")
    check_can_post_on(contract=position.contract, company=organisation)
    position.save()
    if creating:
        workflows.POSITION.start(position, actor=actor, organisation=organisation)
    changes.positions_changed([position.pk])
    return position


def _move_position(position, transition, actor, organisation, reason=""):
    """Applies a move of the position (locked by the caller), logs it and tells the matcher."""
    source = position.state
    workflows.POSITION.apply(position, transition, actor=actor, organisation=organisation, reason=reason)
    changes.positions_changed([position.pk])
    record(
        action=AuditAction.POSITION_MOVED,
        actor=actor,
        organisation=organisation,
        target=position,
        concerned=position.company_id,
        contract=position.contract_id,
        details={"from": source, "to": position.state},
    )


@transaction.atomic
def transition_position(*, position, target, actor, organisation, reason=""):
    """The company publishes, closes or reopens its position (``workflows.POSITION``)."""
    position = Position.objects.select_for_update(of=("self",)).get(pk=position.pk)
    transition = workflows.POSITION.check(position, target, organisation)
    if target == PositionState.OPEN and position.placements.holding_an_opening().count() >= position.openings:
        raise ValidationError("Tous les postes de cette offre sont pourvus : augmentez le nombre de postes d'abord.")
    _move_position(position, transition, actor, organisation, reason)
    return position


def prefill_skills(candidate):
    """Gives a candidate without skills those of the ROME occupations of the jobs they seek."""
    if candidate.skills.exists():
        return
    skills = Skill.objects.filter(occupations__job_titles__in=candidate.job_titles.all()).distinct()
    candidate.skills.set(skills)


CONSENT_REQUIRED = "Sans le consentement de la personne, ses données ne peuvent pas être enregistrées."
ANONYMISED = "Les données de cette personne ont été anonymisées : sa fiche ne peut plus être modifiée ni positionnée."
# Bookkeeping fields, not the person's data: never reported as changed.
UNREPORTED_FIELDS = {"id", "prescriber", "created_by", "created_at", "updated_at", "anonymised_at"}


def _check_may_manage(organisation):
    if not perms.can(organisation, "candidate.manage"):
        raise PermissionDenied("Seul le prescripteur qui suit la personne gère sa fiche.")


def _changed_fields(before, after):
    return [
        field.name
        for field in Candidate._meta.concrete_fields
        if field.name not in UNREPORTED_FIELDS and getattr(before, field.attname) != getattr(after, field.attname)
    ]


def _changed_links(candidate, name, new):
    """Whether the candidate's set of ``name`` (job titles, skills) differs from ``new`` (None: kept)."""
    return new is not None and set(getattr(candidate, name).values_list("pk", flat=True)) != {i.pk for i in new}


@transaction.atomic
def save_candidate(*, candidate, actor, organisation, job_titles=None, skills=None, prefill=True):
    """Creates or updates a candidate of the prescriber's pool (page form and API: the import has
    ``create_imported_candidates``) and records the names of the fields that changed, never their
    values. ``job_titles`` and ``skills``: the new sets, or None to leave them as they are. ``prefill``: give a
    candidate without skills those of their sought jobs (the API's default); the page proposes them to tick
    instead (``CandidateSkillsForm``)."""
    _check_may_manage(organisation)
    before = None
    if candidate.pk is None:
        candidate.prescriber, candidate.created_by = organisation, actor
    else:
        before = Candidate.objects.select_for_update(of=("self",)).get(pk=candidate.pk)
        if before.prescriber_id != organisation.pk:
            raise PermissionDenied("Ce candidat n'est pas suivi par votre organisation.")
        if before.is_anonymised:
            raise ValidationError(ANONYMISED)
    if not candidate.has_consent:
        raise ValidationError(CONSENT_REQUIRED)
    candidate.full_clean()
    _check_person_dates(candidate)
    age_error = rules.check_age_criteria(
        candidate.level2_criteria, birth_date=candidate.birth_date, on_day=timezone.localdate()
    )
    if age_error:
        raise ValidationError({"level2_criteria": age_error})
    if before is not None:
        links = (("job_titles", job_titles), ("skills", skills))
        changed = _changed_fields(before, candidate) + [n for n, new in links if _changed_links(before, n, new)]
        if not changed:
            return candidate
    candidate.updated_at = timezone.now()
    candidate.save()
    if job_titles is not None:
        candidate.job_titles.set(job_titles)
    if skills is not None:
        candidate.skills.set(skills)
    if prefill:
        prefill_skills(candidate)
    changes.candidates_changed([candidate.pk])
    record(
        action=AuditAction.CANDIDATE_UPDATED if before else AuditAction.CANDIDATE_CREATED,
        actor=actor,
        organisation=organisation,
        target=candidate,
        candidate=candidate,
        concerned=candidate.prescriber_id,
        details={"fields": changed} if before else {"consent_text_version": candidate.consent_text_version},
    )
    return candidate


def _check_person_dates(candidate):
    today = timezone.localdate()
    errors = {
        "birth_date": rules.check_birth_date(candidate.birth_date, today=today),
        "consent_at": rules.check_consent_date(timezone.localtime(candidate.consent_at).date(), today=today),
    }
    errors = {name: message for name, message in errors.items() if message}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_imported_candidates(*, rows, actor, organisation):
    """Creates the candidates of a CSV/XLSX import in a few queries whatever their number, each with
    its audit event. ``rows``: (unsaved candidate, ids of the job titles sought, line in the file)."""
    _check_may_manage(organisation)
    if not all(candidate.has_consent for candidate, _, _ in rows):
        raise ValidationError(CONSENT_REQUIRED)
    now = timezone.now()
    for candidate, _, _ in rows:
        candidate.prescriber, candidate.created_by = organisation, actor
        candidate.created_at = candidate.updated_at = now
    candidates = Candidate.objects.bulk_create([candidate for candidate, _, _ in rows])
    JobTitles = Candidate.job_titles.through
    JobTitles.objects.bulk_create(
        JobTitles(candidate_id=candidate.pk, jobtitle_id=code) for candidate, codes, _ in rows for code in codes
    )
    _prefill_skills_in_bulk([(candidate, codes) for candidate, codes, _ in rows])
    changes.candidates_changed(candidate.pk for candidate in candidates)  # bulk_create: no signal would tell
    record_each(
        build(
            action=AuditAction.CANDIDATE_IMPORTED,
            actor=actor,
            organisation=organisation,
            target=candidate,
            candidate=candidate,
            concerned=organisation,
            details={"line": line},
        )
        for candidate, _, line in rows
    )
    analyze(Candidate)  # a bulk load: the planner's statistics follow (common/db.py)
    return candidates


def _prefill_skills_in_bulk(candidates_with_jobs):
    """Same result as ``prefill_skills`` for each new candidate, in two queries."""
    job_ids = {code for _, codes in candidates_with_jobs for code in codes}
    occupation_of = dict(JobTitle.objects.filter(pk__in=job_ids).values_list("pk", "occupation_id"))
    skills_of = {}
    for occupation_id, skill_id in Occupation.skills.through.objects.filter(
        occupation_id__in=set(occupation_of.values())
    ).values_list("occupation_id", "skill_id"):
        skills_of.setdefault(occupation_id, set()).add(skill_id)
    Skills = Candidate.skills.through
    Skills.objects.bulk_create(
        Skills(candidate_id=candidate.pk, skill_id=skill_id)
        for candidate, codes in candidates_with_jobs
        for skill_id in set().union(*(skills_of.get(occupation_of[code], set()) for code in codes))
    )


@transaction.atomic
def record_eligibility_check(*, candidate, criteria, actor, organisation, note=""):
    """The facilitator records the criteria it verified, each with its proof; valid for
    ``ELIGIBILITY_VALIDITY_DAYS``."""
    if not perms.can(organisation, "eligibility.check"):
        raise PermissionDenied("Seul le facilitateur vérifie l'éligibilité.")
    if not criteria:
        raise ValidationError({"criteria": "Indiquez au moins un critère vérifié, avec son justificatif."})
    if candidate.is_anonymised:
        raise ValidationError(ANONYMISED)
    now = timezone.now()
    age_error = rules.check_age_criteria(
        [item["criterion"] for item in criteria], birth_date=candidate.birth_date, on_day=timezone.localdate(now)
    )
    if age_error:
        raise ValidationError({"criteria": age_error})
    check = EligibilityCheck.objects.create(
        candidate=candidate,
        criteria=criteria,
        is_eligible=criteria_make_eligible(item["criterion"] for item in criteria),
        note=note,
        checked_by=actor,
        checked_by_organisation=organisation,
        checked_at=now,
        valid_until=timezone.localdate(now) + datetime.timedelta(days=settings.ELIGIBILITY_VALIDITY_DAYS),
    )
    record(
        action=AuditAction.ELIGIBILITY_CHECKED,
        actor=actor,
        organisation=organisation,
        target=check,
        candidate=candidate,
        concerned=candidate.prescriber_id,
        details={"eligible": check.is_eligible, "criteria": len(criteria)},
    )
    return check


def _record_submission(submission, *, source, target, actor, organisation, refusal_reason=""):
    """The audit log (the facilitator's) of a submission's move; its history is ``workflows.SUBMISSION``'s."""
    record(
        action=AuditAction.SUBMISSION_MOVED,
        actor=actor,
        organisation=organisation,
        target=submission,
        candidate=submission.candidate_id,
        concerned=submission.position.company_id,
        contract=submission.position.contract_id,
        details={"from": source, "to": target, **({"refusal_reason": refusal_reason} if refusal_reason else {})},
    )


def _submission_link(submission):
    return reverse("marketplace:submission_detail", args=[submission.pk])


def _notify_next_party(submission, target, reason_label=""):
    """The organisation that must act next hears of it (see ``workflows.NEXT_PARTY``)."""
    kind = workflows.NEXT_PARTY[target]
    position = submission.position
    if kind == OrganisationKind.FACILITATOR:
        recipients = Organisation.objects.of_kind(OrganisationKind.FACILITATOR)
    elif kind == OrganisationKind.COMPANY:
        recipients = [position.company]
    else:
        recipients = [submission.candidate.prescriber]
    label = SubmissionState(target).label.lower()
    text = f"Candidature n° {submission.pk} ({position.job_title.label}) : {label}"
    if reason_label:
        text += f" – motif : {reason_label}"
    notify(organisations=recipients, text=text + ".", link=_submission_link(submission), subject=submission)


@transaction.atomic
def submit_candidate(*, candidate, position, actor, organisation, note=""):
    """A prescriber proposes one of its consenting candidates for an open position, with a message to the
    facilitator (``note``, the submission's own)."""
    if not perms.can(organisation, "submission.create") or candidate.prescriber_id != organisation.pk:
        raise PermissionDenied("Seul le prescripteur du candidat peut le positionner.")
    if candidate.is_anonymised:
        raise ValidationError(ANONYMISED)
    if not candidate.has_consent:
        raise ValidationError("Ce candidat n'a pas donné son consentement : il ne peut pas être positionné.")
    if position.state != PositionState.OPEN:
        raise ValidationError("Cette offre n'est pas ouverte aux candidatures.")
    if Submission.objects.filter(candidate=candidate, position=position).exists():
        raise ValidationError("Ce candidat est déjà positionné sur cette offre.")
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                candidate=candidate, position=position, note=note, submitted_by=actor
            )
    except IntegrityError as exc:  # a concurrent submission of the same pair won the race
        raise ValidationError("Ce candidat est déjà positionné sur cette offre.") from exc
    workflows.SUBMISSION.start(submission, actor=actor, organisation=organisation)
    _record_submission(submission, source="", target=submission.state, actor=actor, organisation=organisation)
    _notify_next_party(submission, SubmissionState.SUBMITTED)
    return submission


@transaction.atomic
def transition_submission(*, submission, target, actor, organisation, refusal_reason="", reason="", hire=None):
    """Moves a submission along ``workflows.SUBMISSION`` and logs it, with ``reason`` (free text) and, for a
    refusal, its code ``refusal_reason`` (``RefusalReason``). Moving to "hired" needs ``hire`` (contract type,
    start date, planned end date, weekly hours; defaults from the position) and creates the placement waiting
    for the facilitator's validation."""
    submission = (
        Submission.objects.select_for_update(of=("self",)).select_related("position", "candidate").get(pk=submission.pk)
    )
    source = submission.state
    transition = workflows.SUBMISSION.check(submission, target, organisation)
    if target in workflows.REASON_REQUIRED and refusal_reason not in RefusalReason.values:
        raise ValidationError({"refusal_reason": "Choisissez le motif du refus dans la liste."})
    if refusal_reason and refusal_reason not in RefusalReason.values:
        raise ValidationError({"refusal_reason": "Ce motif n'existe pas."})
    now = timezone.now()
    if target == SubmissionState.HIRED:
        _hire(submission, hire or {}, hired_on=timezone.localdate(now), actor=actor, organisation=organisation)
    submission.state_changed_at = now
    if target == SubmissionState.SENT_TO_COMPANY:
        submission.reached_company_at = now
    if target == SubmissionState.REFUSED:
        submission.refusal_reason = refusal_reason
    if target == SubmissionState.REFUSED:
        # The history says why in words: the refusal's label, then the comment.
        label = RefusalReason(refusal_reason).label
        reason = f"{label} : {reason}" if reason else label
    workflows.SUBMISSION.apply(
        submission,
        transition,
        actor=actor,
        organisation=organisation,
        reason=reason,
        update_fields=["state_changed_at", "reached_company_at", "refusal_reason"],
    )
    refused = submission.refusal_reason if target == SubmissionState.REFUSED else ""
    _record_submission(
        submission, source=source, target=target, actor=actor, organisation=organisation, refusal_reason=refused
    )
    _notify_next_party(submission, target, RefusalReason(refused).label if refused else "")
    return submission


def _hire(submission, data, *, hired_on, actor, organisation):
    """Creates the placement. The position is locked so that two concurrent hires never exceed its openings."""
    position = Position.objects.select_for_update(of=("self",)).get(pk=submission.position_id)
    if position.state != PositionState.OPEN:
        raise ValidationError("Cette offre n'est plus ouverte : impossible d'embaucher sur ce poste.")
    taken = position.placements.holding_an_opening().count()
    if taken >= position.openings:
        raise ValidationError("Tous les postes de cette offre sont déjà pourvus.")
    placement = Placement(
        submission=submission,
        position=position,
        contract_type=data.get("contract_type") or position.contract_type,
        hired_on=hired_on,
        start_date=data.get("start_date") or max(position.start_date, hired_on),
        planned_end_date=data.get("planned_end_date"),
        weekly_hours=data.get("weekly_hours") or position.weekly_hours,
    )
    if placement.planned_end_date and placement.planned_end_date < placement.start_date:
        raise ValidationError({"planned_end_date": "La date de fin prévue précède la date de début."})
    if placement.contract_type != ContractType.CDI and not placement.planned_end_date:
        raise ValidationError({"planned_end_date": "Indiquez la date de fin prévue de ce contrat à durée limitée."})
    placement.full_clean(exclude=["submission", "position"])
    placement.save()
    workflows.PLACEMENT.start(placement, actor=actor, organisation=organisation)
    if taken + 1 >= position.openings:
        _move_position(position, workflows.POSITION["fill"], actor, organisation)
    return placement


def _lock_and_check(placement, target, organisation):
    """The placement, locked, once ``workflows.PLACEMENT`` lets this organisation take it to ``target``."""
    placement = Placement.objects.select_for_update(of=("self",)).select_related("position").get(pk=placement.pk)
    if placement.state != PlacementState.PENDING:
        raise ValidationError(f"Cette mise à l'emploi est déjà « {placement.get_state_display()} ».")
    return placement, workflows.PLACEMENT.check(placement, target, organisation)


def _record_placement(placement, action, actor, organisation, **details):
    record(
        action=action,
        actor=actor,
        organisation=organisation,
        target=placement,
        candidate=placement.submission.candidate_id,
        concerned=placement.position.company_id,
        contract=placement.position.contract_id,
        details=details,
    )


def _notify_company(placement, text, details=""):
    notify(
        organisations=[placement.position.company],
        text=text,
        details=details,
        link=reverse("marketplace:placement_detail", args=[placement.pk]),
        subject=placement,
    )


def placement_validation_blocker(placement):
    """Why the facilitator cannot validate this hire now, in French, or None: the placement's page shows it
    before the click, and ``validate_placement`` refuses for it."""
    candidate_id = placement.submission.candidate_id
    if not EligibilityCheck.objects.filter(candidate_id=candidate_id).valid_on(placement.hired_on).exists():
        return (
            f"Aucune vérification d'éligibilité valide au {placement.hired_on:%d/%m/%Y}, date de l'embauche : "
            "la mise à l'emploi ne peut pas être validée."
        )
    # One full-time job at a time: the person's other validated placements over the same period.
    others = (
        Placement.objects.filter(submission__candidate_id=candidate_id, state=PlacementState.VALIDATED)
        .exclude(pk=placement.pk)
        .values_list("pk", "weekly_hours", "start_date", "planned_end_date")
    )
    return rules.check_concurrent_hours(
        placement.weekly_hours,
        [
            (pk, hours)
            for pk, hours, start, end in others
            if rules.overlaps(placement.start_date, placement.planned_end_date, start, end)
        ],
    )


@transaction.atomic
def validate_placement(*, placement, actor, organisation, reason=""):
    """The facilitator validates a hire whose candidate had a valid eligibility check on the hiring
    date; this opens the placement's line in the hours ledger (a ``HoursSource``)."""
    placement, transition = _lock_and_check(placement, PlacementState.VALIDATED, organisation)
    blocker = placement_validation_blocker(placement)
    if blocker:
        raise ValidationError(blocker)
    position = placement.position
    placement.hours_source = open_hours_source(
        contract=Contract.objects.get(pk=position.contract_id),
        company=position.company,
        modality=MODALITY_BY_CONTRACT_TYPE.get(placement.contract_type, Modality.DIRECT_HIRE),
        label=f"Mise à l'emploi n° {placement.pk} – {position.job_title.label} "
        f"({placement.get_contract_type_display()})",
        starts_on=placement.start_date,
        ends_on=placement.planned_end_date,
        weekly_hours=placement.weekly_hours,
    )
    placement.decided_by, placement.decided_at, placement.decision_note = actor, timezone.now(), reason
    workflows.PLACEMENT.apply(
        placement,
        transition,
        actor=actor,
        organisation=organisation,
        reason=reason,
        update_fields=["hours_source", "decided_by", "decided_at", "decision_note"],
    )
    _record_placement(placement, AuditAction.PLACEMENT_VALIDATED, actor, organisation)
    _notify_company(placement, f"Mise à l'emploi n° {placement.pk} validée : déclarez ses heures chaque mois.")
    return placement


@transaction.atomic
def refuse_placement(*, placement, actor, organisation, reason):
    """The facilitator refuses a hire (e.g. not eligible), saying why: the opening is free again."""
    placement, transition = _lock_and_check(placement, PlacementState.REFUSED, organisation)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Expliquez à l'entreprise pourquoi la mise à l'emploi est refusée."})
    placement.decided_by, placement.decided_at, placement.decision_note = actor, timezone.now(), reason
    workflows.PLACEMENT.apply(
        placement,
        transition,
        actor=actor,
        organisation=organisation,
        reason=reason,
        update_fields=["decided_by", "decided_at", "decision_note"],
    )
    _record_placement(placement, AuditAction.PLACEMENT_REFUSED, actor, organisation)
    position = Position.objects.select_for_update(of=("self",)).get(pk=placement.position_id)
    if position.state == PositionState.FILLED:
        _move_position(position, workflows.POSITION["free"], actor, organisation)
    _notify_company(placement, f"Mise à l'emploi n° {placement.pk} refusée par le facilitateur.", f"Motif : {reason}")
    return placement


def transition_placement(*, placement, target, actor, organisation, reason=""):
    """Validates or refuses a pending placement (``workflows.PLACEMENT``): the pages' and API's one way in."""
    decide = {PlacementState.VALIDATED: validate_placement, PlacementState.REFUSED: refuse_placement}.get(target)
    if decide is None:
        workflows.PLACEMENT.check(placement, target, organisation)  # no such move: refuses, in French
    return decide(placement=placement, actor=actor, organisation=organisation, reason=reason)


@transaction.atomic
def record_outcome(*, placement, outcome, actor, organisation):
    """The facilitator records where the person stands at the end of the placement (reports)."""
    if not perms.can(organisation, "placement.validate"):
        raise PermissionDenied("Seul le facilitateur enregistre la sortie d'une mise à l'emploi.")
    placement = Placement.objects.select_for_update(of=("self",)).select_related("position").get(pk=placement.pk)
    if placement.state != PlacementState.VALIDATED:
        raise ValidationError("Seule une mise à l'emploi validée a une sortie.")
    placement.outcome = outcome
    placement.outcome_recorded_at = timezone.now()
    placement.save(update_fields=["outcome", "outcome_recorded_at"])
    _record_placement(placement, AuditAction.PLACEMENT_OUTCOME, actor, organisation, outcome=outcome)
    return placement
