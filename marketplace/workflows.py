"""The submission workflow, in one place: which state may follow which, and who may move it.

submitted → preselected (facilitator) → sent to company (facilitator) → interview (company) →
hired (company); refused (facilitator at any active stage, the company once it has the submission,
with a reason from ``RefusalReason``); withdrawn (prescriber, at any active stage).
``marketplace.services.transition_submission`` applies a move and logs it.
"""

from django.core.exceptions import ValidationError

from accounts.enums import OrganisationKind as Kind
from accounts.workflows import Transition, Workflow
from marketplace.enums import InvitationState as IS
from marketplace.enums import SessionState
from marketplace.enums import SubmissionState as S
from marketplace.models import InformationSessionTransition, SessionInvitationTransition

ACTIVE_STATES = (S.SUBMITTED, S.PRESELECTED, S.SENT_TO_COMPANY, S.INTERVIEW)
FINAL_STATES = (S.HIRED, S.REFUSED, S.WITHDRAWN)

# (from, to) -> organisation kinds allowed to make that move.
TRANSITIONS = {
    (S.SUBMITTED, S.PRESELECTED): {Kind.FACILITATOR},
    (S.PRESELECTED, S.SENT_TO_COMPANY): {Kind.FACILITATOR},
    (S.SENT_TO_COMPANY, S.INTERVIEW): {Kind.COMPANY},
    (S.INTERVIEW, S.HIRED): {Kind.COMPANY},
    (S.SUBMITTED, S.REFUSED): {Kind.FACILITATOR},
    (S.PRESELECTED, S.REFUSED): {Kind.FACILITATOR},
    (S.SENT_TO_COMPANY, S.REFUSED): {Kind.FACILITATOR, Kind.COMPANY},
    (S.INTERVIEW, S.REFUSED): {Kind.FACILITATOR, Kind.COMPANY},
    **{(source, S.WITHDRAWN): {Kind.PRESCRIBER} for source in ACTIVE_STATES},
}

# Moves that need a reason from RefusalReason.
REASON_REQUIRED = {S.REFUSED}

# Who must act once a submission reaches a state (notified by email and in the app).
NEXT_PARTY = {
    S.SUBMITTED: Kind.FACILITATOR,
    S.PRESELECTED: Kind.FACILITATOR,
    S.SENT_TO_COMPANY: Kind.COMPANY,
    S.INTERVIEW: Kind.PRESCRIBER,
    S.HIRED: Kind.FACILITATOR,
    S.REFUSED: Kind.PRESCRIBER,
    S.WITHDRAWN: Kind.FACILITATOR,
}


def check_transition(*, source, target, organisation):
    """Raises a French ``ValidationError`` when ``organisation`` may not move a submission from
    ``source`` to ``target``; returns nothing otherwise."""
    allowed = TRANSITIONS.get((source, target))
    if allowed is None:
        raise ValidationError(
            f"Une candidature « {S(source).label} » ne peut pas passer à l'état « {S(target).label} ».",
            code="invalid_transition",
        )
    if organisation is None or organisation.kind not in allowed:
        who = ", ".join(sorted(str(Kind(kind).label).lower() for kind in allowed))
        raise ValidationError(
            f"Passer de « {S(source).label} » à « {S(target).label} » est réservé à : {who}.",
            code="forbidden_transition",
        )


def available_targets(*, source, organisation):
    """The states this organisation may move a submission to from ``source``, in workflow order."""
    if organisation is None:
        return []
    return [target for (src, target), kinds in TRANSITIONS.items() if src == source and organisation.kind in kinds]


# Information sessions (``marketplace.sessions`` applies the moves): the facilitator plans a session and may
# cancel it while planned; it is held once the facilitator records the first attendance.
SESSION_WORKFLOW = Workflow(
    states=SessionState,
    transitions=[
        Transition("plan", (), SessionState.PLANNED, "session.plan", "Programmer"),
        Transition("hold", (SessionState.PLANNED,), SessionState.HELD, None, "Tenir"),
        Transition("cancel", (SessionState.PLANNED,), SessionState.CANCELLED, "session.plan", "Annuler la session"),
    ],
    log=InformationSessionTransition,
    subject="session",
    noun="information collective",
    feminine=True,
    parties=lambda session: {session.organiser_id},
)

# A person's invitation: the facilitator invites, the person's prescriber answers for them (or signs them up
# itself, confirmed at once); on the day the facilitator marks them present or absent, then preselects and
# sends them to the company, or does not retain them (with a reason), or redirects them elsewhere.
INVITATION_WORKFLOW = Workflow(
    states=IS,
    transitions=[
        Transition("invite", (), IS.INVITED, "session.invite", "Inviter"),
        Transition("register", (), IS.CONFIRMED, "session.register", "Inscrire"),
        Transition("confirm", (IS.INVITED,), IS.CONFIRMED, "session.answer", "Confirmer la venue"),
        Transition("decline", (IS.INVITED, IS.CONFIRMED), IS.DECLINED, "session.answer", "Décliner"),
        Transition("withdraw", (IS.INVITED, IS.CONFIRMED), IS.WITHDRAWN, "session.invite", "Retirer l'invitation"),
        Transition("attend", (IS.CONFIRMED, IS.ABSENT), IS.PRESENT, "session.attendance", "Présente"),
        Transition("miss", (IS.CONFIRMED,), IS.ABSENT, "session.attendance", "Absente"),
        Transition("preselect", (IS.PRESENT,), IS.PRESELECTED, "session.attendance", "Présélectionner"),
        Transition("send", (IS.PRESELECTED,), IS.SENT, "session.attendance", "Transmettre à l'entreprise"),
        Transition("not_retain", (IS.PRESENT,), IS.NOT_RETAINED, "session.attendance", "Ne pas retenir"),
        Transition("redirect", (IS.PRESENT,), IS.REDIRECTED, "session.attendance", "Réorienter"),
    ],
    log=SessionInvitationTransition,
    subject="invitation",
    noun="invitation",
    feminine=True,
    # The prescriber answers for the people it follows only.
    parties=lambda invitation: {invitation.candidate.prescriber_id},
)
