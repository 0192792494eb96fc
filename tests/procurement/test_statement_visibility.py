"""Who sees which hours statements (``HoursStatement.objects.visible_to``): the company declaring them, the
buyer of the contract, the SIAE whose order they come from, the facilitator; pages stay bounded."""

import datetime

import pytest
from django.urls import reverse

from procurement.enums import OrderKind
from procurement.models import SiaeOrder
from tests.procurement.factories import HoursStatementFactory, contract_in_progress_for

URL = "/api/v1/hours/"


@pytest.fixture
def statements(company_org, other_company_org, buyer_org, siae_org):
    """Two statements of the company's own hire, one from its order to the SIAE, one of another company."""
    contract, source = contract_in_progress_for(company_org, contract__buyer=buyer_org)
    _, order_source = contract_in_progress_for(company_org)
    SiaeOrder.objects.create(
        contract=order_source.contract,
        company=company_org,
        siae=siae_org,
        kind=OrderKind.SUBCONTRACTING,
        amount_excl_vat=30_000,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
        hours=1000,
        source=order_source,
    )
    _, other_source = contract_in_progress_for(other_company_org)
    return {
        "hire": [HoursStatementFactory(source=source, month=datetime.date(2024, m, 1)) for m in (3, 4)],
        "order": HoursStatementFactory(source=order_source),
        "other": HoursStatementFactory(source=other_source),
    }


@pytest.mark.parametrize(
    ("user", "seen"),
    [
        ("company_user", {"hire", "order"}),
        ("buyer", {"hire"}),
        ("siae_user", {"order"}),
        ("other_company_user", {"other"}),
        ("other_buyer", set()),
        ("prescriber", set()),
        ("facilitator", {"hire", "order", "other"}),
    ],
)
def test_each_role_sees_the_statements_it_is_party_to(request, api_as, statements, user, seen):
    expected = set()
    for key in seen:
        expected |= {s.pk for s in statements[key]} if isinstance(statements[key], list) else {statements[key].pk}
    response = api_as(request.getfixturevalue(user)).get(URL)
    assert {row["id"] for row in response.json()["results"]} == expected


def test_company_pages_stay_bounded_whatever_the_statements(
    client_as, company_user, company_org, statements, django_assert_num_queries, django_assert_max_num_queries
):
    _, source = contract_in_progress_for(company_org)
    HoursStatementFactory.create_batch(30, source=source)
    client = client_as(company_user)
    # session, user, memberships, unread notifications, count, page, the company's sources to declare from
    with django_assert_num_queries(7):
        page = client.get(reverse("procurement:statement_list"))
    assert "33 relevés" in page.content.decode()
    # session, user, memberships, notifications, then the work items and the overview (tests/accounts/
    # test_dashboard_work.py counts them exactly)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("accounts:dashboard")).status_code == 200
