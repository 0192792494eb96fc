import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo.management.commands import seed_demo
from procurement import services
from procurement.enums import ContractState, StatementState
from procurement.models import Contract, ContractForecast, HoursStatement, SiaeOrder, ValidatedHours
from reference.models import Commune


@pytest.fixture(autouse=True)
def accounts_and_procurement(monkeypatch, db):
    monkeypatch.setattr(seed_demo, "DEMO_MODULES", ["demo.accounts", "demo.procurement"])
    for n in (4, 10, 19, 20):
        Commune.objects.create(
            code_insee=f"751{n:02d}",
            name=f"Paris {n}e",
            slug=f"paris-{n}",
            department="75",
            postcodes=f"750{n:02d}",
            latitude=48.86,
            longitude=2.35,
        )


def fingerprint():
    return (
        list(Contract.objects.order_by("reference").values_list("reference", "title", "amount_excl_vat", "state")),
        HoursStatement.objects.count(),
        list(SiaeOrder.objects.order_by("pk").values_list("hours", flat=True)),
    )


def test_seed_is_deterministic_and_totals_match_the_ledger():
    call_command("seed_demo", stdout=io.StringIO())
    first = fingerprint()
    # Alone, the procurement demo writes the SIAE orders' hours (the placements' are the marketplace's).
    assert len(first[0]) == 20 and first[1] > 20 and first[2]
    validated = HoursStatement.objects.filter(state=StatementState.VALIDATED)
    assert sum(v.hours for v in ValidatedHours.objects.all()) == sum(s.hours for s in validated)
    call_command("seed_demo", "--reset", stdout=io.StringIO())
    assert fingerprint() == first


def test_the_seed_ends_with_the_monthly_shortfall_check_and_resets_after_another():
    """The seed ends with the worker's monthly check (a forecast per contract in progress); the demo still resets
    after a later check (it once failed on the forecasts' link to the contracts it deleted) and comes back the
    same, forecasts included."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = fingerprint()
    running = Contract.objects.filter(state=ContractState.IN_PROGRESS, clause_hours__gt=0, ends_on__isnull=False)
    forecasts = sorted(ContractForecast.objects.values_list("contract__reference", "hours_at_risk", "at_risk"))
    assert [reference for reference, *_ in forecasts] == sorted(running.values_list("reference", flat=True))
    assert f"vérification mensuelle des retards : {len(forecasts)} marchés vérifiés, " in out.getvalue()
    assert services.check_shortfalls(today=timezone.localdate() + datetime.timedelta(days=31))["marchés vérifiés"]

    call_command("seed_demo", "--reset", stdout=io.StringIO())

    assert fingerprint() == first
    assert sorted(ContractForecast.objects.values_list("contract__reference", "hours_at_risk", "at_risk")) == forecasts
