"""Figures for a period, for the facilitator (every contract) or a buyer (its own, aggregated, no
personal data). Validated hours are read from ``ValidatedHours`` totals, so each table is one or two
grouped queries whatever the number of statements.

Participant figures (profiles, placements by contract type, durable exits) come from placements:
``participant_tables`` asks ``reporting.participants`` for them, as tables of aggregates only.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.dateparse import parse_date

from accounts.models import Organisation
from accounts.perms import sees_everything
from common.exports import Table
from procurement.enums import SIAE_MODALITIES, Modality, Sector, StatementState
from procurement.models import Award, ClauseSettings, Contract, HoursStatement, SiaeOrder, ValidatedHours
from reporting import participants

ZERO = Decimal("0")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year):
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def from_params(cls, params):
        """``from`` and ``to`` (YYYY-MM-DD) from a query string; the current year by default."""
        default = cls.year(timezone.localdate().year)
        errors = {}
        bounds = {}
        for key, fallback in (("from", default.start), ("to", default.end)):
            raw = params.get(key)
            try:
                bounds[key] = parse_date(raw) if raw else fallback
            except ValueError:
                bounds[key] = None
            if bounds[key] is None:
                errors[key] = "Date invalide : utilisez le format AAAA-MM-JJ."
        if not errors and bounds["to"] < bounds["from"]:
            errors["to"] = "La fin de la période doit suivre son début."
        if errors:
            raise ValidationError(errors)
        return cls(bounds["from"], bounds["to"])


def contracts_for(organisation, period):
    """Contracts the organisation reports on that run during the period (notified, not ended before)."""
    return Contract.objects.visible_to(organisation).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=period.start), notified_on__lte=period.end
    )


def _validated(contracts, period):
    return ValidatedHours.objects.filter(contract__in=contracts.values("pk"), month__range=(period.start, period.end))


def summary(organisation, period):
    """Headline figures of the period (the summary API and the top of the dashboard)."""
    contracts = contracts_for(organisation, period)
    totals = contracts.aggregate(operations=Count("pk"), amount=Sum("amount_excl_vat"), negotiated=Sum("clause_hours"))
    validated = _validated(contracts, period)
    by_modality = dict(validated.values_list("modality").annotate(total=Sum("hours")).order_by())
    pending = (
        HoursStatement.objects.filter(
            state=StatementState.DECLARED,
            month__range=(period.start, period.end),
            source__contract__in=contracts.values("pk"),
        ).aggregate(total=Sum("hours"))["total"]
        or ZERO
    )
    hours_validated = sum(by_modality.values(), ZERO)
    siae_hours = sum((v for m, v in by_modality.items() if m in SIAE_MODALITIES), ZERO)
    turnover = SiaeOrder.objects.filter(contract__in=contracts.values("pk")).aggregate(total=Sum("amount_excl_vat"))
    return {
        "from": period.start,
        "to": period.end,
        "operations": totals["operations"],
        "amount_excl_vat": totals["amount"] or ZERO,
        "hours_negotiated": totals["negotiated"] or 0,
        "hours_declared": hours_validated + pending,
        "hours_validated": hours_validated,
        "hours_pending": pending,
        "fte": round(hours_validated / ClauseSettings.current().fte_divisor, 2),
        "siae_hours": siae_hours,
        "siae_turnover": turnover["total"] or ZERO,
        "by_modality": {m: by_modality.get(m, ZERO) for m in Modality.values},
    }


def _contract_table(slug, title, key_header, contracts, validated, key, label):
    """Operations, amounts, negotiated and validated hours grouped by a contract field ``key``."""
    hours = dict(validated.values_list(f"contract__{key}").annotate(total=Sum("hours")).order_by())
    rows = [
        [label(value), operations, amount or ZERO, negotiated or 0, hours.get(value, ZERO)]
        for value, operations, amount, negotiated in contracts.values_list(key)
        .annotate(Count("pk"), Sum("amount_excl_vat"), Sum("clause_hours"))
        .order_by(key)
    ]
    headers = [key_header, "Opérations", "Montant HT (€)", "Heures négociées", "Heures validées"]
    return Table(slug, title, headers, sorted(rows, key=lambda row: str(row[0])))


def tables(organisation, period):
    """Every table of the dashboard, in the order shown and exported."""
    contracts = contracts_for(organisation, period)
    validated = _validated(contracts, period)
    buyers = dict(Organisation.objects.filter(pk__in=contracts.values("buyer_id")).values_list("pk", "name"))
    sectors = dict(Sector.choices)
    result = [
        _contract_table(
            "acheteurs", "Par donneur d'ordre", "Donneur d'ordre", contracts, validated, "buyer_id", buyers.get
        ),
        _contract_table("secteurs", "Par secteur", "Secteur", contracts, validated, "sector", sectors.get),
        _company_table(contracts, validated),
        _modality_table(validated),
        _month_table(validated),
    ]
    return result + participant_tables(contracts, period, mask_small_counts=not sees_everything(organisation))


def _company_table(contracts, validated):
    negotiated = {
        company: (name, count, hours)
        for company, name, count, hours in Award.objects.filter(contract__in=contracts.values("pk"))
        .values_list("company_id", "company__name")
        .annotate(Count("pk"), Sum("hours_share"))
        .order_by()
    }
    delivered = dict(validated.values_list("company_id").annotate(total=Sum("hours")).order_by())
    names = dict(Organisation.objects.filter(pk__in=set(delivered) - set(negotiated)).values_list("pk", "name"))
    rows = []
    for company in set(negotiated) | set(delivered):
        name, count, hours = negotiated.get(company, (names.get(company), 0, 0))
        rows.append([name, count, hours, delivered.get(company, ZERO)])
    headers = ["Entreprise", "Marchés attribués", "Heures négociées", "Heures validées"]
    return Table("entreprises", "Par entreprise", headers, sorted(rows, key=lambda row: str(row[0])))


def _modality_table(validated):
    hours = dict(validated.values_list("modality").annotate(total=Sum("hours")).order_by())
    rows = [[label, hours.get(value, ZERO)] for value, label in Modality.choices]
    return Table("modalites", "Par modalité", ["Modalité", "Heures validées"], rows)


def _month_table(validated):
    rows = [
        [month.strftime("%m/%Y"), total]
        for month, total in validated.values_list("month").annotate(total=Sum("hours")).order_by("month")
    ]
    return Table("mois", "Par mois", ["Mois", "Heures validées"], rows)


def participant_tables(contracts, period, *, mask_small_counts):
    """Participants by profile, placements by contract type and durable exits on these contracts."""
    return participants.participant_tables(contracts, period.start, period.end, mask_small_counts=mask_small_counts)
