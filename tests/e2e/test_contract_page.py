"""The contract page of a three-year contract with 30 sources fits in three screens: its hours are a month ×
source table with the last 12 months shown and the others on demand (« Mois précédents »)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from procurement.enums import StatementState
from procurement.models import HoursStatement
from tests.e2e.axe import DESKTOP
from tests.e2e.day import Day
from tests.e2e.passes import judged_once
from tests.procurement.factories import AwardFactory, HoursSourceFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), judged_once]

SCREENS = 3


def months_back(count):
    month = timezone.localdate().replace(day=1)
    for _ in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def test_a_three_year_contract_with_30_sources_fits_in_three_screens(tab, buyer, buyer_org, company_org):
    contract = AwardFactory(company=company_org, contract__buyer=buyer_org, contract__in_progress=True).contract
    contract.notified_on = months_back(35)
    contract.ends_on = timezone.localdate().replace(day=28)
    contract.save(update_fields=["notified_on", "ends_on"])
    sources = [HoursSourceFactory(contract=contract, company=company_org, label=f"Salarié {n:02d}") for n in range(30)]
    HoursStatement.objects.bulk_create(
        HoursStatement(
            source=source,
            month=months_back(n),
            hours=Decimal("120"),
            modality=source.modality,
            state=StatementState.VALIDATED,
        )
        for source in sources
        for n in range(36)
    )
    day = Day(tab("acheteur"))
    day.login(buyer)
    page = day.page

    page.set_viewport_size(DESKTOP)
    day.click(page.get_by_role("link", name=contract.reference), "marche-de-trois-ans")
    page.set_viewport_size(DESKTOP)
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"\nMarché de 3 ans, 30 sources : {height} px de haut, {height / DESKTOP['height']:.1f} écrans")

    grid = page.get_by_role("table", name="Heures par source, 12 derniers mois")
    expect(grid.get_by_role("row")).to_have_count(31)
    expect(grid.get_by_role("columnheader").nth(1)).to_have_text(months_back(0).strftime("%m/%Y"))
    older = page.get_by_role("table", name="Heures par source, mois précédents")
    expect(older).to_be_hidden()
    page.get_by_text("Mois précédents (24 mois").click()
    expect(older).to_be_visible()
    expect(older.get_by_role("columnheader").last).to_have_text("Validées en tout")
    assert height <= SCREENS * DESKTOP["height"], f"{height} px"
