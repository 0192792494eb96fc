import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from procurement.enums import StatementState
from procurement.models import HoursStatement, ValidatedHours
from tests.procurement.factories import (
    PDF_BYTES,
    ContractFactory,
    HoursSourceFactory,
    HoursStatementFactory,
    contract_in_progress_for,
    pdf_upload,
)
from tests.queue import run_queued_jobs

URL = "/api/v1/hours/"


@pytest.fixture
def source(company_org):
    return contract_in_progress_for(company_org)[1]


def declare(client, source, **extra):
    data = {"source": source.pk, "month": "2024-03-15", "hours": "120", "proof_kind": "payslip", "proof": pdf_upload()}
    return client.post(URL, {**data, **extra}, format="multipart")


def test_company_declares_then_facilitator_validates(api_as, company_user, facilitator, source):
    response = declare(api_as(company_user), source)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["month"], body["state"], body["modality"]) == ("2024-03-01", "declared", "direct_hire")
    response = api_as(facilitator).post(f"{URL}{body['id']}/validate/")
    assert response.json()["state"] == StatementState.VALIDATED
    total = ValidatedHours.objects.get()
    assert (total.hours, total.company_id, total.month) == (120, source.company_id, datetime.date(2024, 3, 1))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bulletin.pdf", b"MZ\x90\x00 not a pdf", "Le justificatif doit être un fichier PDF, JPEG ou PNG."),
        ("bulletin.exe", PDF_BYTES, "L'extension du justificatif ne correspond pas à son contenu."),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 2048, "Le justificatif dépasse la taille maximale de 1,0\xa0Kio."),
    ],
)
def test_proof_content_and_size_are_checked(api_as, company_user, source, settings, name, content, message):
    settings.PROCUREMENT_PROOF_MAX_BYTES = 1024
    response = declare(api_as(company_user), source, proof=pdf_upload(name, content))
    assert response.status_code == 400
    assert response.json() == {"proof": [message]}
    assert not HoursStatement.objects.exists()


def test_bad_fields_are_reported_together(api_as, company_user, source):
    future = (datetime.date.today() + datetime.timedelta(days=62)).isoformat()
    response = declare(api_as(company_user), source, hours="-5", month=future, proof_kind="")
    assert response.status_code == 400
    assert set(response.json()) == {"proof_kind"}  # serializer-level first
    response = declare(api_as(company_user), source, hours="-5", month=future)
    assert set(response.json()) == {"hours", "month"}


def test_same_month_cannot_be_counted_twice(api_as, company_user, facilitator, source):
    client = api_as(company_user)
    first = declare(client, source).json()["id"]
    assert declare(client, source).json() == {
        "month": ["Une déclaration pour ce mois attend déjà la validation du facilitateur."]
    }
    api_as(facilitator).post(f"{URL}{first}/validate/")
    assert declare(client, source).json() == {
        "month": ["Les heures de ce mois sont déjà validées : déclarez une correction."]
    }


def test_database_refuses_a_second_validated_statement(source):
    HoursStatementFactory(source=source, state=StatementState.VALIDATED)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        HoursStatementFactory(source=source, state=StatementState.VALIDATED)


def test_correction_is_a_new_adjusting_statement(api_as, company_user, facilitator, source):
    client, facilitator_client = api_as(company_user), api_as(facilitator)
    first = declare(client, source).json()["id"]
    facilitator_client.post(f"{URL}{first}/validate/")
    response = declare(client, source, hours="-20", adjusts=first)
    assert response.status_code == 201, response.json()
    facilitator_client.post(f"{URL}{response.json()['id']}/validate/")
    assert ValidatedHours.objects.get().hours == 100
    assert HoursStatement.objects.get(pk=first).hours == 120


def test_validated_statement_is_immutable(api_as, facilitator, source):
    statement = HoursStatementFactory(source=source, state=StatementState.VALIDATED)
    client = api_as(facilitator)
    assert client.post(f"{URL}{statement.pk}/validate/").json() == {
        "state": ["Ce relevé a déjà été traité : il ne peut plus changer."]
    }
    assert client.post(f"{URL}{statement.pk}/reject/", {"reason": "Erreur"}).status_code == 400
    statement.refresh_from_db()
    assert statement.state == StatementState.VALIDATED and not ValidatedHours.objects.exists()


def test_rejection_needs_a_reason_and_lets_the_company_declare_again(api_as, company_user, facilitator, source):
    client = api_as(company_user)
    first = declare(client, source).json()["id"]
    assert api_as(facilitator).post(f"{URL}{first}/reject/", {"reason": ""}).status_code == 400
    response = api_as(facilitator).post(f"{URL}{first}/reject/", {"reason": "Bulletin illisible"})
    assert (response.json()["state"], response.json()["reason"]) == ("rejected", "Bulletin illisible")
    assert declare(client, source).status_code == 201


@pytest.mark.parametrize("user", ["buyer", "company_user", "siae_user"])
def test_only_the_facilitator_validates(api_as, request, source, buyer_org, user):
    source.contract.buyer = buyer_org
    source.contract.save()
    statement = HoursStatementFactory(source=source)
    response = api_as(request.getfixturevalue(user)).post(f"{URL}{statement.pk}/validate/")
    assert response.status_code in (403, 404)
    statement.refresh_from_db()
    assert statement.state == StatementState.DECLARED


def test_other_company_cannot_declare_nor_see(api_as, other_company_user, source):
    response = declare(api_as(other_company_user), source)
    assert response.status_code == 400 and "source" in response.json()
    HoursStatementFactory(source=source)
    assert api_as(other_company_user).get(URL).json()["count"] == 0


def test_no_hours_before_award(api_as, company_user, company_org):
    source = HoursSourceFactory(company=company_org, contract=ContractFactory(confirmed=True))
    response = declare(api_as(company_user), source)
    assert response.json() == {
        "source": ["Le marché n'est pas en cours d'exécution : aucune heure ne peut être déclarée."]
    }


def test_pages_declare_validate_and_reject(client_as, company_user, facilitator, source, django_assert_max_num_queries):
    company = client_as(company_user)
    response = company.post(
        reverse("procurement:declare_hours", args=[source.pk]),
        {"month": "2024-04", "hours": "35", "proof_kind": "timesheet", "proof": pdf_upload()},
    )
    assert response.status_code == 302
    HoursStatementFactory.create_batch(5, source__contract=source.contract, source__company=source.company)
    client = client_as(facilitator)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("procurement:statement_list"))
    assert "6 relevés" in page.content.decode()
    first, second = HoursStatement.objects.order_by("pk")[:2]
    client.post(reverse("procurement:statement_validate", args=[first.pk]))
    client.post(reverse("procurement:statement_reject", args=[second.pk]), {"reason": "Pas de justificatif"})
    assert list(HoursStatement.objects.order_by("pk").values_list("state", flat=True)[:2]) == ["validated", "rejected"]


@pytest.mark.parametrize(("hours", "message"), [("120", "120 h validées."), ("7.5", "7,50 h validées.")])
def test_validation_message_writes_hours_in_french(client_as, facilitator, source, hours, message):
    statement = HoursStatementFactory(source=source, hours=Decimal(hours))
    response = client_as(facilitator).post(reverse("procurement:statement_validate", args=[statement.pk]), follow=True)
    assert message in response.content.decode()


def test_api_list_is_bounded(api_as, facilitator, source, django_assert_max_num_queries):
    HoursStatementFactory.create_batch(20, source=source, state=StatementState.REJECTED)
    client = api_as(facilitator)
    # token + user, memberships, count, page
    with django_assert_max_num_queries(4):
        assert client.get(URL).json()["count"] == 20


def test_the_company_hears_of_each_decision_on_its_hours(client_as, facilitator, company_user, source, mailoutbox):
    validated = HoursStatementFactory(source=source, hours=120, month=datetime.date(2024, 3, 1))
    rejected = HoursStatementFactory(source=source, hours=10.5, month=datetime.date(2024, 4, 1))
    client = client_as(facilitator)
    client.post(reverse("procurement:statement_validate", args=[validated.pk]))
    client.post(reverse("procurement:statement_reject", args=[rejected.pk]), {"reason": "Bulletin illisible."})
    assert not mailoutbox  # sent by the task queue, not inside the request

    assert run_queued_jobs() == 2
    assert [m.to for m in mailoutbox] == [[company_user.email], [company_user.email]]
    page = client_as(company_user).get(reverse("notifications:notification_list")).content.decode()
    assert f"Heures de 03/2024 ({source.label}, 120 h) validées par le facilitateur." in page
    assert f"Heures de 04/2024 ({source.label}, 10,50 h) refusées. Vous pouvez les déclarer" in page
    assert "Motif : Bulletin illisible." in page
    assert "déclarer à nouveau" in mailoutbox[1].body and "Motif : Bulletin illisible." in mailoutbox[1].body
