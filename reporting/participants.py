"""Figures the facilitator reports on people and their hires, for ``reporting.reports`` to call.

Every function takes a period (``start``, ``end``: dates, both included) and optionally the contracts to count
(a queryset: a buyer's own contracts for its report). Only placements validated by the facilitator count. A
*hire* is a validated placement starting in the period; a *person hired* is counted once whatever their number
of hires, with their profile on their first hire's start date.

    from reporting import participants
    participants.hired(start=date(2026, 1, 1), end=date(2026, 12, 31), contracts=Contract.objects.filter(buyer=b))
"""

import calendar
import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, TextField
from django.db.models.functions import Cast

from marketplace.enums import DURABLE_OUTCOMES, ContractType, Level1Criterion, Level2Criterion, PlacementState
from marketplace.models import Placement
from marketplace.services import MODALITY_BY_CONTRACT_TYPE
from procurement.enums import Modality

# Contracts that train for a qualification: with a CDI and a CDD of six months or more, the durable jobs.
QUALIFYING_TRAINING_CONTRACTS = frozenset({ContractType.APPRENTICESHIP, ContractType.PROFESSIONALISATION})
DURABLE_CDD_MONTHS = 6


def _validated(*, contracts=None):
    placements = Placement.objects.filter(state=PlacementState.VALIDATED)
    if contracts is not None:
        placements = placements.filter(position__contract__in=contracts.values("pk"))
    return placements


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def months_later(day, months):
    """The same day ``months`` later, the month's last day when it has no such day (31 August + 6 → 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_durable_hire(contract_type, start_date, planned_end_date):
    """A durable job: a CDI, a CDD planned for six months or more (1 January to 30 June counts) or a contract
    that trains for a qualification (apprenticeship, professionalisation)."""
    if contract_type == ContractType.CDI or contract_type in QUALIFYING_TRAINING_CONTRACTS:
        return True
    if contract_type != ContractType.CDD or planned_end_date is None:
        return False
    return planned_end_date >= months_later(start_date, DURABLE_CDD_MONTHS) - datetime.timedelta(days=1)


def is_direct_hire(contract_type):
    """Hired by the company itself: the hours count as « embauche directe » (an interim goes through an ETTI)."""
    return MODALITY_BY_CONTRACT_TYPE.get(contract_type, Modality.DIRECT_HIRE) == Modality.DIRECT_HIRE


@dataclass
class Hired:
    """People hired in the period and their hires (see the module's docstring)."""

    people: int = 0
    hires: int = 0
    under_26: int = 0
    over_50: int = 0
    women: int = 0
    qpv: int = 0
    level1_any: int = 0
    # criterion label -> people
    level1: dict = field(default_factory=dict)
    direct_hires: int = 0
    durable_hires: int = 0
    # contract type label -> hires
    by_contract_type: dict = field(default_factory=dict)


def hired(*, start, end, contracts=None):
    """People hired and their hires in the period: profiles (under 26, over 50, women, QPV or ZRR residents,
    level-1 criteria, as the prescriber declared them), direct hires and durable jobs. One query; the criteria
    are read as the JSON text they are stored as (decoding thousands of lists was half the report's time)."""
    rows = (
        _validated(contracts=contracts)
        .filter(start_date__range=(start, end))
        .order_by("submission__candidate_id", "start_date", "pk")
        .values_list(
            "submission__candidate_id",
            "contract_type",
            "start_date",
            "planned_end_date",
            "submission__candidate__birth_date",
            "submission__candidate__sex",
            Cast("submission__candidate__level1_criteria", TextField()),
            Cast("submission__candidate__level2_criteria", TextField()),
        )
    )
    result, people, types, level1 = Hired(), {}, Counter(), Counter()
    for candidate_id, contract_type, start_date, planned_end_date, *profile in rows:
        result.hires += 1
        result.direct_hires += is_direct_hire(contract_type)
        result.durable_hires += is_durable_hire(contract_type, start_date, planned_end_date)
        types[contract_type] += 1
        people.setdefault(candidate_id, (start_date, *profile))
    qpv = f'"{Level2Criterion.QPV_ZRR}"'
    level1_codes = [(code, f'"{code}"') for code in Level1Criterion.values]
    for start_date, birth_date, sex, level1_criteria, level2_criteria in people.values():
        age = age_on(birth_date, start_date)
        result.under_26 += age < 26
        result.over_50 += age > 50
        result.women += sex == "f"
        result.qpv += qpv in level2_criteria
        held = [code for code, quoted in level1_codes if quoted in level1_criteria]
        result.level1_any += bool(held)
        level1.update(held)
    result.people = len(people)
    result.level1 = {label: level1[code] for code, label in Level1Criterion.choices}
    result.by_contract_type = {label: types[code] for code, label in ContractType.choices}
    return result


def durable_exits(*, start, end, contracts=None):
    """Placements ending in the period: {"ended", "with_outcome", "durable"} where durable exits (*sorties
    dynamiques*) are a CDI, a CDD of 6 months or more or a qualifying training at the end of the path. One query."""
    ended = _validated(contracts=contracts).filter(planned_end_date__range=(start, end))
    counts = dict(ended.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n").order_by())
    return {
        "ended": sum(counts.values()),
        "with_outcome": sum(n for outcome, n in counts.items() if outcome),
        "durable": sum(n for outcome, n in counts.items() if outcome in DURABLE_OUTCOMES),
    }
