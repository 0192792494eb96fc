import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from procurement.enums import StatementState
from tests.procurement.factories import AwardFactory, ContractFactory, HoursStatementFactory, contract_in_progress_for


@pytest.fixture
def many_contracts(buyer_org, company_org):
    contracts = ContractFactory.create_batch(30, buyer=buyer_org, in_progress=True)
    for contract in contracts[:10]:
        AwardFactory(contract=contract, company=company_org)
    return contracts


def test_contract_list_is_scoped_and_bounded(
    client_as, buyer, company_user, other_buyer, many_contracts, django_assert_max_num_queries
):
    client = client_as(buyer)
    # session, user, memberships, count, page, dashboard-free layout
    with django_assert_max_num_queries(8):
        response = client.get(reverse("procurement:contract_list"))
    assert "30 marchés" in response.content.decode()
    assert "10 marchés" in client_as(company_user).get(reverse("procurement:contract_list")).content.decode()
    assert "0 marché" in client_as(other_buyer).get(reverse("procurement:contract_list")).content.decode()


def test_contract_detail_is_bounded(client_as, facilitator, many_contracts, django_assert_max_num_queries):
    contract = many_contracts[0]
    client = client_as(facilitator)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("procurement:contract_detail", args=[contract.pk]))
    assert response.status_code == 200


def test_outsider_gets_404(client_as, other_buyer, other_company_user, many_contracts):
    url = reverse("procurement:contract_detail", args=[many_contracts[0].pk])
    assert client_as(other_buyer).get(url).status_code == 404
    assert client_as(other_company_user).get(url).status_code == 404


def test_api_list_filters_and_is_bounded(
    api_as, facilitator, buyer_org, company_org, many_contracts, django_assert_max_num_queries
):
    client = api_as(facilitator)
    # token + user, memberships, count, page, awards with companies
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/contracts/", {"company": company_org.pk})
    assert response.json()["count"] == 10
    assert client.get("/api/v1/contracts/", {"buyer": buyer_org.pk, "state": "draft"}).json()["count"] == 0
    assert client.get("/api/v1/contracts/", {"sector": "building"}).json()["count"] == 30
    assert client.get("/api/v1/contracts/", {"state": "nope"}).status_code == 400


def test_dashboards_show_the_panel(client_as, buyer, facilitator, siae_user, company_user, many_contracts):
    assert "En cours d&#x27;exécution : 30" in client_as(buyer).get(reverse("accounts:dashboard")).content.decode()
    assert "Marchés à clause sociale" in client_as(siae_user).get(reverse("accounts:dashboard")).content.decode()


def test_contract_page_lists_each_sources_latest_statements(
    client_as, company_user, buyer, company_org, buyer_org, django_assert_max_num_queries
):
    contract, source = contract_in_progress_for(company_org, contract__buyer=buyer_org)
    for month in range(1, 13):
        HoursStatementFactory(source=source, month=datetime.date(2023, month, 1), state=StatementState.VALIDATED)
    for month in range(1, 13):
        HoursStatementFactory(source=source, month=datetime.date(2024, month, 1), hours=Decimal("35.5"))
    oldest = source.statements.get(month=datetime.date(2023, 1, 1))
    rejected = HoursStatementFactory(
        source=source, month=datetime.date(2025, 1, 1), state=StatementState.REJECTED, reason="Illisible <scan>"
    )
    url = reverse("procurement:contract_detail", args=[contract.pk])
    client = client_as(company_user)

    # Whatever the number of statements: sources and their statements are two queries.
    with django_assert_max_num_queries(16):
        page = client.get(url).content.decode()
    # The 24 latest, newest first, in French; the oldest one is left out.
    assert "<li>janvier 2025 : 120 h – Refusé – Illisible &lt;scan&gt;</li>" in page
    assert "<li>décembre 2024 : 35,5 h – Déclaré</li>" in page
    assert page.index("décembre 2024") < page.index("février 2023")
    assert "janvier 2023" not in page
    # The company may correct its validated statements, not the others.
    correct = reverse("procurement:declare_hours", args=[source.pk]) + "?corrige="
    validated = source.statements.filter(state=StatementState.VALIDATED).exclude(pk=oldest.pk)
    assert page.count(correct) == validated.count() == 11
    assert f"{correct}{rejected.pk}" not in page

    buyer_page = client_as(buyer).get(url).content.decode()
    assert "<li>février 2023 : 120 h – Validé</li>" in buyer_page
    assert correct not in buyer_page
