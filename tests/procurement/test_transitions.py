import re

from django.urls import reverse

from procurement.enums import AwardRole, ContractState
from procurement.models import Contract, ContractTransition
from tests.procurement.factories import AwardFactory, ContractFactory


def test_confirming_needs_hours(api_as, facilitator, buyer_org):
    contract = ContractFactory(buyer=buyer_org, submitted=True, clause_hours=0)
    response = api_as(facilitator).post(f"/api/v1/contracts/{contract.pk}/transition/", {"target": "confirmed"})
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Les heures d'insertion doivent être fixées avant d'être confirmées."]
    }
    contract.refresh_from_db()
    assert contract.state == ContractState.SUBMITTED and not contract.transitions.exists()


def test_outsiders_get_404(api_as, other_buyer, buyer_org):
    contract = ContractFactory(buyer=buyer_org)
    response = api_as(other_buyer).post(f"/api/v1/contracts/{contract.pk}/transition/", {"target": "submitted"})
    assert response.status_code == 404


def test_buyer_submits_through_the_page(client_as, buyer, buyer_org):
    contract = ContractFactory(buyer=buyer_org)
    client = client_as(buyer)
    page = client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    assert "Soumettre au facilitateur" in page and "Confirmer les heures" not in page
    client.post(
        reverse("procurement:contract_transition", args=[contract.pk]), {"target": "submitted", "reason": "Prêt"}
    )
    contract.refresh_from_db()
    assert contract.state == ContractState.SUBMITTED
    page = client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    assert "Brouillon → Soumis au facilitateur" in page and "Prêt" in page


def test_buyer_edits_only_drafts(client_as, api_as, buyer, buyer_org):
    contract = ContractFactory(buyer=buyer_org, submitted=True)
    assert client_as(buyer).get(reverse("procurement:contract_edit", args=[contract.pk])).status_code == 403
    response = api_as(buyer).patch(f"/api/v1/contracts/{contract.pk}/", {"title": "Autre"}, format="json")
    assert response.status_code == 403
    assert Contract.objects.get().title != "Autre"


def test_facilitator_resizes_a_submitted_contract(api_as, facilitator, buyer_org):
    contract = ContractFactory(buyer=buyer_org, submitted=True)
    response = api_as(facilitator).patch(f"/api/v1/contracts/{contract.pk}/", {"hours_entered": 900}, format="json")
    assert response.status_code == 200
    assert response.json()["clause_hours"] == 900


def test_award_by_siret_with_hours_split(api_as, buyer, buyer_org, company_org, other_company_org):
    contract = ContractFactory(buyer=buyer_org, confirmed=True)
    payload = {
        "awards": [
            {"siret": company_org.siret, "role": AwardRole.HOLDER, "hours_share": 500},
            {"siret": other_company_org.siret, "role": AwardRole.CO_CONTRACTOR, "hours_share": 333},
        ]
    }
    response = api_as(buyer).post(f"/api/v1/contracts/{contract.pk}/award/", payload, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == ContractState.AWARDED
    assert {(a["siret"], a["hours_share"]) for a in response.json()["awards"]} == {
        (company_org.siret, 500),
        (other_company_org.siret, 333),
    }
    assert ContractTransition.objects.get().to_state == ContractState.AWARDED


def test_award_lists_every_problem(api_as, buyer, buyer_org, company_org):
    contract = ContractFactory(buyer=buyer_org, confirmed=True)
    payload = {
        "awards": [
            {"siret": "21750001600019", "role": AwardRole.CO_CONTRACTOR, "hours_share": 100},
            {"siret": company_org.siret, "role": AwardRole.CO_CONTRACTOR, "hours_share": 100},
        ]
    }
    response = api_as(buyer).post(f"/api/v1/contracts/{contract.pk}/award/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "awards": [
            "Ligne 1 : aucune entreprise inscrite n'a le SIRET 21750001600019.",
            "Indiquez exactement une entreprise titulaire ; les autres sont co-traitantes.",
            "La répartition totalise 200 h alors que le marché compte 833 h d'insertion.",
        ]
    }
    contract.refresh_from_db()
    assert contract.state == ContractState.CONFIRMED and not contract.awards.exists()


def test_award_page(client_as, facilitator, buyer_org, company_org):
    contract = ContractFactory(buyer=buyer_org, confirmed=True)
    data = {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 0, "form-0-siret": company_org.siret}
    client = client_as(facilitator)
    url = reverse("procurement:contract_award", args=[contract.pk])
    response = client.post(url, {**data, "form-0-role": "holder", "form-0-hours_share": 800})
    assert "La répartition totalise 800 h alors que le marché compte 833 h" in response.content.decode()
    response = client.post(url, {**data, "form-0-role": "holder", "form-0-hours_share": 833})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.state == ContractState.AWARDED


def test_award_page_skips_the_rows_left_empty(client_as, buyer, buyer_org, company_org):
    """The page shows four rows; the browser sends every one, with the role select at its first option."""
    contract = ContractFactory(buyer=buyer_org, confirmed=True)
    client = client_as(buyer)
    url = reverse("procurement:contract_award", args=[contract.pk])
    page = client.get(url).content.decode()
    total = int(re.search(r'name="form-TOTAL_FORMS" value="(\d+)"', page)[1])
    data = {"form-TOTAL_FORMS": total, "form-INITIAL_FORMS": 0}
    data.update({f"form-{i}-role": "holder" for i in range(total)})
    data.update({"form-0-siret": company_org.siret, "form-0-hours_share": 833})
    assert total > 1
    assert client.post(url, data).status_code == 302
    contract.refresh_from_db()
    assert contract.state == ContractState.AWARDED
    assert [(a.company, a.hours_share) for a in contract.awards.all()] == [(company_org, 833)]


def test_company_cannot_award(api_as, company_user, buyer_org, company_org):
    contract = ContractFactory(buyer=buyer_org, confirmed=True)
    AwardFactory(contract=contract, company=company_org)
    payload = {"awards": [{"siret": company_org.siret, "role": "holder", "hours_share": 833}]}
    assert (
        api_as(company_user).post(f"/api/v1/contracts/{contract.pk}/award/", payload, format="json").status_code == 403
    )
