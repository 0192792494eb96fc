import io

import pytest
from django.core.management import call_command

from demo.management.commands import seed_demo
from procurement import services
from procurement.enums import StatementState
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


def test_reset_after_the_monthly_shortfall_check():
    """The worker's monthly check writes a forecast per contract in progress: the demo still resets (it once
    failed on the forecasts' link to the contracts it deleted) and comes back the same."""
    call_command("seed_demo", stdout=io.StringIO())
    first = fingerprint()
    assert services.check_shortfalls()["marchés vérifiés"] > 0

    call_command("seed_demo", "--reset", stdout=io.StringIO())

    assert fingerprint() == first
    assert not ContractForecast.objects.exists()
