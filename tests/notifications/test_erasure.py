"""Anonymising a person erases them from every organisation's notifications (issue 12, door 6): the
matcher's request to the prescriber named them, a refused hire and refused hours carried reasons written
about them to the company. Notifications are found by their subject's key, not by their wording."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace import services
from marketplace.enums import SubmissionState
from notifications.models import Notification
from procurement import services as procurement_services
from tests.marketplace.factories import CandidateFactory, PositionFactory, SubmissionFactory, validated_placement
from tests.procurement.factories import pdf_upload
from tests.queue import run_queued_jobs

pytestmark = pytest.mark.django_db


def everything_notified():
    return " ".join(f"{n.text} {n.details}" for n in Notification.objects.all())


def test_anonymisation_erases_the_person_from_every_organisations_notifications(
    client_as, facilitator, prescriber_org, company_org, company_user
):
    person = CandidateFactory(prescriber=prescriber_org, first_name="Aïcha", last_name="Diallo")
    facilitator_client = client_as(facilitator)
    # The facilitator asks the prescriber to submit the person (the matcher's page).
    asked = PositionFactory(company=company_org)
    facilitator_client.post(reverse("matching:position_matches_ask", args=[asked.pk]), {"candidate": person.pk})
    # A hire the facilitator refuses, saying why.
    submission = SubmissionFactory(candidate=person, position=PositionFactory(company=company_org), interview=True)
    services.transition_submission(
        submission=submission,
        target=SubmissionState.HIRED,
        actor=company_user,
        organisation=company_org,
        hire={"planned_end_date": timezone.localdate() + datetime.timedelta(days=200)},
    )
    facilitator_client.post(
        reverse("marketplace:placement_decide", args=[submission.placement.pk]),
        {"decision": "refuse", "note": "Mme Diallo n'a pas encore son CACES."},
    )
    # Hours of another hire the facilitator rejects, saying why.
    placement = validated_placement(
        candidate=person,
        position=PositionFactory(company=company_org),
        facilitator=facilitator,
        start_date=datetime.date(2024, 3, 1),
    )
    statement = procurement_services.declare_hours(
        source=placement.hours_source,
        month=datetime.date(2024, 3, 1),
        hours=120,
        proof=pdf_upload(),
        proof_kind="payslip",
        actor=company_user,
        organisation=company_org,
    )
    facilitator_client.post(
        reverse("procurement:statement_reject", args=[statement.pk]),
        {"reason": "Le bulletin de Mme Diallo ne porte pas le mois."},
    )
    notified = everything_notified()
    assert "Aïcha Diallo" in notified and "Mme Diallo n'a pas encore son CACES." in notified
    assert "Le bulletin de Mme Diallo ne porte pas le mois." in notified
    mail.outbox = []

    response = facilitator_client.post(
        reverse("marketplace:candidate_anonymise", args=[person.pk]), {"reason": "request", "confirm": "on"}
    )

    assert response.status_code == 302
    assert "Diallo" not in everything_notified() and "Aïcha" not in everything_notified()
    company_client = Client()  # its own session: the facilitator's messages named the person
    company_client.force_login(company_user)
    page = company_client.get(reverse("notifications:notification_list")).content.decode()
    assert "Diallo" not in page and "refusée par le facilitateur." in page and "refusées." in page
    # Emails still waiting in the queue are sent as the notifications now read.
    run_queued_jobs()
    assert mail.outbox and not any("Diallo" in f"{m.subject} {m.body}" for m in mail.outbox)
