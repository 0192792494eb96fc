"""A person's data under the GDPR: export (right of access), anonymisation (on request, or after
``CANDIDATE_RETENTION_MONTHS`` without activity) and pseudonyms for files that list people.

Anonymisation keeps the candidate's row and everything public money was counted on (submissions,
placements, validated hours, the fact that eligibility was checked and by whom), so that a contract's
progress and the reports do not move. It erases:

- names, email, phone, situation, declared criteria, the criteria and proofs an eligibility check
  saw, the free texts written about the person (messages, comments, a refused statement's reason),
  the proofs of hours (payslips name the person), and what notifications say about the person;
- the exact birth date, keeping the year (the date becomes 1 July): the reports count participants
  under 26 and over 50 on their start date, which the year keeps right within six months.

It keeps sex and the commune of residence (the share of women, the matcher's fairness report and
its training on past outcomes read them) and the professional project (jobs, skills, levels). The
consent is withdrawn, so the person is never matched or submitted again.
"""

import calendar
import datetime
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from accounts import perms
from audit.enums import AuditAction, ErasureReason
from audit.models import AuditEvent
from audit.services import record
from common.exports import Table, to_xlsx
from common.pseudonyms import pseudonym
from marketplace import changes
from marketplace.enums import (
    ContractType,
    InvitationState,
    Level1Criterion,
    Level2Criterion,
    PlacementState,
    Situation,
)
from marketplace.models import (
    Candidate,
    EligibilityCheck,
    Placement,
    SessionInvitation,
    SessionInvitationTransition,
    Submission,
    SubmissionTransition,
)
from marketplace.workflows import ACTIVE_STATES
from notifications.services import erase_details
from procurement.enums import StatementState
from procurement.models import HoursStatement


def person_label(candidate, organisation):
    """The person as a file listing people names them for ``organisation``."""
    if perms.names_people_in_exports(organisation):
        return candidate.full_name
    return pseudonym(candidate.pk)


# --- Files listing people ------------------------------------------------------------------------


def export_placements(*, placements, actor, organisation):
    """The placements the organisation sees as an XLSX file with their validated hours: people
    named for the facilitator, pseudonymised for everyone else. Recorded in the audit log."""
    rows = placements.select_related(
        "submission__candidate", "position__job_title", "position__company", "position__contract"
    ).annotate(
        validated=Sum(
            "hours_source__statements__hours",
            filter=Q(hours_source__statements__state=StatementState.VALIDATED),
            default=0,
        )
    )
    table = Table(
        "mises-a-l-emploi",
        "Mises à l'emploi",
        ["Personne", "N°", "Marché", "Entreprise", "Poste", "Contrat", "Début", "Fin prévue", "État"]
        + ["Heures validées", "Sortie"],
        [
            [
                person_label(p.submission.candidate, organisation),
                p.pk,
                p.position.contract.reference,
                p.position.company.name,
                p.position.job_title.label,
                p.get_contract_type_display(),
                p.start_date,
                p.planned_end_date,
                p.get_state_display(),
                p.validated,
                p.get_outcome_display(),
            ]
            for p in rows
        ],
    )
    record(
        action=AuditAction.PLACEMENTS_EXPORTED,
        actor=actor,
        organisation=organisation,
        details={"rows": len(table.rows), "pseudonymised": not perms.names_people_in_exports(organisation)},
    )
    return to_xlsx([table])


# --- Export (right of access) ---------------------------------------------------------------------

# Fields whose stored codes are shown by their labels.
CODE_LABELS = {
    "level1_criteria": dict(Level1Criterion.choices),
    "level2_criteria": dict(Level2Criterion.choices),
    "wanted_contract_types": dict(ContractType.choices),
}


def _when(moment):
    """Local time without a time zone: spreadsheets refuse aware datetimes."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _shown(candidate, field):
    value = getattr(candidate, field.name)
    if field.name in CODE_LABELS:
        return ", ".join(CODE_LABELS[field.name].get(code, code) for code in value)
    if field.choices:
        return getattr(candidate, f"get_{field.name}_display")()
    if field.is_relation:
        return str(value) if value is not None else None
    if isinstance(value, bool):
        return "oui" if value else "non"
    return _when(value) if isinstance(value, datetime.datetime) else value


def record_table(candidate):
    """Every field of the candidate's record, by its French name: a field added later is exported too."""
    rows = [
        [str(field.verbose_name).capitalize(), _shown(candidate, field)]
        for field in Candidate._meta.concrete_fields
        if field.name != "created_by"
    ]
    rows.append(["Métiers recherchés", ", ".join(str(job) for job in candidate.job_titles.all())])
    rows.append(["Compétences", ", ".join(skill.label for skill in candidate.skills.all())])
    return Table("fiche", "Fiche", ["Donnée", "Valeur"], rows)


def export_tables(candidate):
    """The person's data, one table per kind: record, eligibility checks, submissions and their
    history, placements, hours, information sessions and their history, and who did what with their
    data (audit log). Twelve queries, whatever the person's history."""
    checks = EligibilityCheck.objects.filter(candidate=candidate).select_related(
        "checked_by", "checked_by_organisation"
    )
    submissions = Submission.objects.filter(candidate=candidate).select_related(
        "position__job_title", "position__company"
    )
    transitions = SubmissionTransition.objects.filter(submission__candidate=candidate).select_related(
        "actor", "actor_organisation"
    )
    placements = Placement.objects.filter(submission__candidate=candidate).select_related(
        "position__job_title", "position__company"
    )
    statements = HoursStatement.objects.filter(source__placement__submission__candidate=candidate).select_related(
        "source__placement"
    )
    invitations = SessionInvitation.objects.filter(candidate=candidate).select_related(
        "session", "position__job_title", "position__company"
    )
    steps = SessionInvitationTransition.objects.filter(invitation__candidate=candidate).select_related(
        "actor", "organisation"
    )
    events = AuditEvent.objects.filter(candidate=candidate).select_related("actor_organisation")
    return [
        record_table(candidate),
        Table(
            "eligibilite",
            "Vérifications d'éligibilité",
            ["Vérifiée le", "Par", "Organisation", "Critères (justificatif)", "Éligible", "Valable jusqu'au", "Note"],
            [
                [
                    _when(c.checked_at),
                    str(c.checked_by),
                    c.checked_by_organisation.name,
                    ", ".join(f"{criterion} ({proof})" for criterion, proof in c.criteria_display()),
                    "oui" if c.is_eligible else "non",
                    c.valid_until,
                    c.note,
                ]
                for c in checks
            ],
        ),
        Table(
            "candidatures",
            "Candidatures",
            ["N°", "Offre", "Entreprise", "Proposée le", "État", "Motif de refus", "Message du prescripteur"],
            [
                [
                    s.pk,
                    s.position.job_title.label,
                    s.position.company.name,
                    _when(s.created_at),
                    s.get_state_display(),
                    s.get_refusal_reason_display(),
                    s.note,
                ]
                for s in submissions
            ],
        ),
        Table(
            "historique",
            "Historique des candidatures",
            ["Candidature n°", "Le", "De", "Vers", "Par", "Organisation", "Motif", "Commentaire"],
            [
                [
                    t.submission_id,
                    _when(t.at),
                    t.get_from_state_display(),
                    t.get_to_state_display(),
                    str(t.actor),
                    t.actor_organisation.name,
                    t.get_reason_display(),
                    t.note,
                ]
                for t in transitions
            ],
        ),
        Table(
            "mises-a-l-emploi",
            "Mises à l'emploi",
            ["N°", "Entreprise", "Poste", "Contrat", "Embauche", "Début", "Fin prévue", "Heures hebdomadaires"]
            + ["État", "Décision le", "Commentaire du facilitateur", "Sortie"],
            [
                [
                    p.pk,
                    p.position.company.name,
                    p.position.job_title.label,
                    p.get_contract_type_display(),
                    p.hired_on,
                    p.start_date,
                    p.planned_end_date,
                    p.weekly_hours,
                    p.get_state_display(),
                    _when(p.decided_at),
                    p.decision_note,
                    p.get_outcome_display(),
                ]
                for p in placements
            ],
        ),
        Table(
            "heures",
            "Heures",
            ["Mise à l'emploi n°", "Mois", "Heures", "État", "Déclarées le", "Motif de refus"],
            [
                [s.source.placement.pk, s.month, s.hours, s.get_state_display(), _when(s.declared_at), s.reason]
                for s in statements
            ],
        ),
        Table(
            "informations-collectives",
            "Informations collectives",
            ["Invitation n°", "Session du", "Lieu", "Offre", "Entreprise", "État", "Motif de non-sélection"]
            + ["Réorientation", "Suite de la réorientation"],
            [
                [
                    i.pk,
                    _when(i.session.starts_at),
                    i.session.place,
                    i.position.job_title.label,
                    i.position.company.name,
                    i.get_state_display(),
                    i.get_not_retained_reason_display(),
                    i.get_redirection_display(),
                    i.get_redirection_outcome_display(),
                ]
                for i in invitations
            ],
        ),
        Table(
            "informations-collectives-historique",
            "Historique des invitations",
            ["Invitation n°", "Le", "De", "Vers", "Par", "Organisation", "Commentaire"],
            [
                [
                    t.invitation_id,
                    _when(t.at),
                    t.get_from_state_display(),
                    t.get_to_state_display(),
                    str(t.actor),
                    t.organisation.name,
                    t.reason,
                ]
                for t in steps
            ],
        ),
        Table(
            "tracabilite",
            "Traçabilité",
            ["Le", "Action", "Organisation"],
            [[_when(e.at), e.get_action_display(), getattr(e.actor_organisation, "name", "")] for e in events],
        ),
    ]


EXPORT_FORMATS = ("json", "xlsx")


@transaction.atomic
def export_candidate(*, candidate, fmt, actor, organisation):
    """The person's data as JSON or XLSX (formulas neutralised), for the person who asks for it;
    the export is recorded in the audit log."""
    if not perms.can_export_personal_data(organisation, candidate):
        raise PermissionDenied("Seuls le facilitateur et le prescripteur qui suit la personne exportent ses données.")
    if fmt not in EXPORT_FORMATS:
        raise ValidationError("Format d'export inconnu : JSON ou XLSX.")
    tables = export_tables(candidate)
    record(
        action=AuditAction.CANDIDATE_EXPORTED,
        actor=actor,
        organisation=organisation,
        target=candidate,
        candidate=candidate,
        concerned=candidate.prescriber_id,
        details={"format": fmt},
    )
    if fmt == "xlsx":
        return to_xlsx(tables)
    document = {"candidat": candidate.pk, "exporte_le": timezone.localtime()}
    for table in tables:
        rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
        document[table.slug] = {"titre": table.title, "lignes": rows}
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


# --- Anonymisation --------------------------------------------------------------------------------

ALREADY_DONE = "Les données de cette personne sont déjà anonymisées."
# Invitations of a person still expected at an information session.
EXPECTED_AT_SESSION = (InvitationState.INVITED, InvitationState.CONFIRMED)


def has_work_in_progress(candidate):
    """Submissions still moving, hires waiting for validation or information sessions the person is expected at:
    they are closed first."""
    return (
        Submission.objects.filter(candidate=candidate, state__in=ACTIVE_STATES).exists()
        or Placement.objects.filter(submission__candidate=candidate, state=PlacementState.PENDING).exists()
        or SessionInvitation.objects.filter(candidate=candidate, state__in=EXPECTED_AT_SESSION).exists()
    )


def _erase(candidate, now):
    """Replaces the person's data by neutral values (see the module's docstring)."""
    candidate.first_name, candidate.last_name = "Personne", f"anonymisée n° {candidate.pk}"
    candidate.birth_date = candidate.birth_date.replace(month=7, day=1)
    candidate.email = candidate.phone = ""
    candidate.situation = Situation.OTHER
    candidate.level1_criteria, candidate.level2_criteria = [], []
    candidate.consent_at, candidate.consent_text_version = None, ""
    candidate.anonymised_at = candidate.updated_at = now
    candidate.save()
    EligibilityCheck.objects.filter(candidate=candidate).update(criteria=[], note="")
    Submission.objects.filter(candidate=candidate).update(note="")
    SubmissionTransition.objects.filter(submission__candidate=candidate).update(note="")
    SessionInvitationTransition.objects.filter(invitation__candidate=candidate).update(reason="")
    Placement.objects.filter(submission__candidate=candidate).update(decision_note="")
    statements = HoursStatement.objects.filter(source__placement__submission__candidate=candidate)
    proofs = list(statements.exclude(proof="").values_list("proof", flat=True))
    statements.update(proof="", proof_content_type="", reason="")
    storage = HoursStatement._meta.get_field("proof").storage
    transaction.on_commit(lambda: [storage.delete(proof) for proof in proofs])
    # What notifications say about the person (their name, reasons written about them), in every
    # organisation's notifications about the person or one of their rows.
    erase_details(
        [candidate],
        Submission.objects.filter(candidate=candidate),
        Placement.objects.filter(submission__candidate=candidate),
        SessionInvitation.objects.filter(candidate=candidate),
        statements,
    )
    changes.candidates_changed([candidate.pk])  # consent withdrawn: the matcher proposes the person no more


def _anonymise(candidate, *, actor, organisation, reason, reference=""):
    candidate = Candidate.objects.select_for_update(of=("self",)).get(pk=candidate.pk)
    if candidate.is_anonymised:
        raise ValidationError(ALREADY_DONE)
    if has_work_in_progress(candidate):
        raise ValidationError(
            "Cette personne a une candidature en cours, une embauche à valider ou une invitation à une information "
            "collective en attente : refusez-la, retirez l'invitation (ou demandez au prescripteur de la retirer "
            "ou de la décliner) avant d'anonymiser ses données."
        )
    _erase(candidate, timezone.now())
    record(
        action=AuditAction.CANDIDATE_ANONYMISED,
        actor=actor,
        organisation=organisation,
        target=candidate,
        candidate=candidate,
        concerned=candidate.prescriber_id,
        details={"erasure_reason": reason, **({"reference": reference} if reference else {})},
    )
    return candidate


@transaction.atomic
def anonymise_candidate(*, candidate, reason, actor, organisation, reference=""):
    """The facilitator erases a person's data on request (see the module's docstring for what goes)."""
    if not perms.can(organisation, "personal_data.erase"):
        raise PermissionDenied("Seul le facilitateur anonymise les données d'une personne.")
    if reason not in ErasureReason.values:
        raise ValidationError({"reason": "Choisissez le motif dans la liste."})
    return _anonymise(candidate, actor=actor, organisation=organisation, reason=reason, reference=reference)


# --- Retention ------------------------------------------------------------------------------------


def months_before(moment, months):
    """The same day ``months`` earlier (the month's last day when it is shorter)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def inactive_candidates(*, months, now=None):
    """Candidates not anonymised yet with no activity since ``months`` ago: not created or edited,
    not submitted and no submission of theirs moved, not invited to an information session nor moved along
    one, no eligibility check, no hire created, decided, started, running or closed, and no hours declared,
    decided or worked in that time."""
    cutoff = months_before(now or timezone.now(), months)
    day = timezone.localdate(cutoff)
    active = [
        Submission.objects.filter(Q(created_at__gte=cutoff) | Q(state_changed_at__gte=cutoff)).values("candidate_id"),
        EligibilityCheck.objects.filter(checked_at__gte=cutoff).values("candidate_id"),
        Placement.objects.filter(
            Q(created_at__gte=cutoff)
            | Q(decided_at__gte=cutoff)
            | Q(outcome_recorded_at__gte=cutoff)
            | Q(start_date__gte=day)
            | Q(planned_end_date__gte=day)
        ).values("submission__candidate_id"),
        # NOT IN a list holding NULL matches nothing: SIAE orders' hours have no person.
        SessionInvitation.objects.filter(Q(created_at__gte=cutoff) | Q(state_changed_at__gte=cutoff)).values(
            "candidate_id"
        ),
        HoursStatement.objects.filter(Q(declared_at__gte=cutoff) | Q(decided_at__gte=cutoff) | Q(month__gte=day))
        .exclude(source__placement=None)
        .values("source__placement__submission__candidate_id"),
    ]
    candidates = Candidate.objects.filter(anonymised_at=None, created_at__lt=cutoff, updated_at__lt=cutoff)
    for ids in active:
        candidates = candidates.exclude(pk__in=ids)
    return candidates, cutoff


def anonymise_inactive(*, months=None, dry_run=False):
    """Anonymises every inactive candidate (``inactive_candidates``), each in its own transaction, and
    records the run. Returns (cutoff, anonymised, left: those with a submission or hire in progress)."""
    months = settings.CANDIDATE_RETENTION_MONTHS if months is None else months
    candidates, cutoff = inactive_candidates(months=months)
    anonymised, left = 0, 0
    for candidate in candidates.order_by("pk").iterator():
        if has_work_in_progress(candidate):
            left += 1
            continue
        if not dry_run:
            with transaction.atomic():
                _anonymise(candidate, actor=None, organisation=None, reason=ErasureReason.RETENTION)
        anonymised += 1
    if not dry_run:
        record(
            action=AuditAction.RETENTION_RUN,
            actor=None,
            organisation=None,
            details={"months": months, "anonymised": anonymised, "left": left},
        )
    return cutoff, anonymised, left
