"""Shortfall forecast of many contracts at once: the projection of the contract page (``progress.project``)
fed from the ``ValidatedHours`` totals, so that checking every contract in progress is one grouped query
whatever the number of statements. ``services.check_shortfalls`` stores it and alerts the parties."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Min, Q, Sum

from procurement.models import ContractForecast, ValidatedHours
from procurement.progress import ZERO, penalty_for, project


@dataclass(frozen=True)
class Forecast:
    contract: object
    validated: Decimal
    projected: Decimal
    status: str
    first_month: object

    @property
    def due(self):
        return self.contract.clause_hours

    @property
    def hours_at_risk(self):
        """Hours due that the projection at the current pace does not reach."""
        return max(ZERO, self.due - self.projected)

    @property
    def penalty_at_stake(self):
        return penalty_for(self.hours_at_risk, self.contract.penalty_per_missing_hour)

    @property
    def shortfall_percent(self):
        return self.hours_at_risk * 100 / self.due if self.due else ZERO


def forecasts(contracts, *, today):
    """The forecast of each contract of the ``contracts`` queryset, in its order. Two queries."""
    totals = {
        contract_id: (total, first, last)
        for contract_id, total, first, last in ValidatedHours.objects.filter(contract__in=contracts.values("pk"))
        .values("contract_id")
        .annotate(
            total=Sum("hours"),
            # Months whose hours were all taken back by corrections do not start the pace.
            first=Min("month", filter=~Q(hours=0)),
            last=Max("month", filter=~Q(hours=0)),
        )
        .values_list("contract_id", "total", "first", "last")
        .order_by()
    }
    result = []
    for contract in contracts:
        validated, first, last = totals.get(contract.pk, (ZERO, None, None))
        validated = Decimal(validated)
        projected, status = project(
            due=contract.clause_hours,
            validated=validated,
            first_month=first,
            last_month=last,
            ends_on=contract.ends_on,
            today=today,
        )
        result.append(Forecast(contract, validated, projected, status, first))
    return result


def contracts_at_risk(organisation):
    """The contracts in progress that the last monthly check found short, worst first (most hours at risk), among
    those the organisation sees: every one for the facilitator, its own for a buyer or a company. Each row is a
    ``ContractForecast`` with its contract and buyer: for the list page and the dashboards."""
    return ContractForecast.objects.visible_to(organisation).at_risk().select_related("contract__buyer")
