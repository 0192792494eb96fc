"""The state machines of the marketplace (see ``accounts.workflows``): positions, submissions, placements.

A position: drafted, published, closed and reopened by its company; filled when its last opening is taken, open
again when a refused placement frees one. A submission: submitted → preselected (facilitator) → sent to company
(facilitator) → interview (company) → hired (company); refused by the facilitator before the company has it, by
either once it has; withdrawn by the prescriber at any active stage. A placement: created by the hire, validated or
refused by the facilitator. ``marketplace.services`` is the only writer of their states.
"""

from accounts.enums import OrganisationKind as Kind
from accounts.workflows import Transition, Workflow
from marketplace.enums import ACTIVE_SUBMISSION_STATES, PlacementState, PositionState, SessionState
from marketplace.enums import InvitationState as IS
from marketplace.enums import SubmissionState as S
from marketplace.models import (
    InformationSessionTransition,
    PlacementTransition,
    PositionTransition,
    SessionInvitationTransition,
    SubmissionTransition,
)

POSITION = Workflow(
    states=PositionState,
    transitions=[
        Transition("create", (), PositionState.DRAFT, "position.manage", "Créer l'offre"),
        Transition("publish", (PositionState.DRAFT,), PositionState.OPEN, "position.manage", "Publier"),
        Transition(
            "close",
            (PositionState.DRAFT, PositionState.OPEN, PositionState.FILLED),
            PositionState.CLOSED,
            "position.manage",
            "Fermer",
        ),
        Transition("reopen", (PositionState.CLOSED,), PositionState.OPEN, "position.manage", "Rouvrir"),
        # Follow from a hire taking the last opening, and from a refused placement freeing one.
        Transition("fill", (PositionState.OPEN,), PositionState.FILLED, None, "Pourvoir"),
        Transition("free", (PositionState.FILLED,), PositionState.OPEN, None, "Libérer un poste"),
    ],
    log=PositionTransition,
    subject="position",
    noun="offre",
    feminine=True,
    parties=lambda position: {position.company_id},
)

SUBMISSION = Workflow(
    states=S,
    transitions=[
        Transition("submit", (), S.SUBMITTED, "submission.create", "Positionner"),
        Transition("preselect", (S.SUBMITTED,), S.PRESELECTED, "submission.preselect", "Présélectionner"),
        Transition("send", (S.PRESELECTED,), S.SENT_TO_COMPANY, "submission.send", "Transmettre à l'entreprise"),
        Transition("interview", (S.SENT_TO_COMPANY,), S.INTERVIEW, "submission.interview", "Passer en entretien"),
        Transition("hire", (S.INTERVIEW,), S.HIRED, "submission.hire", "Embaucher"),
        Transition("screen_out", (S.SUBMITTED, S.PRESELECTED), S.REFUSED, "submission.screen_out", "Refuser"),
        Transition("refuse", (S.SENT_TO_COMPANY, S.INTERVIEW), S.REFUSED, "submission.refuse", "Refuser"),
        Transition("withdraw", ACTIVE_SUBMISSION_STATES, S.WITHDRAWN, "submission.withdraw", "Retirer"),
    ],
    log=SubmissionTransition,
    subject="submission",
    noun="candidature",
    feminine=True,
    parties=lambda submission: {submission.position.company_id, submission.candidate.prescriber_id},
)

PLACEMENT = Workflow(
    states=PlacementState,
    transitions=[
        # The company's hire (the submission's "hire") creates the placement.
        Transition("hire", (), PlacementState.PENDING, "submission.hire", "Embaucher"),
        Transition("validate", (PlacementState.PENDING,), PlacementState.VALIDATED, "placement.validate", "Valider"),
        Transition("refuse", (PlacementState.PENDING,), PlacementState.REFUSED, "placement.validate", "Refuser"),
    ],
    log=PlacementTransition,
    subject="placement",
    noun="mise à l'emploi",
    feminine=True,
    parties=lambda placement: {placement.position.company_id},
)

# Moves that need a refusal's code from RefusalReason (the submission's ``refusal_reason``).
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
