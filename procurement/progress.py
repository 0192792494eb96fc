"""How far a contract is in delivering its insertion hours: a fixed number of grouped SQL queries
whatever the number of statements, and the chart drawn server-side (pages and exports share it)."""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from procurement.enums import SIAE_MODALITIES, ContractState, Modality, ProgressStatus, StatementState
from procurement.models import ClauseSettings, HoursStatement, SiaeOrder
from procurement.rules import progress_label

ZERO = Decimal("0")


def months_between(start, end):
    """Whole months from ``start``'s month to ``end``'s month (0 when end is not after start)."""
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


def penalty_for(hours, per_hour):
    """Hours × the penalty per missing hour set in the contract (its CCAP); None when it sets none."""
    if per_hour is None:
        return None
    return (Decimal(hours) * per_hour).quantize(Decimal("0.01"))


def first_of_month(day):
    return day.replace(day=1)


def add_months(day, months):
    """The first day of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class Progress:
    contract: object
    due: int
    fte_divisor: int
    declared: Decimal = ZERO
    validated: Decimal = ZERO
    pending: Decimal = ZERO
    siae_hours: Decimal = ZERO
    siae_turnover: Decimal = ZERO
    # modality -> {"declared": h, "validated": h}
    by_modality: dict = field(default_factory=dict)
    # month (date) -> {"declared": h, "validated": h}
    by_month: dict = field(default_factory=dict)
    projected: Decimal = ZERO
    status: str = ProgressStatus.NOT_STARTED

    @property
    def remaining(self):
        """Hours due not validated yet: at closing, the missing hours the penalty is computed from."""
        return max(ZERO, self.due - self.validated)

    @property
    def penalty(self):
        """At closing: missing hours × the contract's penalty per missing hour."""
        return penalty_for(self.remaining, self.contract.penalty_per_missing_hour)

    @property
    def hours_at_risk(self):
        """Hours due that the projection at the current pace does not reach."""
        return max(ZERO, self.due - self.projected)

    @property
    def penalty_at_stake(self):
        return penalty_for(self.hours_at_risk, self.contract.penalty_per_missing_hour)

    @property
    def is_closed(self):
        return self.contract.state == ContractState.CLOSED

    @property
    def is_running(self):
        """Awarded or in progress: the hours are being delivered, so the projection means something."""
        return self.contract.state in (ContractState.AWARDED, ContractState.IN_PROGRESS)

    @property
    def rate(self):
        """Share of the due hours validated, in percent."""
        return round(self.validated * 100 / self.due, 1) if self.due else None

    @property
    def rate_label(self):
        """« 112 % — objectif dépassé »: over-delivery is legitimate, and said so."""
        return progress_label(self.rate)

    @property
    def siae_share(self):
        return round(self.siae_hours * 100 / self.validated, 1) if self.validated else None

    @property
    def fte(self):
        return round(self.validated / self.fte_divisor, 2)

    def get_status_display(self):
        return ProgressStatus(self.status).label

    def modality_rows(self):
        labels = dict(Modality.choices)
        return [(labels[m], v["declared"], v["validated"]) for m, v in sorted(self.by_modality.items())]

    def month_rows_newest_first(self):
        """The contract page's « Par mois », newest first (folded: the month × source table comes below)."""
        return self.month_rows()[::-1]

    def month_rows(self):
        """(month, declared, validated, cumulative validated), oldest first."""
        cumulative, rows = ZERO, []
        for month in sorted(self.by_month):
            values = self.by_month[month]
            cumulative += values["validated"]
            rows.append((month, values["declared"], values["validated"], cumulative))
        return rows


def contract_progress(contract, *, today=None):
    """Hours due, declared (pending or validated), validated by modality and month; SIAE share and
    turnover; projection to the end date at the pace so far. Three queries."""
    today = today or timezone.localdate()
    progress = Progress(contract=contract, due=contract.clause_hours, fte_divisor=ClauseSettings.current().fte_divisor)
    grouped = (
        HoursStatement.objects.filter(source__contract=contract)
        .counted()
        .values_list("modality", "month", "state")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    for modality, month, state, total in grouped:
        progress.declared += total
        by_modality = progress.by_modality.setdefault(modality, {"declared": ZERO, "validated": ZERO})
        by_month = progress.by_month.setdefault(month, {"declared": ZERO, "validated": ZERO})
        by_modality["declared"] += total
        by_month["declared"] += total
        if state == StatementState.VALIDATED:
            progress.validated += total
            by_modality["validated"] += total
            by_month["validated"] += total
            if modality in SIAE_MODALITIES:
                progress.siae_hours += total
        else:
            progress.pending += total
    progress.siae_turnover = (
        SiaeOrder.objects.filter(contract=contract).aggregate(total=Sum("amount_excl_vat"))["total"] or ZERO
    )
    _project(progress, today)
    return progress


def _project(progress, today):
    months = [m for m, v in progress.by_month.items() if v["validated"]]
    progress.projected, progress.status = project(
        due=progress.due,
        validated=progress.validated,
        first_month=min(months, default=None),
        last_month=max(months, default=None),
        ends_on=progress.contract.ends_on,
        today=today,
    )


def project(*, due, validated, first_month, last_month, ends_on, today):
    """(projected hours, status) at the end date, at the pace observed since the first month with validated
    hours. The months elapsed run from that first month to last month (or to the last validated one, when the
    current month already has hours); the months left run from there to the end date's month included.
    Shared by the contract page and the monthly shortfall check (``procurement.forecast``)."""
    if due and validated >= due:
        return validated, ProgressStatus.DONE
    if first_month is None:
        return ZERO, ProgressStatus.NOT_STARTED
    last = max(add_months(first_of_month(today), -1), last_month)
    elapsed = months_between(first_month, last) + 1
    remaining = months_between(last, ends_on) if ends_on else 0
    projected = (validated + validated / elapsed * remaining).quantize(Decimal("1"))
    return projected, (ProgressStatus.ON_TRACK if projected >= due else ProgressStatus.LATE)


def chart(progress, *, fmt="svg"):
    """Cumulative validated hours against the target line, as SVG or PNG bytes (matplotlib, Agg)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 3.6), dpi=100)
    axes = figure.subplots()
    rows = progress.month_rows()
    contract = progress.contract
    start = contract.notified_on or (rows[0][0] if rows else None)
    if rows:
        # From zero at the start, each month's total held until the next month and the last one through its
        # month: a single month would otherwise be a lone point, which draws nothing.
        months, totals = [r[0] for r in rows], [float(r[3]) for r in rows]
        before = [start] if start < months[0] else []
        next_month = (months[-1] + datetime.timedelta(days=31)).replace(day=1)
        axes.step(
            before + months + [next_month],
            [0.0] * len(before) + totals + totals[-1:],
            where="post",
            label="Heures validées cumulées",
            gid="validated-hours",
        )
    end = contract.ends_on or (rows[-1][0] if rows else None)
    if start and end:
        axes.plot([start, end], [0, progress.due], linestyle="--", color="#c9191e", label="Objectif")
    else:
        axes.axhline(progress.due, linestyle="--", color="#c9191e", label="Objectif")
    axes.set_ylabel("heures")
    # A reference is the buyer's text: ``parse_math=False`` keeps matplotlib from reading "$\\foo$" as a formula
    # (which failed the chart, and the Excel export that embeds it, for everyone).
    axes.set_title(f"{contract.reference} : heures d'insertion validées", parse_math=False)
    axes.legend(loc="upper left")
    axes.grid(alpha=0.3)
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt)
    return buffer.getvalue()
