"""A contract falling behind, month after month, on a moving clock: the monthly check (queued by the command the
production crontab runs, run by the worker) tells its buyer, the companies holding it and the facilitator once a
month while its projection misses more than 10 % of its hours, nothing while it is back in line, and the
penalty shows at closing on the contract page, its export, the API and the buyer's report."""

import datetime
import io
from collections import Counter
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from notifications.models import Notification
from procurement import services
from procurement.enums import AwardRole, ContractState, OrderKind
from procurement.models import Contract, ContractForecast
from tests.clock import PARIS, moment
from tests.procurement.factories import pdf_upload
from tests.queue import run_queued_jobs


def monthly_check(clock, day):
    """What the crontab does on ``day``: queue the check, then the worker runs it (and sends the emails)."""
    clock.move_to(moment(day, 6))
    call_command("check_shortfalls", "--background", stdout=io.StringIO())
    run_queued_jobs()


@pytest.fixture
def story(
    clock, buyer, buyer_org, company_org, company_user, other_company_org, other_company_user, facilitator,
    facilitator_org, siae_org, other_buyer, prescriber,
):  # fmt: skip
    """A contract of 1,200 h over 2025 (20 € per missing hour), held by company_org with other_company_org as
    co-contractor, whose hours come from company_org's order to an SIAE."""
    contract = Contract(
        reference="2025-VDP-RETARD",
        title="Nettoyage des écoles du 19e",
        sector="cleaning",
        amount_excl_vat=Decimal("900000"),
        hours_entered=1200,
        notified_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        penalty_per_missing_hour=Decimal("20"),
    )
    contract = services.save_contract(contract=contract, actor=buyer, organisation=buyer_org)
    services.transition_contract(contract=contract, to=ContractState.SUBMITTED, actor=buyer, organisation=buyer_org)
    services.transition_contract(
        contract=contract, to=ContractState.CONFIRMED, actor=facilitator, organisation=facilitator_org
    )
    services.award_contract(
        contract=contract,
        awards=[
            {"siret": company_org.siret, "role": AwardRole.HOLDER, "hours_share": 800},
            {"siret": other_company_org.siret, "role": AwardRole.CO_CONTRACTOR, "hours_share": 400},
        ],
        actor=buyer,
        organisation=buyer_org,
    )
    contract = services.transition_contract(
        contract=contract, to=ContractState.IN_PROGRESS, actor=buyer, organisation=buyer_org
    )
    order = services.create_siae_order(
        contract=contract,
        siae=siae_org,
        kind=OrderKind.SUBCONTRACTING,
        amount_excl_vat=Decimal("36000"),
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        hours=1200,
        actor=company_user,
        organisation=company_org,
    )
    return {
        "contract": contract,
        "source": order.source,
        "company_user": company_user,
        "facilitator": facilitator,
        "facilitator_org": facilitator_org,
    }


def deliver(clock, story, month, hours):
    """The company declares a month's hours early the next month; the facilitator validates them."""
    clock.move_to(moment(datetime.date(month.year + month.month // 12, month.month % 12 + 1, 5)))
    statement = services.declare_hours(
        source=story["source"],
        month=month,
        hours=Decimal(hours),
        proof=pdf_upload(),
        proof_kind="invoice",
        actor=story["company_user"],
        organisation=story["source"].company,
    )
    services.validate_statement(statement=statement, actor=story["facilitator"], organisation=story["facilitator_org"])


def alerts():
    """(recipient name, day) of every shortfall notification, oldest first."""
    return [
        (n.recipient.name, n.created_at.astimezone(PARIS).date())
        for n in Notification.objects.filter(text__contains="risque").select_related("recipient").order_by("pk")
    ]


def month(year, number):
    return datetime.date(year, number, 1)


def test_alerts_once_a_month_while_behind_never_after_recovery_and_the_penalty_at_closing(
    clock,
    story,
    client_as,
    buyer,
    buyer_org,
    company_org,
    other_company_org,
    facilitator_org,
    settings,
    other_buyer,
    prescriber,
):
    assert settings.SHORTFALL_ALERT_PERCENT == 10 and settings.SHORTFALL_GRACE_MONTHS == 3
    contract = story["contract"]
    parties = [buyer_org.name, company_org.name, other_company_org.name, facilitator_org.name]

    deliver(clock, story, month(2025, 1), 100)
    deliver(clock, story, month(2025, 2), 50)
    # 15 March: 150 h over January and February, 75 h a month, 10 months left: 150 + 750 = 900 h projected, 300 h
    # (25 %) short; but the contract has run 2 months only, less than the 3 the pace needs: no alert.
    monthly_check(clock, datetime.date(2025, 3, 15))
    forecast = ContractForecast.objects.get()
    assert (forecast.hours_projected, forecast.hours_at_risk, forecast.at_risk) == (900, 300, False)
    assert alerts() == []

    deliver(clock, story, month(2025, 3), 40)
    # 15 April (3 months run: the boundary): 190 h over 3 months, 9 left: 190 + 190 / 3 × 9 = 760 h; 440 h at risk
    # (36.7 %), 440 × 20 € = 8,800 € at stake. The buyer, both companies and the facilitator are told.
    monthly_check(clock, datetime.date(2025, 4, 15))
    april = datetime.date(2025, 4, 15)
    assert sorted(alerts()) == sorted((name, april) for name in parties)
    forecast.refresh_from_db()
    assert (forecast.hours_projected, forecast.hours_at_risk, forecast.penalty_at_stake) == (760, 440, 8800)
    assert (forecast.at_risk, forecast.at_risk_since, forecast.alerted_month) == (True, april, month(2025, 4))
    alert = Notification.objects.get(recipient=buyer_org)
    assert alert.text == "Marché 2025-VDP-RETARD : 37 % des heures d'insertion à risque au rythme actuel."
    assert alert.link == reverse("procurement:contract_detail", args=[contract.pk])
    assert "Projection au 31/12/2025, date de fin, au rythme actuel : 760 h." in alert.details
    assert "Heures à risque : 440 h (36,7 %)." in alert.details
    assert "Pénalité en jeu : 8\xa0800 € (20 € par heure manquante)." in alert.details
    # The facilitator also heard of each month's declared hours; the digest is the one pointing to the list.
    digest = Notification.objects.get(recipient=facilitator_org, link=reverse("procurement:contracts_at_risk"))
    assert digest.text == "1 marché à risque de ne pas atteindre ses heures d'insertion ce mois-ci."
    assert "2025-VDP-RETARD (Ville de Paris (test)) : 440 h à risque sur 1\xa0200 h dues" in digest.details
    # Each member of those got the email; the other buyer and the prescriber nothing.
    emails = [m for m in mail.outbox if "risque" in m.subject]
    assert Counter(len(m.to) for m in emails) == Counter({1: 4})
    assert {address for m in emails for address in m.to} == {
        buyer.email,
        story["company_user"].email,
        other_company_org.memberships.get().user.email,
        story["facilitator"].email,
    }

    # A second run in the same month (a crontab run twice, a retried job) tells nobody again.
    monthly_check(clock, datetime.date(2025, 4, 20))
    assert len(alerts()) == 4

    # Nothing for April. 15 May: 190 h over 4 months, 8 left: 190 + 47.5 × 8 = 570 h, 630 h at risk: told again.
    monthly_check(clock, datetime.date(2025, 5, 15))
    may = datetime.date(2025, 5, 15)
    assert sorted(alerts()[4:]) == sorted((name, may) for name in parties)
    forecast.refresh_from_db()
    assert (forecast.hours_at_risk, forecast.at_risk_since) == (630, april)

    # The company catches up: 260 h for May. 15 June: 450 h over 5 months, 7 left: 450 + 90 × 7 = 1,080 h, 120 h
    # short: exactly 10 %, not more. No longer at risk; nobody hears anything.
    deliver(clock, story, month(2025, 5), 260)
    monthly_check(clock, datetime.date(2025, 6, 15))
    forecast.refresh_from_db()
    assert (forecast.hours_projected, forecast.hours_at_risk, forecast.at_risk) == (1080, 120, False)
    assert forecast.at_risk_since is None
    assert len(alerts()) == 8
    assert ContractForecast.objects.at_risk().count() == 0

    # 650 h by June, 800 by August, on track; then nothing in September. 15 October: 800 h over 9 months, 3 left:
    # 800 + 800 / 9 × 3 = 1,066.67 → 1,067 h, 133 h short (11.1 %): at risk again, told again.
    deliver(clock, story, month(2025, 6), 200)
    monthly_check(clock, datetime.date(2025, 7, 15))
    deliver(clock, story, month(2025, 7), 100)
    deliver(clock, story, month(2025, 8), 50)
    monthly_check(clock, datetime.date(2025, 9, 15))
    assert len(alerts()) == 8
    monthly_check(clock, datetime.date(2025, 10, 15))
    october = datetime.date(2025, 10, 15)
    assert sorted(alerts()[8:]) == sorted((name, october) for name in parties)
    forecast.refresh_from_db()
    assert (forecast.hours_projected, forecast.hours_at_risk, forecast.at_risk_since) == (1067, 133, october)

    # The facilitator's list, and each party's own: the contract, with its figures; not the others'.
    for user in (story["facilitator"], buyer, story["company_user"]):
        page = client_as(user).get(reverse("procurement:contracts_at_risk")).content.decode()
        assert "2025-VDP-RETARD" in page and "133 h (11,1 %)" in page and "2\xa0660 €" in page
    for user in (other_buyer, prescriber):
        page = client_as(user).get(reverse("procurement:contracts_at_risk")).content.decode()
        assert "2025-VDP-RETARD" not in page and "Aucun marché à risque" in page

    # Closed in January 2026 with 800 h of 1,200: 400 h missing, 400 × 20 € = 8,000 € of penalty.
    clock.move_to(moment(datetime.date(2026, 1, 20)))
    services.transition_contract(contract=contract, to=ContractState.CLOSED, actor=buyer, organisation=buyer_org)
    monthly_check(clock, datetime.date(2026, 2, 15))
    assert len(alerts()) == 12  # a closed contract is no longer checked
    assert ContractForecast.objects.at_risk().count() == 0

    client = client_as(buyer)
    page = client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    closing = page[page.index('id="closing"') :]
    assert "Heures dues : 1\xa0200 h · validées : 800 h · manquantes : 400 h" in closing
    assert "pénalité : <strong>8\xa0000 €</strong> (20 € par heure manquante)" in closing

    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("procurement:contract_export", args=[contract.pk])).content)
    )["Bilan à la clôture"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        ["Heures d'insertion dues", 1200],
        ["Heures validées", 800],
        ["Heures manquantes", 400],
        ["Pénalité par heure manquante (€)", 20],
        ["Pénalité due (€)", 8000],
    ]

    body = client.get(f"/api/v1/contracts/{contract.pk}/progress/").json()
    assert (body["hours_missing"], body["penalty_per_missing_hour"], body["penalty"]) == (400, 20, 8000)

    report = client.get(reverse("reporting:report_dashboard"), {"from": "2025-01-01", "to": "2025-12-31"})
    closed = report.content.decode().split('id="marches-clos"')[1].split("</table>")[0].replace("\n", "")
    assert (
        "<td>2025-VDP-RETARD</td><td>Ville de Paris (test)</td><td>31/12/2025</td><td>1\xa0200</td><td>800</td>"
        "<td>400</td><td>20 €</td><td>8\xa0000 €</td>"
    ) in closed
    workbook = client.get(reverse("reporting:report_dashboard"), {"from": "2025-01-01", "export": "xlsx"})
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(io.BytesIO(workbook.content))["Marchés clos"]]
    assert rows[1] == ["2025-VDP-RETARD", "Ville de Paris (test)", "31/12/2025", 1200, 800, 400, 20, 8000]
