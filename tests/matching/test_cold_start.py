"""Cold start: a process makes the matcher's index ready as it starts, so that its first request builds
nothing. Web processes through the WSGI application that ``runserver`` and every gunicorn worker load before
they listen; the task worker through ``manage.py db_worker``."""

import io
import sys

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import get_internal_wsgi_application
from django.urls import reverse
from django_tasks import TaskResultStatus

from matching import index as matching_index
from matching.tasks import retrain_matcher

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(settings):
    return settings.MATCHING_INDEX_DIR / matching_index.SNAPSHOT_NAME


def forbid_builds(monkeypatch):
    """From now on, building the index fails the test: whatever runs must use the one made at start."""
    monkeypatch.setattr(matching_index, "build", lambda: pytest.fail("index built after the process started"))


def start_web_process():
    """What ``runserver`` (and gunicorn, through ``config.wsgi``) does before it listens: load the application."""
    sys.modules.pop("config.wsgi", None)
    return get_internal_wsgi_application()


def test_the_web_process_start_makes_the_index_ready_and_the_first_request_builds_nothing(
    api_as, prescriber, mason_position, pool, snapshot, monkeypatch
):
    assert not snapshot.exists()

    start_web_process()

    assert snapshot.exists()
    forbid_builds(monkeypatch)
    response = api_as(prescriber).get(reverse("api-candidate-matches", args=[pool["best"].pk]))
    assert response.status_code == 200
    assert [row["position"] for row in response.json()] == [mason_position.pk]


def test_a_web_process_restarting_loads_the_snapshot_instead_of_building(mason_position, pool, snapshot, monkeypatch):
    start_web_process()
    matching_index.reset()  # a new process
    forbid_builds(monkeypatch)

    start_web_process()

    assert matching_index.current().positions.row(mason_position.pk)[0] is not None


def test_a_web_process_starts_even_when_the_index_cannot_be_made(monkeypatch, capsys):
    def broken():
        raise RuntimeError("base non migrée")

    monkeypatch.setattr(matching_index, "current", broken)
    assert start_web_process() is not None
    # Loading the application configures logging again (django.setup()): the console shows it.
    assert "Index de rapprochement non chargé au démarrage" in capsys.readouterr().err


# Transactional: the worker closes connections between jobs, which a test's enclosing transaction cannot survive.
@pytest.mark.django_db(transaction=True)
def test_the_task_worker_makes_the_index_ready_before_its_first_job(mason_position, pool, snapshot, monkeypatch):
    assert not snapshot.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    assert snapshot.exists()

    forbid_builds(monkeypatch)
    result = retrain_matcher.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
