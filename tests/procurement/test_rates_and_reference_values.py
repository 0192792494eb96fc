"""One unit for rates across the site and the API (percent, 50 for 50 %), out-of-range values refused on
their field in French, positive amounts; the reference values and the FTE divisor read by everyone and changed
by the facilitator through the API, every FTE figure following the divisor."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from procurement.enums import StatementState
from procurement.models import ClauseSettings, Contract, SectorDefaults, ValidatedHours
from reporting import reports
from tests.procurement.factories import AwardFactory, HoursSourceFactory, HoursStatementFactory

CONTRACTS_URL = "/api/v1/contracts/"
CONTRACT = {"reference": "R1", "title": "Ravalement", "sector": "building", "amount_excl_vat": "1000000"}


def test_api_rates_are_percentages_like_the_site(api_as, buyer):
    response = api_as(buyer).post(
        CONTRACTS_URL,
        {**CONTRACT, "labour_share_percent": "50", "insertion_rate_percent": "5", "hourly_cost": "30"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["clause_hours"] == 833  # not 83,333: 5 means 5 %
    contract = Contract.objects.get()
    assert (contract.labour_share, contract.insertion_rate) == (Decimal("0.5"), Decimal("0.05"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "insertion_rate_percent",
            "0",
            "Le taux d'insertion s'exprime en pourcentage, au-dessus de 0 et au plus 100 (0 saisi).",
        ),
        (
            "labour_share_percent",
            "100.01",
            "La part de main-d'œuvre s'exprime en pourcentage, au-dessus de 0 et au plus 100 (100,01 saisi).",
        ),
        ("amount_excl_vat", "0", "Le montant HT doit être positif (0 saisi)."),
        ("hourly_cost", "-30", "Le coût horaire chargé doit être positif (-30 saisi)."),
    ],
)
def test_api_refuses_out_of_range_values_on_their_field(api_as, buyer, field, value, message):
    response = api_as(buyer).post(CONTRACTS_URL, {**CONTRACT, field: value}, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert not Contract.objects.exists()


def test_api_accepts_the_boundaries(api_as, buyer):
    response = api_as(buyer).post(
        CONTRACTS_URL,
        {
            **CONTRACT,
            "amount_excl_vat": "0.01",
            "labour_share_percent": "100",
            "insertion_rate_percent": "0.01",
            "hourly_cost": "0.01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()


def test_api_says_the_old_fraction_fields_were_renamed(api_as, buyer):
    response = api_as(buyer).post(CONTRACTS_URL, {**CONTRACT, "insertion_rate": "0.05"}, format="json")
    assert response.json() == {
        "insertion_rate": ["Ce champ s'appelle « insertion_rate_percent » et s'exprime en pourcentage (50 pour 50 %)."]
    }


def test_schema_documents_the_unit(client):
    schema = client.get("/api/schema/?format=json").json()
    field = schema["components"]["schemas"]["Contract"]["properties"]["insertion_rate_percent"]
    assert "pourcentage" in field["description"]


@pytest.mark.parametrize(("value", "accepted"), [("0", False), ("0.01", True), ("100", True), ("100.5", False)])
def test_page_refuses_out_of_range_rates_on_their_field(client_as, buyer, value, accepted):
    response = client_as(buyer).post(
        reverse("procurement:contract_create"), {**CONTRACT, "reference": f"R-{value}", "insertion_rate_percent": value}
    )
    if accepted:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        shown = value.replace(".", ",")
        message = f"Le taux d'insertion s'exprime en pourcentage, au-dessus de 0 et au plus 100 ({shown} saisi)."
        assert message in unescape(response.content.decode())
    assert Contract.objects.exists() is accepted


# --- Reference values through the API -------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["buyer", "company_user", "prescriber", "siae_user", "facilitator"])
def test_everyone_reads_the_reference_values(db, api_as, request, user):
    client = api_as(request.getfixturevalue(user))
    sectors = client.get("/api/v1/sector-defaults/").json()
    assert len(sectors) == SectorDefaults.objects.count()
    building = client.get("/api/v1/sector-defaults/building/").json()
    assert building["sector_label"] == "Bâtiment"
    assert Decimal(building["labour_share_percent"]) == SectorDefaults.objects.get(pk="building").labour_share * 100
    assert client.get("/api/v1/clause-settings/").json()["fte_divisor"] == 1607


@pytest.mark.parametrize("user", ["buyer", "company_user"])
def test_only_the_facilitator_changes_them(db, api_as, request, user):
    client = api_as(request.getfixturevalue(user))
    assert client.patch("/api/v1/sector-defaults/building/", {"insertion_rate_percent": "9"}).status_code == 403
    assert client.patch("/api/v1/clause-settings/", {"fte_divisor": 1741}).status_code == 403


def test_facilitator_changes_a_sector_in_percent(api_as, facilitator, buyer):
    client = api_as(facilitator)
    response = client.patch("/api/v1/sector-defaults/building/", {"insertion_rate_percent": "150"}, format="json")
    assert response.json() == {
        "insertion_rate_percent": [
            "Le taux d'insertion s'exprime en pourcentage, au-dessus de 0 et au plus 100 (150 saisi)."
        ]
    }
    response = client.patch(
        "/api/v1/sector-defaults/building/",
        {"labour_share_percent": "50", "insertion_rate_percent": "5", "hourly_cost": "30"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    created = api_as(buyer).post(CONTRACTS_URL, CONTRACT, format="json").json()
    assert created["clause_hours"] == 833


def test_an_fte_divisor_of_1741_makes_every_fte_figure_follow(api_as, facilitator, facilitator_org, company_org):
    """The MEP's report counts 700,000 h as 402 FTE."""
    contract = AwardFactory(company=company_org, contract__in_progress=True, contract__clause_hours=700_000).contract
    source = HoursSourceFactory(contract=contract, company=company_org)
    HoursStatementFactory(source=source, state=StatementState.VALIDATED, hours=700_000, month=datetime.date(2024, 3, 1))
    ValidatedHours.objects.create(
        contract=contract, company=company_org, modality=source.modality, month=datetime.date(2024, 3, 1), hours=700_000
    )
    client = api_as(facilitator)
    assert client.get(f"{CONTRACTS_URL}{contract.pk}/progress/").json()["fte"] == pytest.approx(435.59, abs=0.01)
    response = client.patch("/api/v1/clause-settings/", {"fte_divisor": 1741}, format="json")
    assert response.status_code == 200, response.json()
    assert ClauseSettings.current().fte_divisor == 1741
    assert round(client.get(f"{CONTRACTS_URL}{contract.pk}/progress/").json()["fte"]) == 402
    summary = client.get("/api/v1/reports/summary/?from=2024-01-01&to=2024-12-31").json()
    assert round(Decimal(str(summary["fte"]))) == 402
    assert round(reports.summary(facilitator_org, reports.Period.year(2024))["fte"]) == 402
    assert client.patch("/api/v1/clause-settings/", {"fte_divisor": 0}, format="json").status_code == 400
