import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from procurement import services
from procurement.enums import Modality
from tests.procurement.factories import HoursSourceFactory, HoursStatementFactory, contract_in_progress_for


@pytest.fixture
def delivered(company_org, buyer_org, facilitator, facilitator_org):
    """A contract of buyer_org awarded to company_org, with 3 validated months, an SIAE source and a pending one."""
    contract, source = contract_in_progress_for(
        company_org, contract__buyer=buyer_org, contract__ends_on=datetime.date(2024, 12, 31)
    )
    siae_source = HoursSourceFactory(
        contract=contract, company=company_org, modality=Modality.ETTI, label="=HYPERLINK()"
    )
    statements = [
        HoursStatementFactory(source=source, month=datetime.date(2024, m, 1), hours=Decimal("100")) for m in (1, 2, 3)
    ]
    statements.append(HoursStatementFactory(source=siae_source, month=datetime.date(2024, 3, 1), hours=Decimal("50")))
    for statement in statements:
        services.validate_statement(statement=statement, actor=facilitator, organisation=facilitator_org)
    HoursStatementFactory(source=source, month=datetime.date(2024, 4, 1), hours=Decimal("80"))
    return contract


def test_progress_api(api_as, buyer, delivered, django_assert_num_queries):
    client = api_as(buyer)
    with django_assert_num_queries(7):
        body = client.get(f"/api/v1/contracts/{delivered.pk}/progress/").json()
    assert (body["hours_due"], body["hours_declared"], body["hours_validated"], body["hours_pending"]) == (
        833,
        430.0,
        350.0,
        80.0,
    )
    assert body["by_modality"]["etti"] == {"declared": 50.0, "validated": 50.0}
    assert body["by_month"][2] == {
        "month": "2024-03-01",
        "declared": 150.0,
        "validated": 150.0,
        "cumulative_validated": 350.0,
    }
    assert body["siae_hours"] == 50.0 and body["siae_share"] == 14.3
    assert body["fte"] == 0.22 and body["fte_divisor"] == 1607
    # The contract ended: no more months to go, 350 < 833 h.
    assert body["status"] == "late"


def test_progress_page_chart_and_export(client_as, buyer, delivered, django_assert_num_queries):
    client = client_as(buyer)
    # session, user, memberships, contract with buyer, clause settings, progress by modality and month, SIAE
    # turnover, unread notifications, awards with companies, SIAE orders, sources, their latest statements, history,
    # the last shortfall forecast
    with django_assert_num_queries(14):
        page = client.get(reverse("procurement:contract_detail", args=[delivered.pk])).content.decode()
    assert "En retard" in page and "graphique.svg" in page
    chart = client.get(reverse("procurement:contract_chart", args=[delivered.pk]))
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("procurement:contract_export", args=[delivered.pk])).content)
    )
    assert workbook.sheetnames == ["Bilan et projection", "Par modalité", "Par mois", "Graphique"]
    assert len(workbook["Graphique"]._images) == 1


def test_chart_draws_a_single_validated_month(client_as, buyer, buyer_org, company_org, facilitator, facilitator_org):
    """One month of validated hours is a visible step (zero since notification, then the month's hours held
    through the month), not a lone point that draws nothing."""
    contract, source = contract_in_progress_for(company_org, contract__buyer=buyer_org)
    statement = HoursStatementFactory(source=source, month=datetime.date(2024, 3, 1), hours=Decimal("120"))
    services.validate_statement(statement=statement, actor=facilitator, organisation=facilitator_org)
    svg = client_as(buyer).get(reverse("procurement:contract_chart", args=[contract.pk])).content.decode()
    path = re.search(r'<g id="validated-hours">\s*<path d="([^"]+)"', svg)[1]
    points = [tuple(map(float, xy.split())) for xy in re.findall(r"[ML] ([\d.]+ [\d.]+)", path)]
    top = min(y for _, y in points)  # SVG's y axis points down
    assert len({y for _, y in points}) == 2
    assert max(x for x, y in points if y == top) > min(x for x, y in points if y == top)


def test_progress_tables_write_hours_alike_on_every_database(
    client_as, buyer, buyer_org, company_org, facilitator, facilitator_org
):
    contract, source = contract_in_progress_for(company_org, contract__buyer=buyer_org)
    for month, hours in [(3, "100"), (4, "7.5")]:
        statement = HoursStatementFactory(source=source, month=datetime.date(2024, month, 1), hours=Decimal(hours))
        services.validate_statement(statement=statement, actor=facilitator, organisation=facilitator_org)
    page = client_as(buyer).get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    assert "<td>03/2024</td><td>100</td><td>100</td><td>100</td>" in page
    assert "<td>04/2024</td><td>7,50</td><td>7,50</td><td>107,50</td>" in page
    assert "<td>Embauche directe</td><td>107,50</td><td>107,50</td>" in page
    # The headline keeps the half hour too (it read 108 h above a table of 107,50).
    assert 'id="declared-hours">107,5 h</p>' in page and 'id="validated-hours">107,5 h (' in page


def test_summary_api(api_as, facilitator, other_buyer, delivered, django_assert_num_queries):
    client = api_as(facilitator)
    # token with user, memberships, contracts, validated hours by contract, company and modality, clause settings,
    # waiting hours, awards by company, SIAE orders by SIAE
    with django_assert_num_queries(8):
        body = client.get("/api/v1/reports/summary/", {"from": "2024-01-01", "to": "2024-12-31"}).json()
    assert (body["operations"], body["hours_negotiated"], body["hours_validated"], body["hours_pending"]) == (
        1,
        833,
        350.0,
        80.0,
    )
    assert body["siae_hours"] == 50.0
    assert api_as(other_buyer).get("/api/v1/reports/summary/", {"from": "2024-01-01"}).json()["operations"] == 0
    bad = client.get("/api/v1/reports/summary/", {"from": "2024-13-01", "to": "2023-01-01"})
    assert bad.status_code == 400 and set(bad.json()) == {"from"}


@pytest.mark.parametrize("user", ["company_user", "prescriber"])
def test_summary_refused_to_other_roles(api_as, request, user):
    assert api_as(request.getfixturevalue(user)).get("/api/v1/reports/summary/").status_code == 403


def test_dashboard_exports_neutralise_formulas(
    client_as, facilitator, company_org, delivered, django_assert_num_queries
):
    client = client_as(facilitator)
    period = {"du": "2024-01-01", "au": "2024-12-31"}
    # session, user, memberships, contracts, validated hours by contract, company and modality, clause settings,
    # waiting hours, awards by company, SIAE orders by SIAE, placements, company names, validated hours by month,
    # outcomes, forecasts, hours by contract, contracts ending, the information sessions held (sessions, people
    # presented and hired, redirections by where to and by outcome: reporting.recruitment), unread notifications
    with django_assert_num_queries(21):
        page = client.get(reverse("reporting:report_dashboard"), period).content.decode()
    assert "Par donneur d&#x27;ordre" in page and "Ville de Paris (test)" in page
    csv = client.get(reverse("reporting:report_dashboard"), {**period, "export": "csv", "tableau": "modalites"})
    assert csv.content.decode("utf-8-sig").splitlines()[0] == "Modalité;Heures réalisées;Part des heures réalisées"
    company_org.name = "=Bâtiment Durable"
    company_org.save()
    company = client.get(reverse("reporting:report_dashboard"), {**period, "export": "csv", "tableau": "entreprises"})
    # Hours negotiated 833, validated 350, their ratio beside them (350 / 833 = 0.4202), with French decimal commas.
    assert "\n'=Bâtiment Durable;1;833;350,0;0,4201" in company.content.decode("utf-8-sig")
    annual = openpyxl.load_workbook(io.BytesIO(client.get(reverse("reporting:annual_report", args=[2024])).content))
    assert annual.sheetnames[:3] == ["Synthèse", "Par donneur d'ordre", "Par secteur"]


def test_formula_cells_are_quoted():
    from common.exports import Table, neutralise, to_csv

    assert [neutralise(v) for v in ("=1+1", "+33", "-2", "@SUM", "Paris", -2)] == [
        "'=1+1",
        "'+33",
        "'-2",
        "'@SUM",
        "Paris",
        -2,
    ]
    assert "'=HYPERLINK()" in to_csv(Table("t", "T", ["Libellé"], [["=HYPERLINK()"]])).decode("utf-8-sig")


def test_buyer_sees_own_figures_only_and_no_annual_report(client_as, other_buyer, buyer, delivered):
    page = client_as(other_buyer).get(reverse("reporting:report_dashboard"), {"du": "2024-01-01"}).content.decode()
    assert "Ville de Paris (test)" not in page
    assert client_as(buyer).get(reverse("reporting:annual_report", args=[2024])).status_code == 403
