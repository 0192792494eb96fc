"""Notification emails go through the task queue: a mail server that fails never turns a committed change
into an error page (issue 16: every hours validation of the load run answered 500), the email is retried
later with growing delays, failures show on /health/, and no subject names a person."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from notifications.tasks import send_email
from procurement.enums import StatementState
from tests.marketplace.factories import CandidateFactory, PositionFactory
from tests.procurement.factories import HoursSourceFactory, HoursStatementFactory
from tests.queue import run_queued_jobs

REFUSING = "tests.notifications.backends.RefusingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def run_worker():
    """The real ``db_worker``, once over the waiting jobs (it closes the connection: transactional tests)."""
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_down_never_fails_a_validation_and_the_email_goes_later(
    client, client_as, facilitator, company_org, company_user, settings
):
    settings.EMAIL_BACKEND = REFUSING
    statement = HoursStatementFactory(source=HoursSourceFactory(company=company_org))

    response = client_as(facilitator).post(reverse("procurement:statement_validate", args=[statement.pk]))

    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.state == StatementState.VALIDATED

    run_worker()
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert failed.exception_class_path == "builtins.ConnectionRefusedError"
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert 50 <= (retry.run_after - timezone.now()).total_seconds() <= 60
    queue = client.get("/health/").json()["queue"]
    assert queue["failed_last_hour_by_task"] == {send_email.module_path: 1}
    assert queue["waiting"] == 0  # the retry waits for its time

    # The mail server is back; a minute later the worker sends the email.
    settings.EMAIL_BACKEND = LOCMEM
    mail.outbox = []
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert [m.to for m in mail.outbox] == [[company_user.email]]
    assert "validées par le facilitateur" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_email_is_tried_once_per_delay_then_given_up(client_as, facilitator, company_org, company_user, settings):
    settings.EMAIL_BACKEND = REFUSING
    settings.NOTIFICATION_EMAIL_RETRY_SECONDS = (60, 300)
    statement = HoursStatementFactory(source=HoursSourceFactory(company=company_org))
    client_as(facilitator).post(reverse("procurement:statement_reject", args=[statement.pk]), {"reason": "Illisible."})

    attempts = []
    while DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists():
        waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        attempts.append(round((waiting.run_after - timezone.now()).total_seconds() / 60) if attempts else 0)
        DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now() - datetime.timedelta(seconds=1))
        run_queued_jobs()

    assert attempts == [0, 1, 5]  # at once, then after each delay, in minutes
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 3


@pytest.mark.django_db
def test_no_email_subject_names_the_person(client_as, facilitator, prescriber, prescriber_org, company_org):
    candidate = CandidateFactory(prescriber=prescriber_org, first_name="Aïcha", last_name="Diallo")
    position = PositionFactory(company=company_org)
    response = client_as(facilitator).post(
        reverse("matching:position_matches_ask", args=[position.pk]), {"candidate": candidate.pk}
    )
    assert response.status_code == 302
    mail.outbox = []

    run_queued_jobs()

    [email] = mail.outbox
    assert email.to == [prescriber.email]
    assert "Diallo" not in email.subject and "Aïcha" not in email.subject
    assert email.subject.startswith("[Passerelle] ") and position.job_title.label in email.subject
    assert "Personne proposée : Aïcha Diallo" in email.body  # the prescriber follows the person
