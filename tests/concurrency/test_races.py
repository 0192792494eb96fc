"""Two people acting on the same thing at the same moment, with real threads on PostgreSQL.

Each thread is a logged-in browser session posting to the real view, with its own database connection.
A short pause is slipped inside the critical section so that, without the row locks of the services,
both requests would read the same state before either writes: these tests then fail with double counts."""

import datetime
import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from marketplace import sessions
from marketplace.enums import PositionState, SubmissionState
from marketplace.models import Placement, Submission
from procurement import services as procurement_services
from procurement.enums import StatementState
from procurement.models import HoursStatement, ValidatedHours
from tests.accounts.factories import member_of
from tests.marketplace.factories import (
    CandidateFactory,
    InformationSessionFactory,
    PositionFactory,
    SessionInvitationFactory,
    SubmissionFactory,
)
from tests.procurement.factories import HoursStatementFactory, contract_in_progress_for, pdf_upload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are only real on PostgreSQL"),
]

PAUSE = 0.5


def slowed(function):
    """``function`` that waits inside the caller's transaction, widening the race window."""

    def wrapper(*args, **kwargs):
        time.sleep(PAUSE)
        return function(*args, **kwargs)

    return wrapper


def at_once(*requests):
    """Runs each ``request()`` in its own thread, released together; returns their responses in order."""
    start = threading.Barrier(len(requests))
    responses = [None] * len(requests)
    errors = []

    def run(index, request):
        try:
            start.wait()
            responses[index] = request()
        except Exception as exc:  # re-raised in the test's thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert all(not thread.is_alive() for thread in threads), "a request is still stuck on a lock"
    return responses


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_two_facilitators_validating_the_same_statement_count_its_hours_once(
    monkeypatch, facilitator, facilitator_org, company_org
):
    colleague = member_of(facilitator_org)
    source = contract_in_progress_for(company_org)[1]
    statement = HoursStatementFactory(source=source, hours=120)
    monkeypatch.setattr(procurement_services, "add_validated_hours", slowed(procurement_services.add_validated_hours))
    url = reverse("procurement:statement_validate", args=[statement.pk])
    first, second = logged_in(facilitator), logged_in(colleague)

    responses = at_once(lambda: first.post(url), lambda: second.post(url))

    statement.refresh_from_db()
    assert statement.state == StatementState.VALIDATED
    assert sum(ValidatedHours.objects.filter(contract=source.contract).values_list("hours", flat=True)) == 120
    said = sorted(str(m) for r in responses for m in get_messages(r.wsgi_request))
    assert said == ["120 h validées.", "Ce relevé a déjà été traité : il ne peut plus changer."]


def test_two_hires_for_the_last_opening_make_one_placement(monkeypatch, company_org):
    position = PositionFactory(company=company_org, openings=1)
    reached = timezone.now()
    submissions = SubmissionFactory.create_batch(
        2, position=position, state=SubmissionState.INTERVIEW, reached_company_at=reached
    )
    # Two colleagues of the company, each hiring their own candidate for the one opening.
    hiring_managers = [logged_in(member_of(company_org)) for _ in submissions]
    monkeypatch.setattr(Placement, "full_clean", slowed(Placement.full_clean))
    end = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()

    def hire(client, submission):
        url = reverse("marketplace:submission_transition", args=[submission.pk])
        return lambda: client.post(url, {"to": SubmissionState.HIRED, "planned_end_date": end})

    responses = at_once(*(hire(c, s) for c, s in zip(hiring_managers, submissions, strict=True)))

    assert Placement.objects.filter(position=position).count() == 1
    position.refresh_from_db()
    assert position.state == PositionState.FILLED
    states = Submission.objects.filter(position=position).values_list("state", flat=True)
    assert sorted(states) == [SubmissionState.HIRED, SubmissionState.INTERVIEW]
    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200).content.decode()
    assert "plus ouverte" in refused or "déjà pourvus" in refused


def test_two_colleagues_declaring_the_same_month_make_one_statement(monkeypatch, api_as, company_org):
    source = contract_in_progress_for(company_org)[1]
    clients = [api_as(member_of(company_org)) for _ in range(2)]
    monkeypatch.setattr(procurement_services, "check_proof", slowed(procurement_services.check_proof))

    def declare(client):
        data = {"source": source.pk, "month": "2024-03-01", "hours": "120", "proof_kind": "payslip"}
        return lambda: client.post("/api/v1/hours/", {**data, "proof": pdf_upload()}, format="multipart")

    responses = at_once(*(declare(c) for c in clients))

    assert HoursStatement.objects.filter(source=source).count() == 1
    assert sorted(r.status_code for r in responses) == [201, 400]
    refused = next(r for r in responses if r.status_code == 400).json()
    assert refused["month"] == ["Une déclaration pour ce mois attend déjà la validation du facilitateur."]


def test_two_prescribers_signing_up_for_the_last_seat_take_one(
    monkeypatch, prescriber, other_prescriber, prescriber_org, other_prescriber_org, facilitator_org
):
    session = InformationSessionFactory(organiser=facilitator_org, capacity=2)
    position = session.positions.get()
    SessionInvitationFactory(session=session, position=position)  # one seat held, one left
    people = [CandidateFactory(prescriber=prescriber_org), CandidateFactory(prescriber=other_prescriber_org)]
    # Counted under the session's row lock: paused there, the second request waits for the first to commit.
    monkeypatch.setattr(sessions, "seats_taken", slowed(sessions.seats_taken))
    url = reverse("marketplace:session_register", args=[session.pk])

    def sign_up(user, candidate):
        client = logged_in(user)
        return lambda: client.post(url, {"candidate": candidate.pk, "position": position.pk})

    responses = at_once(sign_up(prescriber, people[0]), sign_up(other_prescriber, people[1]))

    assert session.invitations.holding_a_seat().count() == 2
    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200).content.decode()
    assert "Cette information collective est complète : 2 places, toutes réservées." in refused
