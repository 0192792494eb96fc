"""The state machines of the marketplace (see ``accounts.workflows``): positions, submissions, placements.

A position: drafted, published, closed and reopened by its company; filled when its last opening is taken, open
again when a refused placement frees one. A submission: submitted → preselected (facilitator) → sent to company
(facilitator) → interview (company) → hired (company); refused by the facilitator before the company has it, by
either once it has; withdrawn by the prescriber at any active stage. A placement: created by the hire, validated or
refused by the facilitator. ``marketplace.services`` is the only writer of their states.
"""

from accounts.enums import OrganisationKind as Kind
from accounts.workflows import Transition, Workflow
from marketplace.enums import ACTIVE_SUBMISSION_STATES, PlacementState, PositionState
from marketplace.enums import SubmissionState as S
from marketplace.models import PlacementTransition, PositionTransition, SubmissionTransition

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
