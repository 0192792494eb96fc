"""The facilitator hears, in the app and by email, when hours are declared and when a buyer submits a
contract: what waits for its check."""

from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from tests.procurement.factories import ContractFactory, contract_in_progress_for, pdf_upload
from tests.queue import run_queued_jobs


def test_declared_hours_reach_the_facilitators_queue(
    api_as, client_as, company_user, company_org, facilitator, facilitator_org, django_capture_on_commit_callbacks
):
    contract, source = contract_in_progress_for(company_org)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(company_user).post(
            "/api/v1/hours/",
            {"source": source.pk, "month": "2024-03-01", "hours": "35", "proof_kind": "timesheet"}
            | {"proof": pdf_upload()},
            format="multipart",
        )
    assert response.status_code == 201
    notification = Notification.objects.get(recipient=facilitator_org)
    text = f"Heures de mars 2024 déclarées par {company_org.name} sur le marché {contract.reference} : 35 h à vérifier."
    assert (notification.text, notification.link) == (text, reverse("procurement:statement_list"))
    assert text in client_as(facilitator).get(reverse("notifications:notification_list")).content.decode()
    mail.outbox = []
    run_queued_jobs()
    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    assert company_user.email not in [address for m in mail.outbox for address in m.to]


def test_a_contract_submitted_by_its_buyer_waits_for_the_facilitator(
    api_as, buyer, buyer_org, facilitator, facilitator_org
):
    contract = ContractFactory(buyer=buyer_org)
    response = api_as(buyer).post(f"/api/v1/contracts/{contract.pk}/transition/", {"to": "submitted"}, format="json")
    assert response.status_code == 200
    notification = Notification.objects.get(recipient=facilitator_org)
    assert notification.text == (
        f"Marché {contract.reference} soumis par {buyer_org.name} : 833 heures d'insertion à confirmer."
    )
    assert notification.link == reverse("procurement:contract_detail", args=[contract.pk])
    mail.outbox = []
    run_queued_jobs()
    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    # Moving it on (confirming) tells the facilitator nothing: it did it.
    api_as(facilitator).post(f"/api/v1/contracts/{contract.pk}/transition/", {"to": "confirmed"}, format="json")
    assert Notification.objects.filter(recipient=facilitator_org).count() == 1
