"""The contract page's statements as a month × source table: one row per source, one column per month, the last
``RECENT_MONTHS`` first and the older ones on demand (a ``<details>``), so that a three-year contract with 30
sources stays within a few screens. Cells are written here rather than in a template loop: a contract holds
about a thousand of them."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from common.formats import number
from procurement.enums import StatementState

RECENT_MONTHS = 12
EMPTY = mark_safe('<td><span aria-hidden="true">–</span><span class="fr-sr-only">rien</span></td>')
ZERO = Decimal("0")


def _previous(month):
    return (month - datetime.timedelta(days=1)).replace(day=1)


@dataclass
class Cell:
    """What one source declared for one month: counted hours (pending and validated, corrections included)."""

    hours: Decimal = ZERO
    pending: bool = False
    validated: bool = False
    rejected: bool = False
    corrected: bool = False
    # The validated statement a company may correct (``declare_hours?corrige=``).
    original: int | None = None

    def html(self, *, month, source, declare_url, correct_closed=False):
        if not (self.pending or self.validated or self.rejected):
            return EMPTY
        parts = []
        if self.pending or self.validated:
            figure = format_html("{} h", number(self.hours))
            correct_url = None
            if self.original and declare_url:
                correct_url = f"{declare_url}?corrige={self.original}"
            elif self.original and correct_closed:
                correct_url = reverse("procurement:statement_correct", args=[self.original])
            if correct_url:
                figure = format_html(
                    '<a href="{}">{}<span class="fr-sr-only"> : corriger {} de {}</span></a>',
                    correct_url,
                    figure,
                    month.strftime("%m/%Y"),
                    source.label,
                )
            parts.append(figure)
        notes = [
            note
            for note, on in (
                ("à valider", self.pending),
                ("corrigé", self.corrected),
                ("refusé", self.rejected and not (self.pending or self.validated)),
            )
            if on
        ]
        if notes:
            parts.append(format_html(' <span class="fr-text--xs">({})</span>', ", ".join(notes)))
        return format_html("<td>{}</td>", format_html_join("", "{}", ((part,) for part in parts)))


@dataclass
class SourceRow:
    source: object
    cells: dict = field(default_factory=dict)
    validated: Decimal = ZERO


@dataclass
class Grid:
    months: list
    rows: list
    correctable_company_id: int | None
    # A closed contract's validated months, which the facilitator alone corrects (``statement_correct``).
    correct_closed: bool = False

    @property
    def recent(self):
        return self.months[:RECENT_MONTHS]

    @property
    def recent_label(self):
        count = len(self.recent)
        return "dernier mois" if count == 1 else f"{count} derniers mois"

    @property
    def older(self):
        return self.months[RECENT_MONTHS:]

    def body(self, months):
        """The ``<tr>`` of every source over ``months``."""
        lines = []
        for row in self.rows:
            source = row.source
            declare_url = (
                reverse("procurement:declare_hours", args=[source.pk])
                if source.company_id == self.correctable_company_id
                else None
            )
            head = format_html(
                '<th scope="row">{} <span class="fr-text--xs">· {} · {}</span>{}</th>',
                source.label,
                source.company.name,
                source.get_modality_display(),
                format_html(
                    ' · <a class="fr-text--xs" href="{}">Déclarer'
                    '<span class="fr-sr-only"> des heures pour {}</span></a>',
                    declare_url,
                    source.label,
                )
                if declare_url
                else "",
            )
            cells = format_html_join(
                "",
                "{}",
                (
                    (
                        row.cells.get(month, Cell()).html(
                            month=month, source=source, declare_url=declare_url, correct_closed=self.correct_closed
                        ),
                    )
                    for month in months
                ),
            )
            lines.append(format_html("<tr>{}{}<td>{} h</td></tr>", head, cells, number(row.validated)))
        return format_html_join("\n", "{}", ((line,) for line in lines))


def month_grid(contract, sources, statements, *, today, correctable_company_id=None, correct_closed=False):
    """The grid of ``sources`` (a list) from ``statements`` (``(pk, source_id, month, hours, state, adjusts_id)``
    tuples): months from the contract's start (or its first statement) to this month or its end (or its last
    statement), newest first."""
    rows = {source.pk: SourceRow(source) for source in sources}
    first = last = None
    for pk, source_id, month, hours, state, adjusts_id in statements:
        row = rows.get(source_id)
        if row is None:
            continue
        cell = row.cells.setdefault(month, Cell())
        if state == StatementState.REJECTED:
            cell.rejected = True
        else:
            cell.hours += hours
            if state == StatementState.VALIDATED:
                cell.validated = True
                row.validated += hours
                if adjusts_id is None:
                    cell.original = pk
            else:
                cell.pending = True
            cell.corrected = cell.corrected or adjusts_id is not None
        first = month if first is None else min(first, month)
        last = month if last is None else max(last, month)
    start = contract.notified_on.replace(day=1) if contract.notified_on else first
    end = today.replace(day=1)
    if contract.ends_on:
        end = min(end, contract.ends_on.replace(day=1))
    if start is None:
        return Grid([], list(rows.values()), correctable_company_id, correct_closed)
    start = min(start, first or start)
    end = max(end, last or end, start)
    months = [end]
    while months[-1] > start:
        months.append(_previous(months[-1]))
    return Grid(months, list(rows.values()), correctable_company_id, correct_closed)
