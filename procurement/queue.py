"""The statements list, and above all the facilitator's queue of hours to check: each row carries what the
facilitator needs to decide without opening anything else (proof, source, the limit the hours were checked
against, any warning), in a fixed number of queries whatever the number of statements.

The person behind a placement shows as a pseudonym: the facilitator checks hours, not identities, and the
page is often read over a shoulder. The link to the placement is a lookup through the ORM, not an import
(the marketplace is built on procurement, never the reverse)."""

from dataclasses import dataclass

from django.db.models import F

from accounts import perms
from common.pseudonyms import pseudonym
from procurement.enums import StatementState
from procurement.models import HoursStatement

# A facilitator's batch: a month of statements of a mid-sized contract fits on one page, to tick and validate.
PAGE_SIZE = 100


def statements_for(organisation, state):
    """The statements the organisation sees in ``state`` (every state when unknown), oldest month first."""
    statements = (
        HoursStatement.objects.visible_to(organisation)
        .select_related("source__contract", "source__company", "source__siae_order__siae")
        .annotate(candidate_id=F("source__placement__submission__candidate_id"))
        .order_by("month", "pk")
    )
    if state in StatementState.values:
        statements = statements.filter(state=state)
    return statements


@dataclass
class Row:
    statement: HoursStatement
    who: str
    proof_readable: bool


def rows(statements, organisation):
    """One row per statement of the page (already loaded with ``statements_for``): no further query."""
    result = []
    for statement in statements:
        source = statement.source
        order = getattr(source, "siae_order", None)  # loaded by select_related, None when absent
        if statement.candidate_id is not None:
            who = f"Personne {pseudonym(statement.candidate_id)}"
        elif order is not None:
            who = f"SIAE {order.siae.name}"
        else:
            who = "—"
        readable = bool(statement.proof) and perms.reads_proofs_of(organisation, source.company_id)
        result.append(Row(statement=statement, who=who, proof_readable=readable))
    return result
