"""The contract page's hours as a month × source table: the last 12 months first, the older ones on demand,
corrections offered to the company on its validated months only, and a fixed number of queries."""

import datetime
import re
from decimal import Decimal

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from procurement.enums import StatementState
from tests.procurement.factories import AwardFactory, HoursSourceFactory, HoursStatementFactory

pytestmark = pytest.mark.django_db


def months_back(count):
    month = timezone.localdate().replace(day=1)
    for _ in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def contract_with_sources(buyer_org, company_org, other_company, sources):
    """A three-year contract, two years in, ``sources`` sources of ``company_org`` and one of ``other_company``,
    each with validated hours on each of its 24 past months."""
    award = AwardFactory(company=company_org, contract__buyer=buyer_org, contract__in_progress=True)
    contract = award.contract
    contract.notified_on = months_back(24)
    contract.ends_on = months_back(-12)
    contract.save(update_fields=["notified_on", "ends_on"])
    AwardFactory(contract=contract, company=other_company)
    own = [HoursSourceFactory(contract=contract, company=company_org, label=f"Salarié {n:02d}") for n in range(sources)]
    other = HoursSourceFactory(contract=contract, company=other_company, label="Salarié de l'autre entreprise")
    for source in [*own, other]:
        HoursStatementFactory.create_batch(
            24,
            source=source,
            month=factory.Iterator([months_back(n) for n in range(1, 25)]),
            state=StatementState.VALIDATED,
        )
    return contract, own, other


def cells(page, source_label):
    """The cells of a source's row in the first table (recent months)."""
    row = re.search(rf"<tr><th scope=\"row\">{re.escape(source_label)}.*?</tr>", page, re.S).group(0)
    return re.findall(r"<td>(.*?)</td>", row, re.S)


def test_the_last_12_months_come_first_and_the_others_on_demand(
    client_as, company_user, buyer, buyer_org, company_org, other_company_org
):
    contract, own, other = contract_with_sources(buyer_org, company_org, other_company_org, sources=2)
    first = own[0]
    # This month: 35,5 h waiting for the facilitator, and a refusal on the second source.
    HoursStatementFactory(
        source=own[1], month=timezone.localdate().replace(day=1), state=StatementState.REJECTED, reason="Illisible"
    )
    validated = first.statements.get(month=months_back(3))
    HoursStatementFactory(
        source=first, month=months_back(3), hours=Decimal("-20"), adjusts=validated, state=StatementState.VALIDATED
    )
    HoursStatementFactory(source=first, month=timezone.localdate().replace(day=1), hours=Decimal("35.5"))
    url = reverse("procurement:contract_detail", args=[contract.pk])

    page = client_as(company_user).get(url).content.decode().replace("\xa0", " ").replace("\u202f", " ")

    heads = re.findall(r'<th scope="col">(\d\d/\d{4})</th>', page)
    # This month first, then back; the 25th month (the notification's) in the second table.
    assert heads[:12] == [months_back(n).strftime("%m/%Y") for n in range(12)]
    assert heads[12:] == [months_back(n).strftime("%m/%Y") for n in range(12, 25)]
    assert "Mois précédents (13 mois" in page
    row = cells(page, "Salarié 00")
    assert row[0].startswith("35,5 h") and "à valider" in row[0]
    # Corrected: 120 − 20 h, still offered for correction (the original statement).
    assert row[3].startswith(f'<a href="/marches/heures/declarer/{first.pk}/?corrige={validated.pk}">100 h')
    assert "corrigé" in row[3]
    assert row[-1] == "2 860 h"  # 24 × 120 − 20
    assert "refusé" in cells(page, "Salarié 01")[0]
    # Its own sources only, each with its « Déclarer » link.
    assert "Salarié de l&#x27;autre entreprise" not in page
    assert page.count("?corrige=") == 2 * 24

    buyer_page = client_as(buyer).get(url).content.decode()
    assert "Salarié de l&#x27;autre entreprise" in buyer_page
    assert "?corrige=" not in buyer_page and "/marches/heures/declarer/" not in buyer_page


@pytest.mark.parametrize("sources", [3, 30])
def test_the_contract_page_runs_the_same_queries_whatever_its_size(
    client_as, buyer, buyer_org, company_org, other_company_org, sources, django_assert_num_queries
):
    contract, _, _ = contract_with_sources(buyer_org, company_org, other_company_org, sources=sources)
    client = client_as(buyer)
    url = reverse("procurement:contract_detail", args=[contract.pk])
    client.get(url)
    # session, user, memberships; contract; the table's sources and statements; progress: reference settings,
    # statements grouped, SIAE turnover; its shortfall forecast; unread notifications (header); awards, SIAE orders,
    # transitions
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200
