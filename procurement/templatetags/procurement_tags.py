import functools

from django import template
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from accounts.enums import OrganisationKind
from common.formats import number
from procurement import dashboard
from procurement.enums import ContractState, StatementState
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


STATEMENTS_SHOWN = 24


@functools.lru_cache(maxsize=1024)
def _month_and_hours(month, hours, language):
    """« janvier 2025 », « 120 »: a contract's statements repeat the same months and hours."""
    return date_format(month, "F Y"), number(hours)


@register.simple_tag
def statement_items(source, can_correct):
    """The ``<li>`` of a source's latest statements on the contract page, with « Corriger » links when
    ``can_correct``. Formatted here, not in a template loop: a contract's hundreds of statements made that
    loop most of the page's time."""
    declare_url = reverse("procurement:declare_hours", args=[source.pk]) if can_correct else None
    language = get_language()
    items = []
    for statement in source.statements.all()[:STATEMENTS_SHOWN]:
        month, hours = _month_and_hours(statement.month, statement.hours, language)
        correctable = declare_url and statement.state == StatementState.VALIDATED and not statement.adjusts_id
        link = format_html(' · <a href="{}?corrige={}">Corriger</a>', declare_url, statement.pk) if correctable else ""
        items.append(
            format_html(
                "<li>{} : {} h – {}{}{}{}</li>",
                month,
                hours,
                statement.get_state_display(),
                " (correction)" if statement.adjusts_id else "",
                format_html(" – {}", statement.reason) if statement.reason else "",
                link,
            )
        )
    return format_html_join("\n", "{}", ((item,) for item in items))
