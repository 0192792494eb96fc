"""The state machines of procurement (see ``accounts.workflows``): the contract's life and the hours statement's.

A contract: draft → submitted → confirmed (facilitator) → awarded → in_progress → closed; the facilitator may send
a submitted contract back to draft. A statement: declared by the company, then validated or rejected by the
facilitator. ``procurement.services`` is the only writer of their states.
"""

from accounts.enums import OrganisationKind as Kind
from accounts.workflows import Transition, Workflow
from procurement.enums import ContractState as S
from procurement.enums import StatementState
from procurement.models import ContractTransition, StatementTransition

CONTRACT = Workflow(
    states=S,
    transitions=[
        Transition("create", (), S.DRAFT, "contract.create", "Enregistrer le marché"),
        Transition("submit", (S.DRAFT,), S.SUBMITTED, "contract.submit", "Soumettre au facilitateur"),
        Transition("send_back", (S.SUBMITTED,), S.DRAFT, "contract.send_back", "Renvoyer en brouillon"),
        Transition("confirm", (S.SUBMITTED,), S.CONFIRMED, "contract.confirm_hours", "Confirmer les heures"),
        # Through its own form, with the companies and their hours (``services.award_contract``).
        Transition("award", (S.CONFIRMED,), S.AWARDED, "contract.award", "Attribuer"),
        Transition("start", (S.AWARDED,), S.IN_PROGRESS, "contract.start", "Démarrer l'exécution"),
        Transition("close", (S.IN_PROGRESS,), S.CLOSED, "contract.close", "Clore le marché"),
    ],
    log=ContractTransition,
    subject="contract",
    noun="marché",
    parties=lambda contract: {contract.buyer_id},
)

STATEMENT = Workflow(
    states=StatementState,
    transitions=[
        Transition("declare", (), StatementState.DECLARED, "hours.declare", "Déclarer les heures"),
        Transition("validate", (StatementState.DECLARED,), StatementState.VALIDATED, "hours.validate", "Valider"),
        Transition("reject", (StatementState.DECLARED,), StatementState.REJECTED, "hours.validate", "Refuser"),
        # After closing, the facilitator's correction is created validated.
        Transition("correct", (), StatementState.VALIDATED, "hours.validate", "Corriger les heures d'un marché clos"),
    ],
    log=StatementTransition,
    subject="statement",
    noun="relevé d'heures",
    parties=lambda statement: {statement.source.company_id},
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

# The states in which each kind of organisation may still edit a contract: a buyer its drafts, the facilitator
# also while sizing a submitted one.
EDITABLE_STATES = {Kind.BUYER: (S.DRAFT,), Kind.FACILITATOR: (S.DRAFT, S.SUBMITTED)}


def can_edit(contract, organisation):
    """Whether the organisation may still change the contract's data (``EDITABLE_STATES``)."""
    return (
        organisation is not None
        and contract.state in EDITABLE_STATES.get(organisation.kind, ())
        and CONTRACT.may(CONTRACT["create"], contract, organisation)
    )
