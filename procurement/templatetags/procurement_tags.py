import functools

from django import template
from django.db.models import Count
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from accounts.enums import OrganisationKind
from common.formats import number
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


STATEMENTS_SHOWN = 24


@functools.lru_cache(maxsize=1024)
def _month_and_hours(month, hours, language):
    """« janvier 2025 », « 120 »: a contract's statements repeat the same months and hours."""
    return date_format(month, "F Y"), number(hours)


@register.simple_tag
def statement_items(source, can_correct, correct_closed=False):
    """The ``<li>`` of a source's latest statements on the contract page, with « Corriger » links when
    ``can_correct`` (the company, while the contract runs) or ``correct_closed`` (the facilitator, once it is
    closed). Formatted here, not in a template loop: a contract's hundreds of statements made that loop most
    of the page's time."""
    declare_url = reverse("procurement:declare_hours", args=[source.pk]) if can_correct else None
    language = get_language()
    items = []
    for statement in source.statements.all()[:STATEMENTS_SHOWN]:
        month, hours = _month_and_hours(statement.month, statement.hours, language)
        correctable = statement.state == StatementState.VALIDATED and not statement.adjusts_id
        link = ""
        if correctable and declare_url:
            link = format_html(' · <a href="{}?corrige={}">Corriger</a>', declare_url, statement.pk)
        elif correctable and correct_closed:
            link = format_html(
                ' · <a href="{}">Corriger</a>', reverse("procurement:statement_correct", args=[statement.pk])
            )
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
