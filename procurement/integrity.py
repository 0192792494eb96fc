"""What ``check_integrity`` verifies in the ledger: every stored row against the rules the services enforce on
the way in (``procurement.rules``), so that rows written before a rule existed, by an import, a migration or by
hand show up. Each check yields ``Violation`` rows; whole-table checks run as a few grouped queries, so that a
million statements take seconds, not hours.

The people's side (placements, eligibility) is in ``marketplace.integrity``; the command that runs both is
``manage.py check_integrity``."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

from procurement import rules
from procurement.enums import ContractState, StatementState
from procurement.models import ClauseSettings, Contract, ContractTransition, HoursSource, HoursStatement, ValidatedHours


@dataclass(frozen=True)
class Violation:
    rule: str
    row: str
    message: str


def _statement(pk, month):
    return f"relevé n° {pk} ({rules.month_label(month)})"


def future_months(today):
    rule = "Heures d'un mois à venir"
    current = rules.first_of_month(today)
    for pk, month in HoursStatement.objects.filter(month__gt=current).values_list("pk", "month").order_by("pk"):
        yield Violation(rule, _statement(pk, month), rules.check_not_future(month, today))


def outside_contract(today):
    """Months outside the contract's execution (notification or start of execution, to its end)."""
    rule = "Heures hors de l'exécution du marché"
    start = Coalesce("source__contract__notified_on", "source__contract__execution_started_on")
    rows = (
        HoursStatement.objects.annotate(contract_start=start)
        .filter(
            Q(contract_start__isnull=True)
            | Q(month__lt=TruncMonth("contract_start"))
            | Q(month__gt=F("source__contract__ends_on"))
        )
        .values_list("pk", "month", "contract_start", "source__contract__ends_on")
        .order_by("pk")
    )
    for pk, month, starts_on, ends_on in rows:
        yield Violation(
            rule, _statement(pk, month), rules.check_contract_month(month, starts_on=starts_on, ends_on=ends_on)
        )


def before_execution(today):
    """Hours counted on a contract that was never awarded."""
    rule = "Heures sur un marché qui n'est pas en exécution"
    not_awarded = (ContractState.DRAFT, ContractState.SUBMITTED, ContractState.CONFIRMED)
    rows = (
        HoursStatement.objects.counted()
        .filter(source__contract__state__in=not_awarded)
        .values_list("pk", "month", "source__contract__reference")
        .order_by("pk")
    )
    for pk, month, reference in rows:
        yield Violation(
            rule, _statement(pk, month), f"Le marché {reference} n'est pas attribué : aucune heure ne peut y compter."
        )


def after_closing(today):
    """Statements written after the contract closed, other than the facilitator's corrections."""
    rule = "Heures enregistrées après la clôture du marché"
    closed_at = {}  # the latest closing of each contract
    for contract_id, at in (
        ContractTransition.objects.filter(to_state=ContractState.CLOSED).values_list("contract_id", "at").order_by("at")
    ):
        closed_at[contract_id] = at
    if not closed_at:
        return
    rows = (
        HoursStatement.objects.filter(source__contract__in=list(closed_at), by_facilitator=False)
        .values_list("pk", "month", "declared_at", "decided_at", "source__contract_id", "source__contract__reference")
        .order_by("pk")
    )
    for pk, month, declared_at, decided_at, contract_id, reference in rows:
        at = closed_at[contract_id]
        if declared_at > at or (decided_at is not None and decided_at > at):
            yield Violation(
                rule,
                _statement(pk, month),
                f"Le marché {reference} est clos depuis le {rules.date_label(at.date())} : seul le facilitateur "
                "corrige ensuite ses heures.",
            )


def modalities(today):
    """A source's modality must be one its contract allows, and each statement carries its source's."""
    rule = "Modalité non autorisée par le marché"
    sources = HoursSource.objects.values_list("pk", "modality", "contract__allowed_modalities").order_by("pk")
    for pk, modality, allowed in sources:
        error = rules.check_modality(modality, allowed or [])
        if error:
            yield Violation(rule, f"source d'heures n° {pk}", error)
    rule = "Relevé d'une autre modalité que sa source"
    rows = (
        HoursStatement.objects.exclude(modality=F("source__modality"))
        .values_list("pk", "month", "modality", "source__modality")
        .order_by("pk")
    )
    for pk, month, modality, expected in rows:
        yield Violation(rule, _statement(pk, month), f"Modalité « {modality} » au lieu de « {expected} ».")


def outside_source(today):
    """Months outside the placement's or the order's period."""
    rule = "Heures hors de la période de la mise à l'emploi ou de la commande"
    rows = (
        HoursStatement.objects.filter(source__starts_on__isnull=False)
        .filter(Q(month__lt=TruncMonth("source__starts_on")) | Q(month__gt=F("source__ends_on")))
        .values_list("pk", "month", "source__starts_on", "source__ends_on", "source__weekly_hours")
        .order_by("pk")
    )
    for pk, month, starts_on, ends_on, weekly_hours in rows:
        what = "La mise à l'emploi" if weekly_hours is not None else "La commande"
        yield Violation(
            rule,
            _statement(pk, month),
            rules.check_source_month(month, what=what, starts_on=starts_on, ends_on=ends_on),
        )


def sources_outside_contract(today):
    rule = "Mise à l'emploi ou commande hors de l'exécution du marché"
    rows = (
        HoursSource.objects.filter(starts_on__isnull=False)
        .annotate(contract_start=Coalesce("contract__notified_on", "contract__execution_started_on"))
        .values_list("pk", "starts_on", "ends_on", "weekly_hours", "contract_start", "contract__ends_on")
        .order_by("pk")
    )
    for pk, starts_on, ends_on, weekly_hours, contract_start, contract_end in rows:
        error = rules.check_period_within_contract(
            what="La mise à l'emploi" if weekly_hours is not None else "La commande",
            starts_on=starts_on,
            ends_on=ends_on,
            contract_starts_on=contract_start,
            contract_ends_on=contract_end,
        )
        if error:
            yield Violation(rule, f"source d'heures n° {pk}", error)


def monthly_caps(today):
    """Each person's month (pending, validated and corrections) within the placement's monthly cap, never
    below zero."""
    rule = "Heures au-delà de ce que la mise à l'emploi permet dans le mois"
    negative = "Mois dont les corrections retirent plus qu'il ne comptait"
    tolerance = ClauseSettings.current().overtime_tolerance_percent
    sources = {
        pk: (starts_on, ends_on, weekly)
        for pk, starts_on, ends_on, weekly in HoursSource.objects.filter(
            weekly_hours__isnull=False, starts_on__isnull=False
        ).values_list("pk", "starts_on", "ends_on", "weekly_hours")
    }
    totals = (
        HoursStatement.objects.counted()
        .values_list("source_id", "month")
        .annotate(total=Sum("hours"))
        .order_by("source_id", "month")
    )
    for source_id, month, total in totals:
        if total < 0:
            yield Violation(negative, f"source d'heures n° {source_id}, {rules.month_label(month)}", f"{total} h.")
        if source_id not in sources:
            continue
        starts_on, ends_on, weekly = sources[source_id]
        cap = rules.monthly_cap(
            month=month, weekly_hours=weekly, starts_on=starts_on, ends_on=ends_on, tolerance_percent=tolerance
        )
        error = rules.check_monthly_total(total, cap)
        if error:
            yield Violation(rule, f"source d'heures n° {source_id}, {rules.month_label(month)}", error)


def validated_totals(today):
    """The totals reports read agree with the validated statements they sum."""
    rule = "Totaux d'heures validées différents des relevés"
    expected = defaultdict(Decimal)
    for contract_id, company_id, modality, month, total in (
        HoursStatement.objects.filter(state=StatementState.VALIDATED)
        .values_list("source__contract_id", "source__company_id", "modality", "month")
        .annotate(total=Sum("hours"))
        .order_by()
    ):
        expected[(contract_id, company_id, modality, month)] = total
    stored = {
        (contract_id, company_id, modality, month): hours
        for contract_id, company_id, modality, month, hours in ValidatedHours.objects.values_list(
            "contract_id", "company_id", "modality", "month", "hours"
        )
    }
    for key in sorted(set(expected) | set(stored), key=lambda k: (k[0], k[1], k[2], k[3])):
        if expected.get(key, 0) != stored.get(key, 0):
            contract_id, _, modality, month = key
            yield Violation(
                rule,
                f"marché n° {contract_id}, {modality}, {rules.month_label(month)}",
                f"{rules.hours_label(stored.get(key, 0))} h dans les totaux pour "
                f"{rules.hours_label(expected.get(key, 0))} h de relevés validés.",
            )


def contract_figures(today):
    rule = "Taux ou montants hors limites"
    rows = Contract.objects.filter(
        Q(amount_excl_vat__lte=0)
        | Q(hourly_cost__lte=0)
        | Q(labour_share__lte=0)
        | Q(labour_share__gt=1)
        | Q(insertion_rate__lte=0)
        | Q(insertion_rate__gt=1)
    ).values_list("pk", "reference", "amount_excl_vat", "hourly_cost", "labour_share", "insertion_rate")
    for pk, reference, amount, cost, share, rate in rows.order_by("pk"):
        errors = [
            rules.check_positive(amount, "Le montant HT"),
            rules.check_positive(cost, "Le coût horaire chargé"),
            rules.check_percent(None if share is None else share * 100, "La part de main-d'œuvre"),
            rules.check_percent(None if rate is None else rate * 100, "Le taux d'insertion"),
        ]
        yield Violation(rule, f"marché n° {pk} ({reference})", " ".join(e for e in errors if e))


CHECKS = [
    future_months,
    outside_contract,
    before_execution,
    after_closing,
    modalities,
    outside_source,
    sources_outside_contract,
    monthly_caps,
    validated_totals,
    contract_figures,
]


def violations(today=None):
    today = today or datetime.date.today()
    for check in CHECKS:
        yield from check(today)
