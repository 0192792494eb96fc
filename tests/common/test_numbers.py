"""Numbers in French everywhere a person reads them: pages (1 234,5 ; 35 h, not 35,0 h nor 108.00), CSV
(decimal commas) and XLSX (numbers kept as numbers, with a number format a French spreadsheet shows as 1 234,5)."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from common.exports import Table, to_csv, to_xlsx
from common.formats import number
from tests.marketplace.factories import PositionFactory
from tests.procurement.factories import ContractFactory, HoursSourceFactory, HoursStatementFactory

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (1234.5, f"1{NBSP}234,5"),
        (Decimal("108.00"), "108"),
        (Decimal("0.5000"), "0,5"),
        (Decimal("35.0"), "35"),
        (1722000, f"1{NBSP}722{NBSP}000"),
        (Decimal("-1234.567"), f"-1{NBSP}234,57"),
        (999, "999"),
        (0, "0"),
        ("Clos", "Clos"),
        (None, None),
    ],
)
def test_a_number_is_written_the_french_way(value, written):
    assert number(value) == written


@pytest.mark.django_db
def test_pages_show_french_numbers(client_as, company_user, company_org, facilitator, buyer_org):
    contract = ContractFactory(buyer=buyer_org, in_progress=True, clause_hours=1435)
    position = PositionFactory(company=company_org, contract=contract, weekly_hours=Decimal("35.0"))
    source = HoursSourceFactory(contract=contract, company=company_org)
    HoursStatementFactory(source=source, month=datetime.date(2024, 3, 1), hours=Decimal("108.00"))

    offer = client_as(company_user).get(reverse("marketplace:position_detail", args=[position.pk])).content.decode()
    assert "35 h par semaine" in offer and "35,0" not in offer

    client = client_as(facilitator)
    contracts = client.get(reverse("procurement:contract_list")).content.decode()
    assert f"1{NBSP}435 h" in contracts and "1435 h" not in contracts
    statements = client.get(reverse("procurement:statement_list")).content.decode()
    assert "<td>108</td>" in statements and "108,00" not in statements and "108.00" not in statements


def test_csv_writes_decimal_commas_and_xlsx_keeps_numbers_with_a_french_display():
    table = Table("t", "Heures", ["Mois", "Heures", "Montant"], [["03/2024", Decimal("108.50"), 1722000]])

    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["03/2024", "108,5", "1722000"]

    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx([table]))).active
    hours, amount = sheet["B2"], sheet["C2"]
    assert (hours.value, hours.number_format) == (108.5, "#,##0.00")
    assert (amount.value, amount.number_format) == (1722000, "#,##0")


@pytest.mark.django_db
def test_reference_values_show_without_trailing_zeros(client_as, facilitator):
    page = client_as(facilitator).get(reverse("procurement:clause_settings")).content.decode()

    # Rates in percent, as everywhere (building: 50 % of labour, 5 % of insertion).
    assert 'value="50"' in page and 'value="5"' in page
    assert 'value="50.00"' not in page and 'value="0.5000"' not in page and 'value="30.00"' not in page
