import pytest
from django.urls import reverse

from tests.procurement.factories import AwardFactory, ContractFactory


@pytest.fixture
def many_contracts(buyer_org, company_org):
    contracts = ContractFactory.create_batch(30, buyer=buyer_org, in_progress=True)
    for contract in contracts[:10]:
        AwardFactory(contract=contract, company=company_org)
    return contracts


def test_contract_list_is_scoped_and_bounded(
    client_as, buyer, company_user, other_buyer, many_contracts, django_assert_num_queries
):
    client = client_as(buyer)
    # session, user, memberships, count, unread notifications, page of contracts with buyers
    with django_assert_num_queries(6):
        response = client.get(reverse("procurement:contract_list"))
    assert "30 marchés" in response.content.decode()
    assert "10 marchés" in client_as(company_user).get(reverse("procurement:contract_list")).content.decode()
    assert "0 marché" in client_as(other_buyer).get(reverse("procurement:contract_list")).content.decode()


def test_contract_detail_is_bounded(client_as, facilitator, many_contracts, django_assert_num_queries):
    contract = many_contracts[0]
    client = client_as(facilitator)
    # session, user, memberships, contract with buyer, clause settings, progress by modality and month, SIAE
    # turnover, unread notifications, awards with companies, SIAE orders, sources (none yet), history, the last
    # shortfall forecast
    with django_assert_num_queries(13):
        response = client.get(reverse("procurement:contract_detail", args=[contract.pk]))
    assert response.status_code == 200


def test_outsider_gets_404(client_as, other_buyer, other_company_user, many_contracts):
    url = reverse("procurement:contract_detail", args=[many_contracts[0].pk])
    assert client_as(other_buyer).get(url).status_code == 404
    assert client_as(other_company_user).get(url).status_code == 404


def test_api_list_filters_and_is_bounded(
    api_as, facilitator, buyer_org, company_org, many_contracts, django_assert_num_queries
):
    client = api_as(facilitator)
    # token + user, memberships, count, page, awards with companies
    with django_assert_num_queries(5):
        response = client.get("/api/v1/contracts/", {"company": company_org.pk})
    assert response.json()["count"] == 10
    assert client.get("/api/v1/contracts/", {"buyer": buyer_org.pk, "state": "draft"}).json()["count"] == 0
    assert client.get("/api/v1/contracts/", {"sector": "building"}).json()["count"] == 30
    assert client.get("/api/v1/contracts/", {"state": "nope"}).status_code == 400


def test_dashboards_show_the_panel(client_as, buyer, facilitator, siae_user, company_user, many_contracts):
    assert "En cours d&#x27;exécution : 30" in client_as(buyer).get(reverse("accounts:dashboard")).content.decode()
    assert "Marchés à clause sociale" in client_as(siae_user).get(reverse("accounts:dashboard")).content.decode()
