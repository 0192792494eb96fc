"""Cold start (issue 14): the first request for a candidate's offers after a process starts, against the next
ones, on the demo data of the benchmark database.

In the process first: what a first request paid when the index was made on demand (a build from the
database, or a load of the saved snapshot). Then real processes on loopback, ``runserver`` (dev settings)
and gunicorn (production settings, one worker), each started with no snapshot and again with the one the
first start saved: how long until it is ready (its index made, its port answering), then the first
``GET /api/v1/candidates/{id}/matches/`` and the median of the next five. On a busy 2-core machine most of
a start is importing scikit-learn and scipy (3 to 10 s), which the first request used to pay too.
"""

import http.client
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

from django.db import connection
from django.test.utils import override_settings

from benchmarks.stack import BIN, Stack, free_port, prod_environment, wait_until

NEXT_REQUESTS = 5
READY = "Index de rapprochement prêt"
START_TIMEOUT = 300


def _ms(seconds):
    return f"{seconds * 1000:.0f} ms"


def _accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _get(port, path, token):
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers={"Authorization": f"Token {token}"})
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status}")
    return time.perf_counter() - started


def _database_url():
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        raise RuntimeError("DATABASE_URL must give an absolute path for the processes started here")
    return url


def _servers(directory):
    """(name, argv without the address, environment) of each server, each with an empty index directory of its own."""
    database = {"DATABASE_URL": _database_url(), "PYTHONUNBUFFERED": "1"}
    dev = {**os.environ, **database, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    prod = prod_environment(database_url=database["DATABASE_URL"], static_root=directory / "static")
    return [
        ("runserver", [sys.executable, "manage.py", "runserver", "--noreload"], dev),
        ("gunicorn, 1 worker", [BIN / "gunicorn", "config.wsgi", "--workers", "1", "--bind"], prod),
    ]


def run(scale):
    from rest_framework.authtoken.models import Token

    from accounts.demo import FACILITATOR_EMAIL
    from accounts.models import User
    from marketplace.models import Candidate
    from matching import index as matching_index

    token = Token.objects.get_or_create(user=User.objects.get(email=FACILITATOR_EMAIL))[0].key
    candidate = Candidate.objects.filter(consent_at__isnull=False).order_by("pk").first()
    path = f"/api/v1/candidates/{candidate.pk}/matches/"
    print(f"{Candidate.objects.count()} candidats ; offres proposées au candidat n° {candidate.pk} ({path}).")

    with tempfile.TemporaryDirectory() as directory, override_settings(MATCHING_INDEX_DIR=Path(directory)):
        matching_index.reset()
        started = time.perf_counter()
        matching_index.current()
        build = time.perf_counter() - started
        matching_index.reset()
        started = time.perf_counter()
        matching_index.current()
        load = time.perf_counter() - started
        matching_index.reset()
    print(
        f"Dans le processus : construire l'index {build:.1f} s, charger l'instantané {load:.1f} s "
        "(ce que payait la première requête quand l'index se faisait à la demande)."
    )
    connection.close()  # the processes below use the database too (SQLite: one writer at a time)

    with tempfile.TemporaryDirectory() as directory:
        directory = Path(directory)
        for number, (name, argv, env) in enumerate(_servers(directory)):
            env = {**env, "MATCHING_INDEX_DIR": str(directory / f"index-{number}")}
            for case in ("sans instantané", "avec l'instantané du premier démarrage"):
                port = free_port()
                stack = Stack(directory)
                started = time.perf_counter()
                try:
                    stack.start(f"server-{number}", [*argv, f"127.0.0.1:{port}"], env)
                    # gunicorn's master listens at once, its worker loads the application after: ready means
                    # the index is (logged by matching.index.prepare) and the port answers.
                    wait_until(
                        lambda p=port, n=number, s=stack: READY in s.log(f"server-{n}") and _accepts(p),
                        timeout=START_TIMEOUT,
                        what=f"{name} ready",
                    )
                    ready = time.perf_counter() - started
                    first = _get(port, path, token)
                    following = statistics.median(_get(port, path, token) for _ in range(NEXT_REQUESTS))
                finally:
                    stack.stop()
                print(
                    f"{name}, {case} : prêt au bout de {ready:.1f} s ; première requête {_ms(first)}, "
                    f"suivantes {_ms(following)} (médiane de {NEXT_REQUESTS})"
                )
