"""The contract's life in one table: states, allowed transitions and who may perform each.

draft → submitted → confirmed (facilitator) → awarded → in_progress → closed; the facilitator may send a
submitted contract back to draft. ``services.transition_contract`` is the only writer of ``Contract.state``.
"""

from dataclasses import dataclass

from accounts.enums import OrganisationKind as Kind
from procurement.enums import ContractState as S


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    kinds: frozenset
    label: str


TRANSITIONS = (
    Transition("submit", S.DRAFT, S.SUBMITTED, frozenset({Kind.BUYER, Kind.FACILITATOR}), "Soumettre au facilitateur"),
    Transition("send_back", S.SUBMITTED, S.DRAFT, frozenset({Kind.FACILITATOR}), "Renvoyer en brouillon"),
    Transition("confirm", S.SUBMITTED, S.CONFIRMED, frozenset({Kind.FACILITATOR}), "Confirmer les heures"),
    Transition("award", S.CONFIRMED, S.AWARDED, frozenset({Kind.BUYER, Kind.FACILITATOR}), "Attribuer"),
    Transition("start", S.AWARDED, S.IN_PROGRESS, frozenset({Kind.BUYER, Kind.FACILITATOR}), "Démarrer l'exécution"),
    Transition("close", S.IN_PROGRESS, S.CLOSED, frozenset({Kind.BUYER, Kind.FACILITATOR}), "Clore le marché"),
)

# Transitions that cannot be undone, confirmed first (a modal, or a page without JavaScript), with what they do.
IRREVERSIBLE = {
    S.CLOSED: (
        "Le marché sera clos pour de bon : plus aucune heure ne pourra y être déclarée ni aucune commande à une SIAE "
        "enregistrée, et son bilan sera figé tel qu'il est."
    ),
}

# States in which hours may be declared and SIAE orders recorded.
EXECUTION_STATES = (S.AWARDED, S.IN_PROGRESS)


def find(source, target):
    """The transition from ``source`` to ``target``, or None when the table has none."""
    return next((t for t in TRANSITIONS if t.source == source and t.target == target), None)


def available(contract, organisation):
    """Transitions the organisation may trigger from the contract's current state (for buttons).
    Awarding goes through its own form, with the companies and their hours."""
    if organisation is None:
        return []
    return [
        t for t in TRANSITIONS if t.source == contract.state and organisation.kind in t.kinds and t.target != S.AWARDED
    ]


def can_edit(contract, organisation):
    """A buyer edits its contract only as a draft; the facilitator also while sizing a submitted one."""
    if organisation is None:
        return False
    if organisation.kind == Kind.FACILITATOR:
        return contract.state in (S.DRAFT, S.SUBMITTED)
    return organisation.kind == Kind.BUYER and contract.buyer_id == organisation.pk and contract.state == S.DRAFT
