from django import template
from django.db.models import Count
from django.utils import timezone

from accounts.enums import OrganisationKind
from procurement import dashboard
from procurement.enums import ContractState
from procurement.models import Contract

register = template.Library()


@register.filter
def percent(fraction):
    """0.05 -> « 5 % » (rates are stored as fractions)."""
    if fraction is None:
        return "—"
    return f"{float(fraction) * 100:.4g} %".replace(".", ",")


@register.inclusion_tag("procurement/includes/dashboard_panel.html", takes_context=True)
def procurement_panel(context):
    """The overview under the work items (common.dashboard): contracts by state, one query."""
    organisation = context["request"].organisation
    labels = dict(ContractState.choices)
    by_state = dict(Contract.objects.visible_to(organisation).values_list("state").annotate(Count("pk")).order_by())
    return {
        "organisation": organisation,
        "by_state": [(labels[s], by_state[s]) for s in ContractState.values if s in by_state],
        "is_siae": organisation.kind == OrganisationKind.SIAE,
    }


@register.inclusion_tag("procurement/includes/buyer_contracts.html", takes_context=True)
def buyer_contracts(context):
    """The buyer's contracts with their hours due against validated, late ones first (two queries)."""
    rows, total = dashboard.buyer_contracts(context["request"].organisation, timezone.localdate())
    return {"rows": rows, "total": total}


@register.simple_tag
def grid_body(grid, months):
    """The rows of the contract page's month × source table over ``months`` (``procurement.grid``)."""
    return grid.body(months)
