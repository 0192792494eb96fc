"""The whole demo (accounts, procurement, marketplace) goes through the same rules as users: ``check_integrity``
finds nothing in it, and it looks like Paris: its buyers are the real ones of the MEP's report, each buying
what it buys, contracts in progress mostly between 30 % and 130 % of their hours, closed ones mostly met,
and people hired on occupations they seek."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from demo import accounts as accounts_demo
from demo import marketplace as marketplace_demo
from demo import procurement as procurement_demo
from demo.management.commands import seed_demo
from marketplace.models import Placement, Position
from notifications.models import Notification
from procurement.enums import ContractState
from procurement.models import Contract, ContractForecast, HoursStatement
from tests.marketplace.factories import CommuneFactory, JobTitleFactory, OccupationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def reference_data(monkeypatch):
    monkeypatch.setattr(seed_demo, "DEMO_MODULES", ["demo.accounts", "demo.procurement", "demo.marketplace"])
    for n in range(1, 21):
        CommuneFactory(code_insee=f"751{n:02d}", name=f"Paris {n}e", postcodes=f"750{n:02d}", latitude=48.85 + n / 500)
    codes = sorted({code for codes in marketplace_demo.OCCUPATIONS_BY_SECTOR.values() for code in codes})
    for code in codes:
        occupation = OccupationFactory(code_rome=code, label=f"Métier {code}")
        JobTitleFactory(occupation=occupation)
        JobTitleFactory(occupation=occupation)


def rates(state):
    """Validated (and pending) hours over the clause hours, in percent, of the contracts in ``state``."""
    counted = dict(
        HoursStatement.objects.counted().values_list("source__contract_id").annotate(Sum("hours")).order_by()
    )
    return [
        float(counted.get(pk, Decimal(0))) * 100 / due
        for pk, due in Contract.objects.filter(state=state).values_list("pk", "clause_hours")
    ]


def test_the_seeded_demo_breaks_no_rule_and_looks_like_paris():
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_integrity", stdout=out)  # raises (exit status 1) on any broken rule
    assert "Aucune anomalie" in out.getvalue()

    buyers = {key for key, kind, *_ in accounts_demo.NAMED_ORGANISATIONS if kind == "buyer"}
    for contract in Contract.objects.select_related("buyer"):
        key = accounts_demo.key_of(contract.buyer)
        assert key in buyers
        assert contract.sector in {sector for _, sector, *_ in procurement_demo.CONTRACTS_BY_BUYER[key]}

    in_progress, closed = rates(ContractState.IN_PROGRESS), rates(ContractState.CLOSED)
    assert in_progress and closed
    assert sum(30 <= rate <= 130 for rate in in_progress) >= 0.6 * len(in_progress), sorted(in_progress)
    assert sum(rate >= 90 for rate in closed) >= 0.6 * len(closed), sorted(closed)
    assert max(in_progress + closed) < 200  # over-delivery happens, never a few times the clause

    placements = Placement.objects.select_related("position__job_title", "submission__candidate")
    fitting = sum(
        p.position.job_title.occupation_id in {job.occupation_id for job in p.submission.candidate.job_titles.all()}
        for p in placements.prefetch_related("submission__candidate__job_titles")
    )
    assert placements.exists() and fitting >= 0.6 * placements.count()
    # Every open position has people seeking its occupation in the pools.
    for position in Position.objects.published().select_related("job_title"):
        assert position.submissions.exists()
    # The worker's monthly check has run: each contract in progress has its forecast, a few fall behind (not most),
    # and the buyer of each of those has been told, with the link to the contract.
    running = Contract.objects.filter(state=ContractState.IN_PROGRESS, clause_hours__gt=0, ends_on__isnull=False)
    assert set(ContractForecast.objects.values_list("contract", flat=True)) == set(running.values_list("pk", flat=True))
    behind = ContractForecast.objects.filter(at_risk=True).select_related("contract")
    assert 1 <= behind.count() <= running.count() / 3
    for forecast in behind:
        assert forecast.hours_projected + forecast.hours_at_risk == forecast.hours_due
        link = reverse("procurement:contract_detail", args=[forecast.contract_id])
        assert Notification.objects.filter(recipient=forecast.contract.buyer_id, link=link).exists()
