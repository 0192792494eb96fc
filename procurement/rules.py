"""The limits every hour figure must respect, written once as pure functions of plain values (no
database): the services call them on what a user declares, ``check_integrity`` on what is stored and the
demo seeder on each row it writes, so the three can never disagree.

Each ``check_*`` returns ``None`` when the value is within its limit, else the refusal in French, naming
the limit and the figure ("135,5 h au plus pour mars 2026 : 28 h par semaine, 22 jours ouvrés…").

Working days are Monday to Friday minus French public holidays (*jours fériés*, Code du travail
L3133-1: eleven fixed dates and three that follow Easter). Computed here rather than with a library: the
list has not changed since 2005, Paris has no local holiday (unlike Alsace-Moselle), and twenty tested lines
spare a dependency whose other 150 countries we would never read.
"""

import calendar
import datetime
import functools
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from procurement.enums import ContractState, Modality
from procurement.workflows import EXECUTION_STATES

# Code du travail L3121-20: never more than 48 hours in one week.
LEGAL_MAX_WEEKLY_HOURS = Decimal(48)
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
# (month, day) of the fixed public holidays: 1 January, 1 May, 8 May, 14 July, 15 August, 1 November,
# 11 November, 25 December.
FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
# Days after Easter Sunday: Easter Monday, Ascension, Whit Monday.
EASTER_OFFSETS = (1, 39, 50)


# ---- Dates and figures written the French way --------------------------------------------------------


def first_of_month(day):
    return day.replace(day=1)


def last_of_month(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day, months):
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.month - 1 + months
    return datetime.date(day.year + index // 12, index % 12 + 1, 1)


def month_label(month):
    """« mars 2026 »."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def date_label(day):
    return day.strftime("%d/%m/%Y")


def hours_label(hours):
    """« 135,5 », « 1 250 », « -20 »: no trailing zeros, a comma, a no-break space between thousands."""
    value = Decimal(hours).normalize()
    if value == value.to_integral():
        value = value.quantize(Decimal(1))
    sign, text = ("-", str(-value)) if value < 0 else ("", str(value))
    whole, _, decimals = text.partition(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    whole = "\xa0".join([whole, *groups])
    return sign + whole + ("," + decimals if decimals else "")


def percent_label(value):
    """« 10 % » for Decimal("10")."""
    return f"{hours_label(value)}\xa0%"


# ---- Working days ----------------------------------------------------------------------------------------


def easter_sunday(year):
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    x = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * x) // 451
    month, day = divmod(h + x - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


@functools.lru_cache(maxsize=256)
def public_holidays(year):
    """The eleven French public holidays of ``year`` (metropolitan France, Paris)."""
    easter = easter_sunday(year)
    return frozenset(
        [datetime.date(year, month, day) for month, day in FIXED_HOLIDAYS]
        + [easter + datetime.timedelta(days=offset) for offset in EASTER_OFFSETS]
    )


@functools.lru_cache(maxsize=8192)
def working_days(start, end):
    """Days from ``start`` to ``end`` included that are Monday to Friday and not a public holiday."""
    count, day = 0, start
    while day <= end:
        if day.weekday() < 5 and day not in public_holidays(day.year):
            count += 1
        day += datetime.timedelta(days=1)
    return count


# ---- Placements (and any source with weekly hours): the monthly cap --------------------------------------


@dataclass(frozen=True)
class MonthlyCap:
    """What one person may work in one month: weekly hours (plus the overtime tolerance, never above the
    legal 48 h) × the month's working days within their contract ÷ 5."""

    month: datetime.date
    weekly_hours: Decimal
    tolerance_percent: Decimal
    working_days: int
    hours: Decimal

    def describe(self):
        """« 135,5 h au plus pour mars 2026 : 28 h par semaine, 22 jours ouvrés, 10 % d'heures en plus tolérées »."""
        tolerance = (
            f", {percent_label(self.tolerance_percent)} d'heures en plus tolérées" if self.tolerance_percent else ""
        )
        legal = (
            f", plafonné à {hours_label(LEGAL_MAX_WEEKLY_HOURS)} h par semaine (durée maximale légale)"
            if self.weekly_hours * (1 + self.tolerance_percent / 100) > LEGAL_MAX_WEEKLY_HOURS
            else ""
        )
        plural = "s" if self.working_days > 1 else ""
        days = f"{self.working_days} jour{plural} ouvré{plural}"
        return (
            f"{hours_label(self.hours)} h au plus pour {month_label(self.month)} : "
            f"{hours_label(self.weekly_hours)} h par semaine, {days}{tolerance}{legal}"
        )


def monthly_cap(*, month, weekly_hours, starts_on, ends_on, tolerance_percent):
    """The cap of ``month`` for a person working ``weekly_hours`` from ``starts_on`` to ``ends_on`` (None:
    open-ended): only the working days of the month within that period count."""
    first = max(first_of_month(month), starts_on)
    last = min(last_of_month(month), ends_on) if ends_on else last_of_month(month)
    days = working_days(first, last) if first <= last else 0
    weekly = Decimal(weekly_hours)
    tolerance = Decimal(tolerance_percent)
    allowed_weekly = min(weekly * (1 + tolerance / 100), LEGAL_MAX_WEEKLY_HOURS)
    hours = (allowed_weekly * days / 5).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return MonthlyCap(month=month, weekly_hours=weekly, tolerance_percent=tolerance, working_days=days, hours=hours)


def check_monthly_total(total, cap):
    """The hours counted for one person and one month (pending, validated and corrections) within the cap."""
    if total > cap.hours:
        return f"{cap.describe()} ; {hours_label(total)} h déclarées pour ce mois."
    return None


# ---- Months --------------------------------------------------------------------------------------------


def check_not_future(month, today):
    if first_of_month(month) > first_of_month(today):
        return f"On ne déclare pas les heures d'un mois à venir ({month_label(month)})."
    return None


def _period(starts_on, ends_on):
    return f"du {date_label(starts_on)} au {date_label(ends_on)}" if ends_on else f"depuis le {date_label(starts_on)}"


def _overlaps(month, starts_on, ends_on):
    return starts_on <= last_of_month(month) and (ends_on is None or ends_on >= first_of_month(month))


def check_contract_month(month, *, starts_on, ends_on):
    """Hours only for months between the contract's notification (or start of execution) and its end."""
    if starts_on is None:
        return (
            "Le marché n'a ni date de notification ni début d'exécution : "
            "aucune heure ne peut être déclarée avant que l'une soit connue."
        )
    if not _overlaps(month, starts_on, ends_on):
        return f"Le marché s'exécute {_period(starts_on, ends_on)} : aucune heure pour {month_label(month)}."
    return None


def check_source_month(month, *, what, starts_on, ends_on):
    """Hours only for months that overlap the source's period (a placement's contract, an SIAE order)."""
    if starts_on is not None and not _overlaps(month, starts_on, ends_on):
        return f"{what} court {_period(starts_on, ends_on)} : aucune heure pour {month_label(month)}."
    return None


def check_period_within_contract(*, what, starts_on, ends_on, contract_starts_on, contract_ends_on):
    """A source (order, placement) must run, at least partly, while the contract does."""
    if contract_starts_on is None:
        return None
    after_end = contract_ends_on is not None and starts_on > contract_ends_on
    before_start = ends_on is not None and ends_on < contract_starts_on
    if after_end or before_start:
        return (
            f"{what} ({_period(starts_on, ends_on)}) tombe hors de l'exécution du marché "
            f"({_period(contract_starts_on, contract_ends_on)})."
        )
    return None


# ---- Contract: state, modality, rates --------------------------------------------------------------------


def check_execution_state(state):
    if state not in EXECUTION_STATES:
        if state == ContractState.CLOSED:
            return "Le marché est clos : ses heures sont arrêtées (seul le facilitateur peut encore les corriger)."
        return "Le marché n'est pas en cours d'exécution : aucune heure ne peut être déclarée."
    return None


def check_modality(modality, allowed):
    """The modality must be one the contract allows; a contract listing none allows them all."""
    if allowed and modality not in allowed:
        labels = dict(Modality.choices)
        listed = ", ".join(labels.get(value, value) for value in allowed)
        return (
            f"Le marché n'autorise pas la modalité « {labels.get(modality, modality)} » "
            f"(modalités autorisées : {listed})."
        )
    return None


def check_order_total(total, planned):
    """Not a refusal: an SIAE order may bring more hours than planned, but the facilitator must see it."""
    if planned is not None and total > planned:
        return (
            f"Au-delà des heures prévues de la commande : {hours_label(total)} h déclarées "
            f"pour {hours_label(planned)} h prévues."
        )
    return None


def check_percent(value, label):
    """A rate in percent: above 0 and at most 100."""
    if value is not None and not (0 < value <= 100):
        return f"{label} s'exprime en pourcentage, au-dessus de 0 et au plus 100 ({hours_label(value)} saisi)."
    return None


def check_positive(value, label):
    if value is not None and value <= 0:
        return f"{label} doit être positif ({hours_label(value)} saisi)."
    return None


def progress_label(rate):
    """« 112 % — objectif dépassé »: over-delivery is legitimate and shown as such."""
    if rate is None:
        return "—"
    text = percent_label(Decimal(rate).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    if rate > 100:
        return f"{text} — objectif dépassé"
    if rate == 100:
        return f"{text} — objectif atteint"
    return text


# ---- One source's month, all rules together ---------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    """What the hours of one source must respect, copied from the source and its contract (no query)."""

    contract_state: str
    contract_starts_on: datetime.date | None
    contract_ends_on: datetime.date | None
    allowed_modalities: tuple
    modality: str
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    weekly_hours: Decimal | None = None
    planned_hours: int | None = None

    @classmethod
    def of(cls, source, contract):
        return cls(
            contract_state=contract.state,
            contract_starts_on=contract.hours_start,
            contract_ends_on=contract.ends_on,
            allowed_modalities=tuple(contract.allowed_modalities or ()),
            modality=source.modality,
            starts_on=source.starts_on,
            ends_on=source.ends_on,
            weekly_hours=source.weekly_hours,
            planned_hours=source.planned_hours,
        )

    @property
    def what(self):
        if self.weekly_hours is not None:
            return "La mise à l'emploi"
        if self.planned_hours is not None:
            return "La commande"
        return "La source d'heures"


@dataclass
class MonthCheck:
    """The refusals (field -> message), the limit the hours were checked against, and a warning for the
    facilitator (hours over an order's planned hours: allowed, but shown)."""

    errors: dict
    limit: str = ""
    warning: str = ""


def check_month(bounds, month, *, month_total, source_total, today, tolerance_percent, closed_ok=False):
    """Every rule on the hours of one source for one month: ``month_total`` is what the month would count
    (pending, validated and corrections, this declaration included), ``source_total`` the same over every
    month of the source. ``closed_ok``: a facilitator's correction after closing."""
    month = first_of_month(month)
    errors = {}
    if not (closed_ok and bounds.contract_state == ContractState.CLOSED):
        state_error = check_execution_state(bounds.contract_state)
        if state_error:
            errors["source"] = state_error
    modality_error = check_modality(bounds.modality, bounds.allowed_modalities)
    if modality_error:
        errors.setdefault("source", modality_error)
    month_error = (
        check_not_future(month, today)
        or check_contract_month(month, starts_on=bounds.contract_starts_on, ends_on=bounds.contract_ends_on)
        or check_source_month(month, what=bounds.what, starts_on=bounds.starts_on, ends_on=bounds.ends_on)
    )
    if month_error:
        errors["month"] = month_error
    result = MonthCheck(errors=errors)
    if month_total < 0:
        errors["hours"] = (
            f"Une correction ne peut pas retirer plus d'heures que le mois n'en compte : il en resterait "
            f"{hours_label(month_total)} h pour {month_label(month)}."
        )
    if bounds.weekly_hours is not None and bounds.starts_on is not None:
        cap = monthly_cap(
            month=month,
            weekly_hours=bounds.weekly_hours,
            starts_on=bounds.starts_on,
            ends_on=bounds.ends_on,
            tolerance_percent=tolerance_percent,
        )
        result.limit = cap.describe()
        if "month" not in errors:
            cap_error = check_monthly_total(month_total, cap)
            if cap_error:
                errors["hours"] = cap_error
    elif bounds.planned_hours is not None:
        result.limit = (
            f"Commande {_period(bounds.starts_on, bounds.ends_on)} : {hours_label(bounds.planned_hours)} h prévues, "
            f"{hours_label(source_total)} h déclarées en tout avec celles-ci."
        )
        result.warning = check_order_total(source_total, bounds.planned_hours) or ""
    elif bounds.contract_starts_on is not None:
        result.limit = f"Marché exécuté {_period(bounds.contract_starts_on, bounds.contract_ends_on)}."
    return result
