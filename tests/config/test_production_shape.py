"""The production shape, with real processes on loopback: static files collected with the production storage,
gunicorn with ``config.settings.prod`` and two workers, two ``db_worker`` processes sharing the queue as two
machines would, all on the test's PostgreSQL database (a transactional test, so that what it commits is
what the processes see)."""

import http.client
import json
import re
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import brotli
import psutil
import pytest
from django.conf import settings
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from benchmarks.stack import ROOT, Stack, database_url, free_port, prod_environment, wait_until
from tests.config.tasks import record_run

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: several processes share the database (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 30
DSFR_CSS = "dsfr/dist/dsfr/dsfr.min.css"
# Collecting everything takes minutes on two cores (Brotli at its best level, twice per file); ``make load``
# does. Here: the project's files and the DSFR stylesheet with the fonts and icons it references.
NOT_COLLECTED = [
    "admin/*",
    "django-dsfr/*",
    "django_htmx/*",
    "drf_spectacular_sidecar/*",
    "rest_framework/*",
    "dsfr/dist/dsfr.*",
    *(f"dsfr/dist/{part}/*" for part in ("analytics", "artwork", "component", "core", "favicon", "layout")),
    *(f"dsfr/dist/{part}/*" for part in ("legacy", "pattern", "scheme", "utility")),
]
JOBS = 8


@pytest.fixture
def stack(tmp_path, transactional_db):
    """Static files collected, two db_workers and gunicorn started; everything stopped after the test."""
    static_root = tmp_path / "static"
    env = prod_environment(
        database_url=database_url(connection.settings_dict),
        static_root=static_root,
        MEDIA_ROOT=str(tmp_path / "media"),
        MATCHING_INDEX_DIR=str(tmp_path / "matching"),
    )
    processes = Stack(tmp_path)
    try:
        # The workers boot while the static files are collected; gunicorn reads them when it starts.
        for worker_id in ("machine-a", "machine-b"):
            processes.db_worker(worker_id=worker_id, env=env)
        ignored = [arg for pattern in NOT_COLLECTED for arg in ("--ignore", pattern)]
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", *ignored],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=TIMEOUT * 2,
        )
        port = free_port()
        processes.gunicorn(port=port, workers=2, env=env)
        processes.port, processes.static_root = port, static_root
        yield processes
    finally:
        processes.stop()


def get(stack, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def health(stack):
    stack.check_running("gunicorn")
    try:
        status, _, body = get(stack, "/health/")
    except OSError:  # not listening yet
        return None
    return status, json.loads(body)


def served_by(stack):
    """The pids in gunicorn's access log (``%(p)s``, see gunicorn.conf.py)."""
    return {int(pid) for pid in re.findall(r'<(\d+)> "GET ', stack.log("gunicorn"))}


def test_production_shape(stack, tmp_path):
    # Health: the database and the queue answer, through gunicorn with the production settings.
    status, body = wait_until(lambda: health(stack), timeout=TIMEOUT, what="gunicorn answering /health/")
    assert status == 200, body
    assert body["status"] == "ok"
    assert body["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["queue"]["ok"] is True

    # Several processes serve requests: concurrent ones reach more than one of the master's workers.
    workers = {child.pid for child in psutil.Process(stack.processes["gunicorn"].pid).children()}
    assert len(workers) == 2

    def spread():
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda _: get(stack, "/health/"), range(16)))
        return len(served_by(stack)) >= 2

    wait_until(spread, timeout=TIMEOUT, what="requests served by two gunicorn workers")
    assert served_by(stack) <= workers

    # Static files: whitenoise serves the DSFR stylesheet under its hashed name, compressed, cached for ever.
    hashed = json.loads((stack.static_root / "staticfiles.json").read_text())["paths"][DSFR_CSS]
    assert re.fullmatch(r"dsfr/dist/dsfr/dsfr\.min\.[0-9a-f]{12}\.css", hashed)
    status, headers, body = get(stack, f"/static/{hashed}", **{"Accept-Encoding": "gzip, br"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert headers["Content-Encoding"] == "br"
    assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
    assert brotli.decompress(body) == (stack.static_root / hashed).read_bytes()
    status, headers, _ = get(stack, f"/static/{hashed}", **{"Accept-Encoding": "gzip"})
    assert (status, headers["Content-Encoding"]) == (200, "gzip")

    # Jobs: queued here, each run exactly once by the two workers, which share them.
    for worker_id in ("machine-a", "machine-b"):
        wait_until(lambda w=worker_id: "Starting worker" in stack.log(w), timeout=TIMEOUT, what=f"{worker_id} up")
    runs = tmp_path / "runs.txt"
    ids = [record_run.enqueue(str(runs)).id for _ in range(JOBS)]

    def finished():
        for worker_id in ("machine-a", "machine-b"):
            stack.check_running(worker_id)
        results = DBTaskResult.objects.filter(pk__in=ids)
        return not results.exclude(status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]).exists()

    wait_until(finished, timeout=TIMEOUT, what="the jobs run")
    results = list(DBTaskResult.objects.filter(pk__in=ids))
    tracebacks = [r.traceback for r in results if r.traceback]
    assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL] * JOBS, tracebacks
    assert all(len(r.worker_ids) == 1 for r in results)
    assert {r.worker_ids[0] for r in results} == {"machine-a", "machine-b"}
    lines = [line.split() for line in runs.read_text().splitlines()]
    assert Counter(job_id for job_id, _ in lines) == Counter({str(job_id): 1 for job_id in ids[:JOBS]})
    worker_pids = {stack.processes[w].pid for w in ("machine-a", "machine-b")}
    assert {int(pid) for _, pid in lines} == worker_pids

    # The heartbeat the first health check queued has been run by a worker.
    status, body = health(stack)
    assert status == 200 and body["queue"]["last_heartbeat_seconds"] is not None
