from django import template
from django.db.models import Count

from accounts.enums import OrganisationKind
from procurement.enums import ContractState, StatementState
from procurement.models import Contract, HoursStatement, SiaeOrder

register = template.Library()


@register.filter
def percent(fraction):
    """0.05 -> « 5 % » (rates are stored as fractions)."""
    if fraction is None:
        return "—"
    return f"{float(fraction) * 100:.4g} %".replace(".", ",")


@register.inclusion_tag("procurement/includes/dashboard_panel.html", takes_context=True)
def procurement_panel(context):
    """The procurement panel of each role's dashboard: a few counts, two queries at most."""
    organisation = context["request"].organisation
    labels = dict(ContractState.choices)
    by_state = dict(Contract.objects.visible_to(organisation).values_list("state").annotate(Count("pk")).order_by())
    return {
        "organisation": organisation,
        "by_state": [(labels[s], by_state[s]) for s in ContractState.values if s in by_state],
        "pending_statements": HoursStatement.objects.visible_to(organisation)
        .filter(state=StatementState.DECLARED)
        .count(),
        "orders_received": SiaeOrder.objects.filter(siae=organisation).count()
        if organisation.kind == OrganisationKind.SIAE
        else None,
    }
