"""Every hour figure must be physically possible: each rule of ``procurement.rules`` driven through the API and
the page, each refusal with its French message and, next to it, the accepted boundary case (a cap that refused
everything would fail these tests)."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from audit.enums import AuditAction
from audit.models import AuditEvent
from procurement.enums import ContractState, Modality, StatementState
from procurement.models import ClauseSettings, HoursStatement, ValidatedHours
from tests.procurement.factories import (
    AwardFactory,
    HoursSourceFactory,
    HoursStatementFactory,
    pdf_upload,
)

URL = "/api/v1/hours/"
MARCH_2025_CAP = "129,3 h au plus pour mars 2025 : 28 h par semaine, 21 jours ouvrés, 10\xa0% d'heures en plus tolérées"


def declare(client, source, **extra):
    data = {"source": source.pk, "month": "2025-03-15", "hours": "120", "proof_kind": "payslip", "proof": pdf_upload()}
    return client.post(URL, {**data, **extra}, format="multipart")


def declare_on_page(client, source, **extra):
    data = {"month": "2025-03", "hours": "120", "proof_kind": "payslip", "proof": pdf_upload()}
    return client.post(reverse("procurement:declare_hours", args=[source.pk]), {**data, **extra})


def page_errors(response):
    return unescape(response.content.decode())


@pytest.fixture
def contract(company_org):
    return AwardFactory(
        company=company_org, contract__in_progress=True, contract__ends_on=datetime.date(2030, 12, 31)
    ).contract


@pytest.fixture
def placement_source(contract, company_org):
    """What a validated 28 h a week placement from Monday 6 January 2025 (no end) opens in the ledger."""
    return HoursSourceFactory(
        contract=contract, company=company_org, starts_on=datetime.date(2025, 1, 6), weekly_hours=Decimal("28")
    )


# --- A placement's month: its weekly hours × working days ÷ 5, plus the tolerance ---------------------------


def test_api_refuses_more_than_the_placement_allows_and_accepts_the_cap(api_as, company_user, placement_source):
    client = api_as(company_user)
    response = declare(client, placement_source, hours="129.4")
    assert response.status_code == 400
    assert response.json() == {"hours": [f"{MARCH_2025_CAP} ; 129,4 h déclarées pour ce mois."]}
    response = declare(client, placement_source, hours="129.3")
    assert response.status_code == 201, response.json()
    assert response.json()["limit_note"] == MARCH_2025_CAP


def test_page_refuses_more_than_the_placement_allows_and_accepts_the_cap(client_as, company_user, placement_source):
    client = client_as(company_user)
    response = declare_on_page(client, placement_source, hours="900")
    assert response.status_code == 200
    assert f"{MARCH_2025_CAP} ; 900 h déclarées pour ce mois." in page_errors(response)
    assert not HoursStatement.objects.exists()
    assert declare_on_page(client, placement_source, hours="129.3").status_code == 302


def test_a_correction_counts_with_the_month_it_corrects(api_as, company_user, facilitator, placement_source):
    client = api_as(company_user)
    first = declare(client, placement_source, hours="120").json()["id"]
    api_as(facilitator).post(f"{URL}{first}/validate/")
    response = declare(client, placement_source, hours="10", adjusts=first)
    assert response.json() == {"hours": [f"{MARCH_2025_CAP} ; 130 h déclarées pour ce mois."]}
    assert declare(client, placement_source, hours="9.3", adjusts=first).status_code == 201
    # Nor may a correction take away more than the month holds.
    response = declare(client, placement_source, hours="-200", adjusts=first)
    assert "il en resterait -70,7 h pour mars 2025" in response.json()["hours"][0]


def test_the_tolerance_is_a_setting(api_as, company_user, placement_source):
    settings_row = ClauseSettings.current()
    settings_row.overtime_tolerance_percent = Decimal("0")
    settings_row.save()
    response = declare(api_as(company_user), placement_source, hours="117.7")
    assert response.json() == {
        "hours": [
            "117,6 h au plus pour mars 2025 : 28 h par semaine, 21 jours ouvrés ; 117,7 h déclarées pour ce mois."
        ]
    }
    assert declare(api_as(company_user), placement_source, hours="117.6").status_code == 201


def test_never_more_than_48_hours_a_week(api_as, company_user, contract, company_org):
    source = HoursSourceFactory(
        contract=contract, company=company_org, starts_on=datetime.date(2025, 1, 6), weekly_hours=Decimal("45")
    )
    # 45 h × 1.10 = 49.5 h a week, held to 48 h: 48 × 21 ÷ 5 = 201.6 h in March 2025.
    response = declare(api_as(company_user), source, hours="201.7")
    assert response.json()["hours"][0].startswith(
        "201,6 h au plus pour mars 2025 : 45 h par semaine, 21 jours ouvrés, 10\xa0% d'heures en plus tolérées, "
        "plafonné à 48 h par semaine (durée maximale légale)"
    )
    assert declare(api_as(company_user), source, hours="201.6").status_code == 201


def test_only_months_within_the_placement(api_as, company_user, contract, company_org):
    source = HoursSourceFactory(
        contract=contract,
        company=company_org,
        starts_on=datetime.date(2025, 1, 6),
        ends_on=datetime.date(2025, 3, 7),
        weekly_hours=Decimal("35"),
    )
    client = api_as(company_user)
    assert declare(client, source, month="2024-12-01", hours="10").json() == {
        "month": ["La mise à l'emploi court du 06/01/2025 au 07/03/2025 : aucune heure pour décembre 2024."]
    }
    assert declare(client, source, month="2025-04-01", hours="10").json() == {
        "month": ["La mise à l'emploi court du 06/01/2025 au 07/03/2025 : aucune heure pour avril 2025."]
    }
    # The first and last months count, for their working days within the placement only.
    assert declare(client, source, month="2025-01-01", hours="154").status_code == 201  # 35 × 1.1 × 20 ÷ 5
    response = declare(client, source, month="2025-03-01", hours="39")  # 5 working days: 38.5 h at most
    assert response.json()["hours"][0].startswith("38,5 h au plus pour mars 2025 : 35 h par semaine, 5 jours ouvrés")
    assert declare(client, source, month="2025-03-01", hours="38.5").status_code == 201


def test_never_a_future_month(api_as, company_user, placement_source):
    today = datetime.date.today()
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    response = declare(api_as(company_user), placement_source, month=next_month.isoformat(), hours="10")
    assert response.status_code == 400
    assert response.json()["month"][0].startswith("On ne déclare pas les heures d'un mois à venir")
    assert declare(api_as(company_user), placement_source, month=today.isoformat(), hours="10").status_code == 201


# --- The contract: its months, its state, its modalities ---------------------------------------------------


def test_only_months_between_notification_and_end(api_as, company_user, company_org):
    contract = AwardFactory(
        company=company_org,
        contract__in_progress=True,
        contract__notified_on=datetime.date(2025, 2, 10),
        contract__ends_on=datetime.date(2025, 5, 31),
    ).contract
    source = HoursSourceFactory(contract=contract, company=company_org)
    client = api_as(company_user)
    message = "Le marché s'exécute du 10/02/2025 au 31/05/2025 : aucune heure pour {}."
    assert declare(client, source, month="2025-01-01").json() == {"month": [message.format("janvier 2025")]}
    assert declare(client, source, month="2025-06-01").json() == {"month": [message.format("juin 2025")]}
    assert declare(client, source, month="2025-02-01").status_code == 201
    assert declare(client, source, month="2025-05-01").status_code == 201


def test_without_notification_date_hours_count_from_the_start_of_execution(
    api_as, company_user, buyer, buyer_org, company_org
):
    contract = AwardFactory(
        company=company_org,
        contract__buyer=buyer_org,
        contract__state=ContractState.AWARDED,
        contract__notified_on=None,
    ).contract
    source = HoursSourceFactory(contract=contract, company=company_org)
    client = api_as(company_user)
    this_month = datetime.date.today().replace(day=1)
    response = declare(client, source, month=this_month.isoformat())
    assert "ni date de notification ni début d'exécution" in response.json()["month"][0]
    api_as(buyer).post(f"/api/v1/contracts/{contract.pk}/transition/", {"to": "in_progress"}, format="json")
    contract.refresh_from_db()
    assert contract.execution_started_on == datetime.date.today()
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    assert declare(client, source, month=last_month.isoformat()).status_code == 400
    assert declare(client, source, month=this_month.isoformat(), hours="10").status_code == 201


def test_a_source_whose_modality_the_contract_does_not_allow_takes_no_hours(api_as, company_user, company_org):
    contract = AwardFactory(
        company=company_org, contract__in_progress=True, contract__allowed_modalities=[Modality.DIRECT_HIRE]
    ).contract
    refused = HoursSourceFactory(contract=contract, company=company_org, modality=Modality.TRAINING)
    accepted = HoursSourceFactory(contract=contract, company=company_org, modality=Modality.DIRECT_HIRE)
    assert declare(api_as(company_user), refused).json() == {
        "source": [
            "Le marché n'autorise pas la modalité « Formation préalable à l'embauche » "
            "(modalités autorisées : Embauche directe)."
        ]
    }
    assert declare(api_as(company_user), accepted).status_code == 201


def test_an_siae_order_needs_an_allowed_modality_and_a_period_within_the_contract(
    api_as, company_user, company_org, siae_org
):
    contract = AwardFactory(
        company=company_org,
        contract__in_progress=True,
        contract__ends_on=datetime.date(2026, 12, 31),
        contract__allowed_modalities=[Modality.DIRECT_HIRE, Modality.SIAE_SUBCONTRACTING],
    ).contract
    client = api_as(company_user)
    order = {
        "contract": contract.pk,
        "siae": siae_org.pk,
        "kind": "staff_provision",
        "amount_excl_vat": "12000",
        "starts_on": "2025-01-01",
        "ends_on": "2025-06-30",
    }
    response = client.post("/api/v1/siae-orders/", order, format="json")
    assert response.status_code == 400
    assert response.json()["contract"][0].startswith("Le marché n'autorise pas la modalité « Mise à disposition")
    response = client.post("/api/v1/siae-orders/", {**order, "starts_on": "2027-01-01", "ends_on": "2027-06-30"})
    assert response.json()["contract"] == [
        "Le marché n'autorise pas la modalité « Mise à disposition par une AI / un GEIQ » "
        "(modalités autorisées : Embauche directe, Sous-traitance / co-traitance avec une SIAE)."
    ]
    response = client.post(
        "/api/v1/siae-orders/", {**order, "kind": "subcontracting", "starts_on": "2027-01-01", "ends_on": "2027-06-30"}
    )
    assert response.json()["contract"] == [
        "La commande (du 01/01/2027 au 30/06/2027) tombe hors de l'exécution du marché (du 15/01/2024 au 31/12/2026)."
    ]
    response = client.post("/api/v1/siae-orders/", {**order, "kind": "subcontracting"}, format="json")
    assert response.status_code == 201, response.json()


def test_order_hours_within_its_period_and_over_its_plan_only_with_a_warning(
    api_as, client_as, company_user, facilitator, company_org, siae_org, contract
):
    client = api_as(company_user)
    order = client.post(
        "/api/v1/siae-orders/",
        {
            "contract": contract.pk,
            "siae": siae_org.pk,
            "kind": "subcontracting",
            "amount_excl_vat": "9000",
            "starts_on": "2025-02-01",
            "ends_on": "2025-03-31",
            "hours": 300,
        },
        format="json",
    ).json()
    source = contract.hours_sources.get(pk=order["source"])
    assert declare(client, source, month="2025-04-01").json() == {
        "month": ["La commande court du 01/02/2025 au 31/03/2025 : aucune heure pour avril 2025."]
    }
    assert declare(client, source, month="2025-02-01", hours="200").json()["warning"] == ""
    over = declare(client, source, month="2025-03-01", hours="150").json()
    assert over["warning"] == "Au-delà des heures prévues de la commande : 350 h déclarées pour 300 h prévues."
    # The facilitator sees it in the queue before validating.
    queue = page_errors(client_as(facilitator).get(reverse("procurement:statement_list")))
    assert "Au-delà des heures prévues de la commande : 350 h déclarées pour 300 h prévues." in queue
    assert "Commande du 01/02/2025 au 31/03/2025 : 300 h prévues, 200 h déclarées en tout avec celles-ci." in queue
    assert api_as(facilitator).post(f"{URL}{over['id']}/validate/").status_code == 200


# --- Validation checks again; closing freezes the ledger ----------------------------------------------------


def test_validation_checks_the_rules_again(client_as, api_as, company_user, facilitator, placement_source):
    statement = declare(api_as(company_user), placement_source, hours="125").json()
    settings_row = ClauseSettings.current()
    settings_row.overtime_tolerance_percent = Decimal("0")
    settings_row.save()
    response = client_as(facilitator).post(
        reverse("procurement:statement_validate", args=[statement["id"]]), follow=True
    )
    assert "117,6 h au plus pour mars 2025 : 28 h par semaine, 21 jours ouvrés ; 125 h déclarées pour ce mois." in (
        page_errors(response)
    )
    assert HoursStatement.objects.get().state == StatementState.DECLARED
    settings_row.overtime_tolerance_percent = Decimal("10")
    settings_row.save()
    client_as(facilitator).post(reverse("procurement:statement_validate", args=[statement["id"]]))
    assert HoursStatement.objects.get().state == StatementState.VALIDATED


def test_closing_waits_for_pending_statements_then_freezes_the_ledger(
    api_as, client_as, buyer, buyer_org, company_user, facilitator, company_org
):
    contract = AwardFactory(company=company_org, contract__buyer=buyer_org, contract__in_progress=True).contract
    source = HoursSourceFactory(contract=contract, company=company_org)
    company = api_as(company_user)
    pending = declare(company, source).json()["id"]
    response = api_as(buyer).post(f"/api/v1/contracts/{contract.pk}/transition/", {"to": "closed"}, format="json")
    assert response.json() == {
        "to": [
            "1 relevé d'heures attend encore la décision du facilitateur : validez-les ou refusez-les avant de clore "
            "le marché, dont les heures seront alors arrêtées."
        ]
    }
    api_as(facilitator).post(f"{URL}{pending}/validate/")
    response = api_as(buyer).post(f"/api/v1/contracts/{contract.pk}/transition/", {"to": "closed"}, format="json")
    assert response.json()["state"] == "closed"
    assert declare(company, source, month="2025-04-01").json() == {
        "source": ["Le marché est clos : ses heures sont arrêtées (seul le facilitateur peut encore les corriger)."]
    }
    assert declare(company, source, hours="-10", adjusts=pending).status_code == 400
    assert api_as(company_user).post(f"{URL}{pending}/correct/", {"hours": "-10", "reason": "x"}).status_code == 403


def test_the_facilitator_alone_corrects_a_closed_contract_with_a_reason(
    api_as, client_as, facilitator, company_org, buyer_org
):
    contract = AwardFactory(
        company=company_org, contract__buyer=buyer_org, contract__state=ContractState.CLOSED
    ).contract
    source = HoursSourceFactory(contract=contract, company=company_org)
    validated = HoursStatementFactory(source=source, state=StatementState.VALIDATED, hours=Decimal("120"))
    ValidatedHours.objects.create(
        contract=contract, company=company_org, modality=source.modality, month=validated.month, hours=120
    )
    client = client_as(facilitator)
    page = client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    assert reverse("procurement:statement_correct", args=[validated.pk]) in page
    url = reverse("procurement:statement_correct", args=[validated.pk])
    response = client.post(url, {"hours": "-20", "reason": ""})
    assert "Ce champ est obligatoire." in page_errors(response)
    response = client.post(url, {"hours": "-20", "reason": "Double comptage d'un bulletin de paie"})
    assert response.status_code == 302
    correction = HoursStatement.objects.get(adjusts=validated)
    assert (correction.state, correction.hours, correction.by_facilitator) == ("validated", -20, True)
    assert ValidatedHours.objects.get().hours == 100
    event = AuditEvent.objects.get(action=AuditAction.HOURS_CORRECTED)
    assert event.details["adjusts"] == validated.pk
    response = api_as(facilitator).post(f"{URL}{validated.pk}/correct/", {"hours": "5", "reason": "Oubli"})
    assert response.status_code == 200, response.json()
    assert ValidatedHours.objects.get().hours == 105
