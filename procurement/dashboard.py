"""What procurement puts on each role's dashboard (``common.dashboard``): the facilitator's queues of contracts
and hours, the buyer's contracts with their hours due against validated (late ones first), the contracts at risk
of the facilitator, the buyer and the company holding them, the SIAE's orders and hours. Each function runs a
fixed number of queries whatever the number of contracts or statements."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.urls import reverse

from accounts import perms
from accounts.enums import OrganisationKind as Kind
from common.dashboard import WorkItem, filtered_url
from common.formats import number
from procurement import forecast
from procurement.enums import ContractState, ProgressStatus, StatementState
from procurement.models import Contract, ContractTransition, HoursStatement, SiaeOrder, ValidatedHours
from procurement.progress import ZERO, months_between

# Contracts whose hours the buyer follows on its dashboard: sized, then carried out.
FOLLOWED_STATES = (ContractState.CONFIRMED, ContractState.AWARDED, ContractState.IN_PROGRESS)
CONTRACTS_SHOWN = 10
# Contracts at risk named on the dashboard's card, worst first; the list it links to has them all.
WORST_SHOWN = 3


def plural(count, singular, plural_form):
    return f"{singular if abs(count) < 2 else plural_form}"


def work(organisation, today):
    """The items of procurement for ``organisation``'s dashboard."""
    if perms.sees_everything(organisation):
        return _facilitator(organisation)
    if organisation.kind == Kind.BUYER:
        return _buyer(organisation)
    if organisation.kind == Kind.SIAE:
        return _siae(organisation)
    if organisation.kind == Kind.COMPANY:
        # The contracts it holds that fall behind: the company is the one who must deliver their hours.
        return [_at_risk(organisation, rank=15)]
    return []


def _facilitator(organisation):
    # 1. Contracts submitted, each since its last submission.
    submitted_at = (
        ContractTransition.objects.filter(contract=OuterRef("pk"), to_state=ContractState.SUBMITTED)
        .order_by("-at")
        .values("at")[:1]
    )
    to_confirm = (
        Contract.objects.filter(state=ContractState.SUBMITTED)
        .annotate(since=Subquery(submitted_at))
        .aggregate(count=Count("pk"), oldest=Min("since"))
    )
    # 2. Statements declared, not decided yet.
    to_validate = HoursStatement.objects.filter(state=StatementState.DECLARED).aggregate(
        count=Count("pk"), oldest=Min("declared_at")
    )
    return [
        _at_risk(organisation, rank=60),
        WorkItem(
            label=plural(to_confirm["count"], "marché aux heures à confirmer", "marchés aux heures à confirmer"),
            count=to_confirm["count"],
            url=filtered_url("procurement:contract_list", etat=ContractState.SUBMITTED),
            rank=10,
            oldest=to_confirm["oldest"],
        ),
        WorkItem(
            label=plural(to_validate["count"], "relevé d'heures à valider", "relevés d'heures à valider"),
            count=to_validate["count"],
            url=filtered_url("procurement:statement_list", etat=StatementState.DECLARED),
            rank=50,
            oldest=to_validate["oldest"],
        ),
    ]


def _buyer(organisation):
    # 1. Its contracts by state (drafts to submit, those the facilitator sizes).
    contracts = Contract.objects.filter(buyer=organisation).aggregate(
        drafts=Count("pk", filter=Q(state=ContractState.DRAFT)),
        submitted=Count("pk", filter=Q(state=ContractState.SUBMITTED)),
        oldest_draft=Min("created_at", filter=Q(state=ContractState.DRAFT)),
    )
    # 2. Hours declared on its contracts, waiting for the facilitator.
    waiting = HoursStatement.objects.filter(
        source__contract__buyer=organisation, state=StatementState.DECLARED
    ).aggregate(count=Count("pk"), oldest=Min("declared_at"))
    return [
        WorkItem(
            label=plural(contracts["drafts"], "marché en brouillon à soumettre", "marchés en brouillon à soumettre"),
            count=contracts["drafts"],
            url=filtered_url("procurement:contract_list", etat=ContractState.DRAFT),
            rank=10,
            oldest=contracts["oldest_draft"],
        ),
        WorkItem(
            label=plural(contracts["submitted"], "marché en cours de vérification", "marchés en cours de vérification"),
            count=contracts["submitted"],
            url=filtered_url("procurement:contract_list", etat=ContractState.SUBMITTED),
            rank=20,
            detail="Le facilitateur confirme leurs heures d'insertion.",
        ),
        WorkItem(
            label=plural(waiting["count"], "relevé d'heures en attente", "relevés d'heures en attente"),
            count=waiting["count"],
            url=filtered_url("procurement:statement_list", etat=StatementState.DECLARED),
            rank=30,
            oldest=waiting["oldest"],
            detail="Déclarés par les entreprises, le facilitateur les vérifie.",
        ),
        _at_risk(organisation, rank=40),
    ]


def _at_risk(organisation, *, rank):
    """The contracts the last monthly check found short (``forecast.contracts_at_risk``, the list it links to),
    at risk for the longest since when, and the worst of them by name, most hours at risk first. Two queries."""
    at_risk = forecast.contracts_at_risk(organisation)
    totals = at_risk.aggregate(count=Count("pk"), oldest=Min("at_risk_since"), hours=Sum("hours_at_risk"))
    detail = ""
    if totals["count"]:
        worst = list(at_risk.values_list("contract__reference", "hours_at_risk")[:WORST_SHOWN])
        named = ", ".join(f"{reference} ({number(hours)} h)" for reference, hours in worst)
        detail = (
            f"{number(totals['hours'] or 0)} h à risque au rythme actuel. "
            f"{'Les plus en retard' if len(worst) > 1 else 'Le plus en retard'} : {named}."
        )
    return WorkItem(
        label=plural(totals["count"], "marché à risque", "marchés à risque"),
        count=totals["count"],
        url=reverse("procurement:contracts_at_risk"),
        rank=rank,
        oldest=totals["oldest"],
        detail=detail,
    )


def _siae(organisation):
    # 1. Orders received, with the hours they bring.
    orders = SiaeOrder.objects.filter(siae=organisation).aggregate(count=Count("pk"), hours=Sum("hours"))
    # 2. Hours declared on those orders, by state.
    statements = HoursStatement.objects.filter(source__siae_order__siae=organisation).aggregate(
        validated=Sum("hours", filter=Q(state=StatementState.VALIDATED)),
        waiting=Count("pk", filter=Q(state=StatementState.DECLARED)),
        oldest=Min("declared_at", filter=Q(state=StatementState.DECLARED)),
    )
    validated = statements["validated"] or ZERO
    return [
        WorkItem(
            label=plural(orders["count"], "commande reçue", "commandes reçues"),
            count=orders["count"],
            url=reverse("procurement:siae_order_list"),
            rank=10,
            detail=f"{number(orders['hours'] or 0)} h d'insertion apportées aux marchés.",
        ),
        WorkItem(
            label=plural(statements["waiting"], "relevé d'heures en attente", "relevés d'heures en attente"),
            count=statements["waiting"],
            url=filtered_url("procurement:statement_list", etat=StatementState.DECLARED),
            rank=20,
            oldest=statements["oldest"],
            detail=f"{number(validated)} h validées sur vos commandes.",
        ),
    ]


@dataclass(frozen=True)
class ContractHours:
    """One row of the buyer's table: a contract's hours due against validated, and where its pace leads."""

    contract: object
    validated: Decimal
    projected: Decimal
    status: str

    @property
    def due(self):
        return self.contract.clause_hours

    @property
    def rate(self):
        return round(self.validated * 100 / self.due, 1) if self.due else None

    @property
    def is_late(self):
        return self.status == ProgressStatus.LATE

    def get_status_display(self):
        return ProgressStatus(self.status).label


def _project(due, validated, first_month, ends_on, today):
    """The contract page's projection (``progress._project``) from a contract's totals."""
    if due and validated >= due:
        return validated, ProgressStatus.DONE
    if first_month is None:
        return ZERO, ProgressStatus.NOT_STARTED
    pace = validated / (months_between(first_month, today) or 1)
    remaining = months_between(today, ends_on) if ends_on else 0
    projected = (validated + pace * remaining).quantize(Decimal("1"))
    return projected, ProgressStatus.ON_TRACK if projected >= due else ProgressStatus.LATE


_ORDER = {ProgressStatus.LATE: 0, ProgressStatus.NOT_STARTED: 1, ProgressStatus.ON_TRACK: 2, ProgressStatus.DONE: 3}


def buyer_contracts(organisation, today):
    """(rows, total): the buyer's followed contracts with their hours, late ones first then the least advanced,
    the first ``CONTRACTS_SHOWN`` of them. Two queries: the contracts, the validated totals by contract."""
    contracts = list(
        Contract.objects.filter(buyer=organisation, state__in=FOLLOWED_STATES).only(
            "pk", "reference", "lot", "title", "state", "clause_hours", "ends_on"
        )
    )
    totals = {
        contract_id: (total, first)
        for contract_id, total, first in ValidatedHours.objects.filter(
            contract__buyer=organisation, contract__state__in=FOLLOWED_STATES
        )
        .values("contract_id")
        .annotate(total=Sum("hours"), first=Min("month", filter=~Q(hours=0)))
        .values_list("contract_id", "total", "first")
        .order_by()
    }
    rows = []
    for contract in contracts:
        validated, first = totals.get(contract.pk, (ZERO, None))
        validated = Decimal(validated)
        projected, status = _project(contract.clause_hours, validated, first, contract.ends_on, today)
        rows.append(ContractHours(contract, validated, projected, status))
    rows.sort(key=lambda row: (_ORDER[row.status], row.rate if row.rate is not None else 0, row.contract.reference))
    return rows[:CONTRACTS_SHOWN], len(rows)
