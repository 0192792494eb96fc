import datetime
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError, ProgrammingError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from common.health import HEARTBEAT_PATH
from matching.tasks import retrain_matcher

pytestmark = pytest.mark.django_db

QUEUE_KEYS = {
    "ok",
    "waiting",
    "failed_last_hour",
    "failed_last_hour_by_task",
    "oldest_waiting_seconds",
    "max_waiting_seconds",
    "last_heartbeat_seconds",
}


def run_worker():
    """Runs the waiting jobs. The worker closes the connection between jobs: callers need a transactional test."""
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())


def queued_jobs(count, *, age=datetime.timedelta(0), status=TaskResultStatus.READY, **fields):
    """``count`` retraining jobs, as if queued ``age`` ago."""
    ids = [retrain_matcher.enqueue(min_outcomes=10**6).id for _ in range(count)]
    DBTaskResult.objects.filter(pk__in=ids).update(enqueued_at=timezone.now() - age, status=status, **fields)


def test_health_reports_the_database_and_an_idle_queue_without_login(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["queue"] == {
        "ok": True,
        "waiting": 0,
        "failed_last_hour": 0,
        "failed_last_hour_by_task": {},
        "oldest_waiting_seconds": None,
        "max_waiting_seconds": 15 * 60,
        "last_heartbeat_seconds": None,
    }


def test_health_counts_waiting_and_recently_failed_jobs_and_nothing_else(client):
    queued_jobs(3, age=datetime.timedelta(minutes=2))
    queued_jobs(1, status=TaskResultStatus.FAILED, finished_at=timezone.now() - datetime.timedelta(minutes=5))
    queued_jobs(1, status=TaskResultStatus.FAILED, finished_at=timezone.now() - datetime.timedelta(hours=2))
    queued_jobs(1, status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now())
    # Deferred to tomorrow: not waiting yet, however long ago it was queued.
    queued_jobs(1, age=datetime.timedelta(days=1), run_after=timezone.now() + datetime.timedelta(days=1))

    queue = client.get("/health/").json()["queue"]

    assert set(queue) == QUEUE_KEYS
    assert queue["ok"] is True
    assert queue["waiting"] == 3
    assert queue["failed_last_hour"] == 1
    assert queue["failed_last_hour_by_task"] == {retrain_matcher.module_path: 1}
    assert 115 <= queue["oldest_waiting_seconds"] <= 180


def test_health_answers_503_when_a_job_waits_longer_than_the_setting(client, settings):
    settings.HEALTH_QUEUE_MAX_AGE_SECONDS = 600
    queued_jobs(1, age=datetime.timedelta(minutes=11))

    response = client.get("/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"]["ok"] is True
    assert body["queue"]["ok"] is False
    assert body["queue"]["oldest_waiting_seconds"] >= 660
    assert body["queue"]["error"] == "Des tâches attendent depuis trop longtemps : aucun worker ne les exécute."


def test_a_deferred_job_waits_from_its_run_after(client, settings):
    settings.HEALTH_QUEUE_MAX_AGE_SECONDS = 600
    queued_jobs(1, age=datetime.timedelta(days=2), run_after=timezone.now() - datetime.timedelta(minutes=1))

    response = client.get("/health/")

    assert response.status_code == 200
    assert 55 <= response.json()["queue"]["oldest_waiting_seconds"] <= 120


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_heartbeat_the_health_check_queues(client):
    client.get("/health/")
    assert DBTaskResult.objects.ready().filter(task_path=HEARTBEAT_PATH).count() == 1

    # Until a worker runs it, asking again queues no other heartbeat.
    assert client.get("/health/").json()["queue"]["waiting"] == 1
    assert DBTaskResult.objects.filter(task_path=HEARTBEAT_PATH).count() == 1

    run_worker()

    queue = client.get("/health/").json()["queue"]
    assert queue["waiting"] == 0
    assert 0 <= queue["last_heartbeat_seconds"] <= 60


def test_a_stopped_worker_shows_through_its_unrun_heartbeat(client, settings):
    settings.HEALTH_QUEUE_MAX_AGE_SECONDS = 600
    client.get("/health/")
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=11))

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["queue"]["waiting"] == 1


@pytest.mark.django_db(transaction=True)
def test_heartbeats_are_queued_at_most_once_per_interval_and_old_ones_dropped(client, settings):
    settings.HEALTH_QUEUE_HEARTBEAT_SECONDS = 60
    for _ in range(3):
        client.get("/health/")
        run_worker()
        # Within the interval: no new heartbeat, whatever the number of checks.
        client.get("/health/")
        assert not DBTaskResult.objects.ready().exists()
        DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=61))

    client.get("/health/")
    # The newest run heartbeat (the age the endpoint reports) and the one just queued.
    assert DBTaskResult.objects.filter(task_path=HEARTBEAT_PATH).count() == 2


def test_no_heartbeat_when_the_setting_is_zero(client, settings):
    settings.HEALTH_QUEUE_HEARTBEAT_SECONDS = 0
    client.get("/health/")
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_health_runs_a_bounded_number_of_queries_whatever_the_queue(client, django_assert_max_num_queries):
    client.get("/health/")
    run_worker()
    queued_jobs(30)
    queued_jobs(30, status=TaskResultStatus.FAILED, finished_at=timezone.now())
    DBTaskResult.objects.filter(task_path=HEARTBEAT_PATH).update(
        enqueued_at=timezone.now() - datetime.timedelta(hours=1)
    )
    # SELECT 1; the queue aggregate; failures by task; dropping old heartbeats (BEGIN, DELETE, COMMIT);
    # queuing a new one.
    with django_assert_max_num_queries(7):
        assert client.get("/health/").status_code == 200


def test_health_answers_503_when_the_database_is_down(client):
    with mock.patch("common.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": {"ok": False, "error": "OperationalError"},
        "queue": {"ok": False, "error": "database"},
    }


def test_health_answers_503_when_the_task_backend_does_not_answer(client):
    with mock.patch.object(DBTaskResult.objects, "aggregate", side_effect=ProgrammingError("no table")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["queue"] == {"ok": False, "error": "ProgrammingError"}
