from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from procurement.enums import ContractState, Sector
from procurement.forms import percent_of
from procurement.models import ClauseSettings, Contract, SectorDefaults
from procurement.services import clause_hours_from

CONTRACTS_URL = "/api/v1/contracts/"


def test_formula_rounds_half_up():
    assert clause_hours_from(amount=1_000_000, labour_share="0.5", insertion_rate="0.05", hourly_cost=30) == 833
    # 10 × 1 × 0.15 ÷ 1 = 1.5 -> 2 (half up, not banker's rounding)
    assert clause_hours_from(amount=10, labour_share=1, insertion_rate="0.15", hourly_cost=1) == 2


def test_buyer_registers_a_contract_on_the_page_and_sees_the_computation(client_as, buyer, buyer_org):
    client = client_as(buyer)
    response = client.post(
        reverse("procurement:contract_create"),
        {
            "reference": "2024-DAE-0001",
            "title": "Rénovation thermique de l'école élémentaire Sorbier",
            "sector": Sector.BUILDING,
            "amount_excl_vat": "1000000",
            "labour_share_percent": "50",
            "insertion_rate_percent": "5",
            "hourly_cost": "30",
            "allowed_modalities": ["direct_hire", "etti"],
        },
    )
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert (contract.buyer, contract.state, contract.clause_hours) == (buyer_org, ContractState.DRAFT, 833)
    assert contract.labour_share == Decimal("0.5")
    page = client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    assert "1\xa0000\xa0000,00 € × 50 % × 5 % ÷ 30,00 €/h = <strong>833 h</strong>" in page


def test_api_computes_clause_hours_from_the_sector_defaults_the_facilitator_set(api_as, buyer, facilitator, client_as):
    client_as(facilitator).post(reverse("procurement:clause_settings"), _settings_post(building=("50", "5", "30")))
    response = api_as(buyer).post(
        CONTRACTS_URL,
        {"reference": "R1", "title": "Ravalement", "sector": "building", "amount_excl_vat": "1000000"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["clause_hours"] == 833
    # Rates in percent, as on the site.
    assert (body["labour_share_percent"], body["insertion_rate_percent"], body["hourly_cost"]) == (
        "50.00",
        "5.00",
        "30.00",
    )


def test_hours_entered_directly_replace_the_computation(api_as, buyer):
    response = api_as(buyer).post(
        CONTRACTS_URL,
        {
            "reference": "R2",
            "title": "Nettoyage",
            "sector": "cleaning",
            "amount_excl_vat": "50000",
            "hours_entered": 1200,
        },
        format="json",
    )
    assert response.json()["clause_hours"] == 1200


def _settings_post(**changes):
    data = {
        "sectors-TOTAL_FORMS": SectorDefaults.objects.count(),
        "sectors-INITIAL_FORMS": SectorDefaults.objects.count(),
        "settings-fte_divisor": "1607",
        "settings-siae_hourly_cost": "30",
        "settings-overtime_tolerance_percent": "10",
    }
    for index, row in enumerate(SectorDefaults.objects.order_by("sector")):
        share, rate, cost = changes.get(
            row.sector, (percent_of(row.labour_share), percent_of(row.insertion_rate), row.hourly_cost)
        )
        data.update(
            {
                f"sectors-{index}-sector": row.sector,
                f"sectors-{index}-labour_share_percent": share,
                f"sectors-{index}-insertion_rate_percent": rate,
                f"sectors-{index}-hourly_cost": cost,
            }
        )
    return data


def test_facilitator_edits_the_reference_values(client_as, facilitator):
    response = client_as(facilitator).post(
        reverse("procurement:clause_settings"),
        {**_settings_post(cleaning=("70", "10", "25")), "settings-fte_divisor": "1741"},
    )
    assert response.status_code == 302
    assert SectorDefaults.objects.get(sector="cleaning").labour_share == Decimal("0.7")
    assert ClauseSettings.current().fte_divisor == 1741


def test_reference_values_refuse_a_share_above_100_percent(client_as, facilitator):
    response = client_as(facilitator).post(
        reverse("procurement:clause_settings"), _settings_post(cleaning=("150", "10", "25"))
    )
    assert response.status_code == 200
    assert "La part de main-d'œuvre s'exprime en pourcentage, au-dessus de 0 et au plus 100 (150 saisi)." in unescape(
        response.content.decode()
    )
    assert SectorDefaults.objects.get(sector="cleaning").labour_share != Decimal("1.5")
    # The boundary, 100 %, is accepted.
    response = client_as(facilitator).post(
        reverse("procurement:clause_settings"), _settings_post(cleaning=("100", "10", "25"))
    )
    assert response.status_code == 302
    assert SectorDefaults.objects.get(sector="cleaning").labour_share == Decimal("1")


@pytest.mark.parametrize("user", ["buyer", "company_user"])
def test_only_the_facilitator_edits_reference_values(client_as, request, user):
    assert client_as(request.getfixturevalue(user)).get(reverse("procurement:clause_settings")).status_code == 403


def test_api_reports_bad_fields_one_by_one(api_as, buyer):
    response = api_as(buyer).post(
        CONTRACTS_URL,
        {
            "reference": "",
            "sector": "nope",
            "amount_excl_vat": "abc",
            "notified_on": "2024-05-01",
            "ends_on": "2024-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"reference", "title", "sector", "amount_excl_vat"}
    assert not Contract.objects.exists()


def test_facilitator_must_name_the_buyer(api_as, facilitator, buyer_org):
    client = api_as(facilitator)
    payload = {"reference": "R3", "title": "Espaces verts", "sector": "green_spaces", "amount_excl_vat": "200000"}
    assert client.post(CONTRACTS_URL, payload, format="json").json() == {"buyer": ["Choisissez un donneur d'ordre."]}
    response = client.post(CONTRACTS_URL, {**payload, "buyer": buyer_org.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["buyer_name"] == buyer_org.name


@pytest.mark.parametrize("user", ["company_user", "siae_user", "prescriber"])
def test_other_roles_cannot_register_contracts(api_as, request, user):
    response = api_as(request.getfixturevalue(user)).post(
        CONTRACTS_URL, {"reference": "R", "title": "T", "sector": "building", "amount_excl_vat": "1"}, format="json"
    )
    assert response.status_code == 403
