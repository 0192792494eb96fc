"""Information sessions (*informations collectives*) of the MEP's recruitment drives, from the invitation to the
hire: each step that checks rules and writes rows, called alike by pages, API and the demo, and the counts the
reports read (``activity``).

The facilitator plans a session for open positions and invites people from the submissions to those positions
and from the matcher's proposals; each invitation goes to the person's prescriber, who confirms or declines for
them (a prescriber may also sign up the people it follows). A seat is held from the invitation on, and the
capacity is checked under the session's row lock. On the day (or after) the facilitator records who came and,
for each, the outcome, which moves the person's submission along its usual workflow
(``marketplace.services.transition_submission``): preselected, sent to the company, or refused (not retained,
with a reason; redirected elsewhere). The machines are ``marketplace.workflows.SESSION_WORKFLOW`` and
``INVITATION_WORKFLOW``.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from accounts import perms
from accounts.enums import OrganisationKind
from audit.enums import AuditAction
from audit.services import record
from marketplace import services
from marketplace.enums import (
    InvitationState,
    PositionState,
    Redirection,
    RedirectionOutcome,
    RefusalReason,
    SessionState,
    SubmissionState,
)
from marketplace.models import InformationSession, Position, SessionInvitation, Submission
from marketplace.workflows import INVITATION_WORKFLOW, SESSION_WORKFLOW
from notifications.services import notify

IS = InvitationState
# Fields a session keeps from its form; a change of these is news for everyone expecting to come.
WHEN_AND_WHERE = ("starts_at", "ends_at", "is_online", "address", "commune_id", "online_link")
# Moves that answer for the person: only while the session is still planned.
ANSWERS = ("confirm", "decline", "withdraw")
ATTENDANCE = ("attend", "miss")


def when(session):
    """The session's start as people read it: "12/03/2026 à 09:30"."""
    return timezone.localtime(session.starts_at).strftime("%d/%m/%Y à %H:%M")


def session_link(session):
    return reverse("marketplace:session_detail", args=[session.pk])


def invitation_link(invitation):
    return reverse("marketplace:invitation_detail", args=[invitation.pk])


def _facilitators(session):
    return [session.organiser]


# --- The session ---------------------------------------------------------------------------------------------


# A session is planned for the coming year, or recorded after the fact within a month (one held before the
# facilitator had entered it): a date outside that window is a typing mistake (year 293, 2062).
PLANNED_DAYS_BACK = 31
PLANNED_DAYS_AHEAD = 366


def _check_date(starts_at):
    today = timezone.localdate()
    earliest = today - datetime.timedelta(days=PLANNED_DAYS_BACK)
    latest = today + datetime.timedelta(days=PLANNED_DAYS_AHEAD)
    if not earliest <= timezone.localtime(starts_at).date() <= latest:
        return (
            f"Une information collective se programme entre le {earliest:%d/%m/%Y} et le {latest:%d/%m/%Y} "
            f"(au plus {PLANNED_DAYS_BACK} jours après coup, au plus un an à l'avance)."
        )
    return None


def _check_session(session, positions, *, kept_positions, invited_positions, seats_taken, date_changed):
    """The session's own rules, every refusal on its field."""
    errors = {}
    if date_changed and session.starts_at and (refusal := _check_date(session.starts_at)):
        errors["starts_at"] = refusal
    if not positions:
        errors["positions"] = "Choisissez au moins une offre ouverte."
    else:
        added = [p for p in positions if p.pk not in kept_positions and p.state != PositionState.OPEN]
        if added:
            errors["positions"] = (
                f"L'offre « {added[0].job_title.label} » de {added[0].company.name} n'est pas ouverte : "
                "une information collective se tient pour des offres ouvertes."
            )
        dropped = invited_positions - {p.pk for p in positions}
        if dropped:
            errors["positions"] = (
                "Des personnes sont invitées pour une offre que vous retirez : retirez d'abord leurs invitations."
            )
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = "La fin de la session doit suivre son début."
    if not session.is_online:
        if not session.address.strip():
            errors["address"] = "Indiquez l'adresse de la session, ou cochez « À distance »."
        if session.commune_id is None:
            errors["commune"] = "Indiquez l'arrondissement (ou la commune) de la session."
    if session.capacity is not None and session.capacity < seats_taken:
        errors["capacity"] = f"{seats_taken} places sont déjà réservées : la capacité ne peut pas descendre en dessous."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_session(*, session, positions, actor, organisation):
    """Plans a session (the facilitator) or changes a planned one: its positions (open ones; one or several
    companies), date and time, place (address and arrondissement, or online) and capacity. The companies taking
    part hear of it, and on a change of date or place, the prescribers of everyone holding a seat too."""
    if not perms.can(organisation, "session.plan"):
        raise PermissionDenied("Seul le facilitateur programme les informations collectives.")
    positions = list(positions)
    creating = session.pk is None
    if creating:
        session.organiser, session.created_by, session.state = organisation, actor, SessionState.PLANNED
        before, kept, invited, seats = None, set(), set(), 0
    else:
        before = InformationSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
        if before.state != SessionState.PLANNED:
            raise ValidationError(f"Une information collective « {before.get_state_display()} » ne se modifie plus.")
        kept = set(before.positions.values_list("pk", flat=True))
        invited = set(before.invitations.values_list("position_id", flat=True))
        seats = before.invitations.holding_a_seat().count()
    if session.is_online:
        session.address, session.commune = "", None
    _check_session(
        session,
        positions,
        kept_positions=kept,
        invited_positions=invited,
        seats_taken=seats,
        date_changed=creating or before.starts_at != session.starts_at,
    )
    session.full_clean()
    session.save()
    session.positions.set(positions)
    if creating:
        SESSION_WORKFLOW.start(session, actor=actor, organisation=organisation)
    record(
        action=AuditAction.SESSION_SAVED,
        actor=actor,
        organisation=organisation,
        target=session,
        details={"created": creating, "positions": len(positions), "capacity": session.capacity},
    )
    companies = {p.company_id: p.company for p in positions}
    if creating:
        _notify_companies(session, companies.values(), f"Information collective programmée le {when(session)}")
    else:
        taking_part = _companies_of(kept)
        new_companies = [c for pk, c in companies.items() if pk not in taking_part]
        if new_companies:
            _notify_companies(session, new_companies, f"Information collective programmée le {when(session)}")
        if any(getattr(before, name) != getattr(session, name) for name in WHEN_AND_WHERE):
            old = [c for pk, c in companies.items() if pk in taking_part]
            text = f"Information collective du {when(before)} : nouvelle date ou nouveau lieu, le {when(session)}"
            _notify_companies(session, old, text)
            _notify_prescribers(session, session.invitations.holding_a_seat(), text)
    return session


def _companies_of(position_ids):
    return set(Position.objects.filter(pk__in=position_ids).values_list("company_id", flat=True))


def _notify_companies(session, companies, text):
    notify(
        organisations=companies,
        text=f"{text} pour vos offres : les personnes présélectionnées vous seront transmises.",
        link=session_link(session),
        subject=session,
    )


def _notify_prescribers(session, invitations, text):
    """One notification per prescriber, naming no one: it is about the session."""
    prescribers = {
        i.candidate.prescriber_id: i.candidate.prescriber for i in invitations.select_related("candidate__prescriber")
    }
    notify(organisations=prescribers.values(), text=f"{text}.", link=session_link(session), subject=session)


@transaction.atomic
def move_session(*, session, target, actor, organisation, reason=""):
    """Cancels a planned session (the only move asked for: it is held once attendance is recorded). The
    invitations still waiting or confirmed are withdrawn, and their prescribers and the companies are told."""
    session = InformationSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    transition = SESSION_WORKFLOW.check(session, target, organisation)
    active = session.invitations.filter(state__in=(IS.INVITED, IS.CONFIRMED)).select_related("candidate__prescriber")
    prescribers, withdrawn, now = {}, 0, timezone.now()
    for invitation in active:
        invitation.state_changed_at = now
        INVITATION_WORKFLOW.apply(
            invitation,
            INVITATION_WORKFLOW["withdraw"],
            actor=actor,
            organisation=organisation,
            reason="Information collective annulée.",
            update_fields=["state_changed_at"],
        )
        prescribers[invitation.candidate.prescriber_id] = invitation.candidate.prescriber
        withdrawn += 1
    SESSION_WORKFLOW.apply(session, transition, actor=actor, organisation=organisation, reason=reason)
    record(
        action=AuditAction.SESSION_MOVED,
        actor=actor,
        organisation=organisation,
        target=session,
        details={"to": session.state, "withdrawn": withdrawn},
    )
    text = f"Information collective du {when(session)} annulée"
    notify(organisations=prescribers.values(), text=f"{text}.", link=session_link(session), subject=session)
    companies = {p.company_id: p.company for p in session.positions.select_related("company")}
    notify(organisations=companies.values(), text=f"{text}.", link=session_link(session), subject=session)
    return session


# --- Invitations ---------------------------------------------------------------------------------------------


def _lock_session(pk):
    return InformationSession.objects.select_for_update(of=("self",)).get(pk=pk)


def _check_planned(session, what):
    if session.state != SessionState.PLANNED:
        raise ValidationError(f"Cette information collective est « {session.get_state_display().lower()} » : {what}.")


def seats_taken(session):
    """Seats held in ``session``: read under its row lock by every step that may take one."""
    return session.invitations.holding_a_seat().count()


@transaction.atomic
def invite(*, session, candidate, position, actor, organisation):
    """The facilitator invites a person for one of the session's positions, and the person's prescriber is asked
    to answer for them; a prescriber signs up one of the people it follows, confirmed at once (and submitted to
    the position, if it was not yet). Refused when the session is full."""
    if perms.can(organisation, "session.invite"):
        target = IS.INVITED
    elif perms.can(organisation, "session.register"):
        if candidate.prescriber_id != organisation.pk:
            raise PermissionDenied(
                "Ce candidat n'est pas suivi par votre organisation : seul son prescripteur l'inscrit."
            )
        target = IS.CONFIRMED
    else:
        raise PermissionDenied("Seuls le facilitateur et les prescripteurs invitent à une information collective.")
    session = _lock_session(session.pk)
    _check_planned(session, "elle ne reçoit plus d'invitations")
    if not session.positions.filter(pk=position.pk).exists():
        raise ValidationError({"position": "Cette offre n'est pas au programme de cette information collective."})
    if candidate.is_anonymised:
        raise ValidationError(services.ANONYMISED)
    if not candidate.has_consent:
        raise ValidationError("Ce candidat n'a pas donné son consentement : il ne peut pas être invité.")
    if session.invitations.holding_a_seat().filter(candidate=candidate).exists():
        raise ValidationError("Cette personne est déjà invitée à cette information collective.")
    submission = Submission.objects.filter(candidate=candidate, position=position).first()
    if submission is not None and submission.state != SubmissionState.SUBMITTED:
        raise ValidationError(
            f"La candidature de cette personne à cette offre est « {submission.get_state_display().lower()} » : "
            "elle a déjà passé l'étape de l'information collective."
        )
    if submission is None and position.state != PositionState.OPEN:
        raise ValidationError("Cette offre n'est plus ouverte aux candidatures.")
    taken = seats_taken(session)
    if taken >= session.capacity:
        seats = f"{session.capacity} place{pluralize(session.capacity)}"
        raise ValidationError(
            f"Cette information collective est complète : {seats}, toutes réservées. "
            "Augmentez sa capacité ou attendez un désistement."
        )
    if submission is None and target == IS.CONFIRMED:
        submission = services.submit_candidate(
            candidate=candidate, position=position, actor=actor, organisation=organisation
        )
    invitation = SessionInvitation(
        session=session, candidate=candidate, position=position, submission=submission, state=target, invited_by=actor
    )
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:  # a concurrent invitation of the same person won the race
        raise ValidationError("Cette personne est déjà invitée à cette information collective.") from exc
    INVITATION_WORKFLOW.start(invitation, actor=actor, organisation=organisation)
    _record(invitation, "", actor, organisation)
    job = position.job_title.label
    if target == IS.INVITED:
        notify(
            organisations=[candidate.prescriber],
            text=(
                f"Invitation à l'information collective du {when(session)} pour l'offre « {job} » : "
                "confirmez ou déclinez pour la personne."
            ),
            details=f"Personne invitée : {candidate.full_name}.",
            link=invitation_link(invitation),
            subject=invitation,
        )
    else:
        notify(
            organisations=_facilitators(session),
            text=f"Inscription à l'information collective du {when(session)} pour l'offre « {job} ».",
            details=f"Personne inscrite par {organisation.name} : {candidate.full_name}.",
            link=invitation_link(invitation),
            subject=invitation,
        )
    return invitation


@transaction.atomic
def invite_many(*, session, pairs, actor, organisation):
    """``invite`` for each (candidate, position): all of them, or none when one is refused (its message says
    whom it is about)."""
    _check_planned(_lock_session(session.pk), "elle ne reçoit plus d'invitations")
    invitations = []
    for candidate, position in pairs:
        try:
            invitations.append(
                invite(session=session, candidate=candidate, position=position, actor=actor, organisation=organisation)
            )
        except ValidationError as exc:
            raise ValidationError([f"{candidate.full_name} : {message}" for message in exc.messages]) from exc
    return invitations


def _record(invitation, source, actor, organisation):
    record(
        action=AuditAction.INVITATION_MOVED,
        actor=actor,
        organisation=organisation,
        target=invitation,
        candidate=invitation.candidate_id,
        concerned=invitation.position.company_id,
        contract=invitation.position.contract_id,
        details={"session": invitation.session_id, "from": source, "to": invitation.state},
    )


def _move_submission(invitation, target, *, actor, organisation, refusal_reason="", reason=""):
    """The outcome moves the person's submission along its own workflow, through its service: its history, audit
    trail and notifications (the company hears of a person sent to it, the prescriber of a refusal and why)."""
    return services.transition_submission(
        submission=invitation.submission,
        target=target,
        refusal_reason=refusal_reason,
        reason=reason,
        actor=actor,
        organisation=organisation,
    )


def _hold(session, *, actor, organisation):
    """The first attendance recorded makes the session held (a move that follows, never asked for)."""
    if session.state == SessionState.PLANNED:
        SESSION_WORKFLOW.apply(session, SESSION_WORKFLOW["hold"], actor=actor, organisation=organisation)
        record(
            action=AuditAction.SESSION_MOVED,
            actor=actor,
            organisation=organisation,
            target=session,
            details={"to": session.state},
        )
    return session


@transaction.atomic
def move_invitation(*, invitation, target, actor, organisation, reason="", not_retained_reason="", redirection=""):
    """Moves an invitation (``INVITATION_WORKFLOW``): the prescriber confirms or declines for the person, the
    facilitator withdraws it, records presence or absence from the session's day on, then the outcome. ``reason``:
    free text; ``not_retained_reason``: a ``RefusalReason`` (not retained); ``redirection``: a ``Redirection``."""
    # The session first, then the invitation, as every step does: a cancellation and an answer never cross.
    session = _lock_session(invitation.session_id)
    invitation = (
        SessionInvitation.objects.select_for_update(of=("self",))
        .select_related("candidate__prescriber", "position__job_title", "submission")
        .get(pk=invitation.pk)
    )
    invitation.session = session
    source = invitation.state
    transition = INVITATION_WORKFLOW.check(invitation, target, organisation)
    if transition.name in ANSWERS:
        _check_planned(session, "les réponses sont closes")
    if transition.name in ATTENDANCE and timezone.localdate() < session.day:
        raise ValidationError(f"La présence se note à partir du jour de la session, le {session.day:%d/%m/%Y}.")
    valid_reasons = [r for r in RefusalReason.values if r != RefusalReason.REDIRECTED]
    if transition.name == "not_retain" and not_retained_reason not in valid_reasons:
        raise ValidationError(
            {"not_retained_reason": "Choisissez dans la liste pourquoi la personne n'est pas retenue."}
        )
    if transition.name == "redirect" and redirection not in Redirection.values:
        raise ValidationError({"redirection": "Choisissez dans la liste vers quoi la personne est réorientée."})
    moves = {"actor": actor, "organisation": organisation}
    if transition.name == "confirm" and invitation.submission is None:
        invitation.submission = services.submit_candidate(
            candidate=invitation.candidate, position=invitation.position, **moves
        )
    elif transition.name in ATTENDANCE:
        _hold(session, **moves)
    elif transition.name == "preselect":
        _move_submission(invitation, SubmissionState.PRESELECTED, reason=reason, **moves)
    elif transition.name == "send":
        _move_submission(invitation, SubmissionState.SENT_TO_COMPANY, reason=reason, **moves)
    elif transition.name == "not_retain":
        invitation.not_retained_reason = not_retained_reason
        _move_submission(
            invitation, SubmissionState.REFUSED, refusal_reason=not_retained_reason, reason=reason, **moves
        )
    elif transition.name == "redirect":
        invitation.redirection = redirection
        note = f"Réorientation : {Redirection(redirection).label}{f' – {reason}' if reason else ''}"
        _move_submission(
            invitation, SubmissionState.REFUSED, refusal_reason=RefusalReason.REDIRECTED, reason=note, **moves
        )
    invitation.state_changed_at = timezone.now()
    INVITATION_WORKFLOW.apply(
        invitation,
        transition,
        reason=reason,
        update_fields=["state_changed_at", "submission", "not_retained_reason", "redirection"],
        **moves,
    )
    _record(invitation, source, actor, organisation)
    _notify_move(invitation, transition.name, reason, organisation)
    return invitation


def _notify_move(invitation, name, reason, organisation):
    """Who must know, besides what the submission's own moves tell: the facilitator of a declined invitation,
    the prescriber of a withdrawn one and of an absence."""
    session, candidate = invitation.session, invitation.candidate
    about = f"l'information collective du {when(session)} ({invitation.position.job_title.label})"
    because = f" Motif : {reason}" if reason else ""
    if name == "decline":
        recipients, text = _facilitators(session), f"Invitation déclinée à {about}."
        details = f"{candidate.full_name}, pour {organisation.name}.{because}"
    elif name == "withdraw":
        recipients, text = [candidate.prescriber], f"Invitation retirée à {about}."
        details = f"Personne concernée : {candidate.full_name}.{because}"
    elif name == "miss":
        recipients, text = [candidate.prescriber], f"Absence à {about}."
        details = f"Personne absente : {candidate.full_name}."
    else:
        return
    notify(organisations=recipients, text=text, details=details, link=invitation_link(invitation), subject=invitation)


@transaction.atomic
def record_attendance(*, session, present, absent, actor, organisation):
    """The attendance sheet at once: the invitations of ``present`` and ``absent`` (ids), all recorded or none."""
    present, absent = set(present), set(absent)
    if present & absent:
        raise ValidationError("Une même personne ne peut pas être à la fois présente et absente.")
    invitations = SessionInvitation.objects.filter(pk__in=present | absent).select_related("candidate")
    if len(invitations) != len(present | absent) or any(i.session_id != session.pk for i in invitations):
        raise ValidationError("Ces invitations ne sont pas toutes de cette information collective.")
    moved = []
    for invitation in sorted(invitations, key=lambda i: i.pk):
        target = IS.PRESENT if invitation.pk in present else IS.ABSENT
        try:
            moved.append(move_invitation(invitation=invitation, target=target, actor=actor, organisation=organisation))
        except ValidationError as exc:
            raise ValidationError([f"{invitation.candidate.full_name} : {m}" for m in exc.messages]) from exc
    return moved


@transaction.atomic
def record_redirection_outcome(*, invitation, outcome, actor, organisation):
    """What came of a redirection (a job, a training, a VAE, still followed...), for the reports."""
    if not perms.can(organisation, "session.attendance"):
        raise PermissionDenied("Seul le facilitateur enregistre la suite d'une réorientation.")
    invitation = SessionInvitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if invitation.state != IS.REDIRECTED:
        raise ValidationError("Seule une personne réorientée a une suite de réorientation.")
    if outcome not in RedirectionOutcome.values:
        raise ValidationError({"outcome": "Choisissez la suite dans la liste."})
    invitation.redirection_outcome, invitation.redirection_outcome_at = outcome, timezone.now()
    invitation.save(update_fields=["redirection_outcome", "redirection_outcome_at"])
    record(
        action=AuditAction.INVITATION_MOVED,
        actor=actor,
        organisation=organisation,
        target=invitation,
        candidate=invitation.candidate_id,
        details={"session": invitation.session_id, "redirection_outcome": outcome},
    )
    return invitation


# --- What the reports count ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionActivity:
    """Information sessions held over a period and what came of them: the MEP's own indicators (sessions held,
    people presented to the companies, hires, redirections and their outcomes)."""

    sessions_held: int
    invited: int
    confirmed: int
    present: int
    preselected: int
    presented: int
    hired: int
    redirected: int
    # Redirection value → count, and RedirectionOutcome value → count (no outcome recorded yet: "").
    redirections: dict = field(default_factory=dict)
    redirection_outcomes: dict = field(default_factory=dict)


def _bounds(start, end):
    """Aware datetimes of the first moment of ``start`` and of the day after ``end`` (local days)."""
    zone = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time()), zone)
    after = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time()), zone)
    return first, after


def activity(*, start, end, organisation=None, contracts=None):
    """Counts of the sessions held from ``start`` to ``end`` (dates, both included, the session's local day),
    for the activity report (``reporting.recruitment.drives`` reads it). ``organisation``: None or the facilitator
    for everything; a buyer gets the people invited for positions on its contracts (and the sessions that had
    one), a company for its own positions. ``contracts`` (a queryset, the report's own): only the people invited
    for positions on those contracts, and the sessions that had one. Counts are of invitations: a person invited
    to two sessions counts twice; ``hired``: sent to the company and hired by it (the submission's state, before
    the facilitator's validation of the placement). Four queries, whatever the number of sessions."""
    first, after = _bounds(start, end)
    sessions = InformationSession.objects.filter(state=SessionState.HELD, starts_at__gte=first, starts_at__lt=after)
    invitations = SessionInvitation.objects.filter(session__in=sessions)
    if organisation is not None and not perms.sees_everything(organisation):
        if organisation.kind == OrganisationKind.BUYER:
            invitations = invitations.filter(position__contract__buyer=organisation)
            sessions = sessions.filter(positions__contract__buyer=organisation)
        elif organisation.kind == OrganisationKind.COMPANY:
            invitations = invitations.filter(position__company=organisation)
            sessions = sessions.filter(positions__company=organisation)
        else:
            invitations, sessions = invitations.none(), sessions.none()
    if contracts is not None:
        invitations = invitations.filter(position__contract__in=contracts.values("pk"))
        sessions = sessions.filter(positions__contract__in=contracts.values("pk"))
    counts = invitations.funnel()
    redirected = invitations.filter(state=IS.REDIRECTED)
    return SessionActivity(
        sessions_held=sessions.distinct().count(),
        invited=counts["invited"],
        confirmed=counts["confirmed"],
        present=counts["present"],
        preselected=counts["preselected"],
        presented=counts["sent"],
        hired=counts["hired"],
        redirected=counts["redirected"],
        redirections=_by(redirected, "redirection"),
        redirection_outcomes=_by(redirected, "redirection_outcome"),
    )


def _by(invitations, name):
    return dict(invitations.order_by().values_list(name).annotate(n=Count("pk")).values_list(name, "n"))
