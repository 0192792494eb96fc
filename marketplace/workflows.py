"""The submission workflow, in one place: which state may follow which, and who may move it.

submitted → preselected (facilitator) → sent to company (facilitator) → interview (company) →
hired (company); refused (facilitator at any active stage, the company once it has the submission,
with a reason from ``RefusalReason``); withdrawn (prescriber, at any active stage).
``marketplace.services.transition_submission`` applies a move and logs it.
"""

from django.core.exceptions import ValidationError

from accounts.enums import OrganisationKind as Kind
from marketplace.enums import SubmissionState as S

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
