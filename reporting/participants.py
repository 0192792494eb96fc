"""Figures the facilitator reports on people and placements, for ``reporting.reports`` to call.

Every function takes a period (``start``, ``end``: dates, both included) and optionally the
contracts to count (a queryset: a buyer's own contracts for its report). Only placements validated by the
facilitator count. A *participant* is a person with a validated placement starting in the period.

    from reporting import participants
    participants.summary(start=date(2026, 1, 1), end=date(2026, 12, 31), contracts=Contract.objects.filter(buyer=b))
"""

from collections import Counter

from django.conf import settings
from django.db.models import Count

from common.exports import Table
from marketplace.enums import DURABLE_OUTCOMES, ContractType, Level1Criterion, Level2Criterion, PlacementState
from marketplace.models import Placement


def _validated(*, contracts=None):
    placements = Placement.objects.filter(state=PlacementState.VALIDATED)
    if contracts is not None:
        placements = placements.filter(position__contract__in=contracts)
    return placements


def _age(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def participants(*, start, end, contracts=None):
    """{"count", "under_26", "over_50", "women", "qpv", "level1": {criterion label: count}}: people
    counted once, with their age on their first placement's start date. QPV residence is the
    level-2 criterion "QPV or ZRR" the prescriber declared."""
    rows = (
        _validated(contracts=contracts)
        .filter(start_date__range=(start, end))
        .order_by("submission__candidate_id", "start_date")
        .values_list(
            "submission__candidate_id",
            "start_date",
            "submission__candidate__birth_date",
            "submission__candidate__sex",
            "submission__candidate__level1_criteria",
            "submission__candidate__level2_criteria",
        )
    )
    people = {}
    for candidate_id, *profile in rows:
        people.setdefault(candidate_id, profile)
    level1 = Counter()
    result = {"count": len(people), "under_26": 0, "over_50": 0, "women": 0, "qpv": 0}
    for start_date, birth_date, sex, level1_criteria, level2_criteria in people.values():
        age = _age(birth_date, start_date)
        result["under_26"] += age < 26
        result["over_50"] += age > 50
        result["women"] += sex == "f"
        result["qpv"] += Level2Criterion.QPV_ZRR in level2_criteria
        level1.update(level1_criteria)
    result["level1"] = {label: level1[code] for code, label in Level1Criterion.choices}
    return result


def placements_by_contract_type(*, start, end, contracts=None):
    """{contract type label: number of validated placements starting in the period}."""
    counts = dict(
        _validated(contracts=contracts)
        .filter(start_date__range=(start, end))
        .values_list("contract_type")
        .annotate(n=Count("pk"))
        .values_list("contract_type", "n")
    )
    return {label: counts.get(code, 0) for code, label in ContractType.choices}


def durable_exits(*, start, end, contracts=None):
    """Placements ending in the period: {"ended", "with_outcome", "durable", "rate"} where durable
    exits are CDI, CDD of 6 months or more and qualifying training, and ``rate`` is their share of
    the outcomes recorded (None when none is)."""
    ended = _validated(contracts=contracts).filter(planned_end_date__range=(start, end))
    counts = dict(ended.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
    with_outcome = sum(n for outcome, n in counts.items() if outcome)
    durable = sum(n for outcome, n in counts.items() if outcome in DURABLE_OUTCOMES)
    return {
        "ended": sum(counts.values()),
        "with_outcome": with_outcome,
        "durable": durable,
        "rate": round(durable / with_outcome, 3) if with_outcome else None,
    }


def summary(*, start, end, contracts=None):
    return {
        "participants": participants(start=start, end=end, contracts=contracts),
        "placements_by_contract_type": placements_by_contract_type(start=start, end=end, contracts=contracts),
        "durable_exits": durable_exits(start=start, end=end, contracts=contracts),
    }


def masked(count):
    """A count small enough to point at someone (one RSA recipient on a contract) is shown as a bound."""
    threshold = settings.REPORT_SMALL_COUNT_THRESHOLD
    return f"moins de {threshold}" if 0 < count < threshold else count


def participant_tables(contracts, start, end, *, mask_small_counts=False):
    """The same figures as report tables (aggregates only, no personal data), for the procurement reports.
    With ``mask_small_counts`` (anyone but the facilitator), small profile counts are masked."""
    people = participants(start=start, end=end, contracts=contracts)
    shown = masked if mask_small_counts else int
    profile_rows = [
        ["Participants", shown(people["count"])],
        ["Moins de 26 ans", shown(people["under_26"])],
        ["Plus de 50 ans", shown(people["over_50"])],
        ["Femmes", shown(people["women"])],
        ["Résidents QPV ou ZRR", shown(people["qpv"])],
        *([f"Critère de niveau 1 : {label}", shown(count)] for label, count in people["level1"].items()),
    ]
    types = placements_by_contract_type(start=start, end=end, contracts=contracts)
    exits = durable_exits(start=start, end=end, contracts=contracts)
    exit_rows = [
        ["Parcours terminés", exits["ended"]],
        ["Sorties renseignées", exits["with_outcome"]],
        ["Sorties dynamiques (CDI, CDD de 6 mois et plus, formation qualifiante)", exits["durable"]],
        ["Taux de sorties dynamiques", exits["rate"] if exits["rate"] is not None else ""],
    ]
    return [
        Table("participants", "Participants par profil", ["Profil", "Nombre"], profile_rows),
        Table(
            "contrats-de-travail",
            "Mises à l'emploi par type de contrat",
            ["Type de contrat", "Nombre"],
            [[label, count] for label, count in types.items()],
        ),
        Table("sorties", "Sorties de parcours", ["Indicateur", "Valeur"], exit_rows),
    ]
