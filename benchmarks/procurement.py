"""Times the contract progress page on the demo data (``python -m benchmarks --scale 100 --only procurement``):
median of N runs with the Django test client. The reports are timed by ``benchmarks.reporting``."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

RUNS = 7
TARGET_MS = 300


def _median_ms(client, url, params=None):
    client.get(url, params)  # warm-up: caches, lazy imports
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url, params)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    return statistics.median(timings), len(queries)


def _analyze():
    """A freshly bulk-loaded PostgreSQL has no planner statistics yet (autovacuum fills them in later in
    production): without them it scans the million statements instead of using the indexes."""
    if connection.vendor != "postgresql":
        return
    from django.apps import apps

    tables = [model._meta.db_table for model in apps.get_app_config("procurement").get_models()]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def run(scale):
    from accounts.models import User
    from demo.accounts import FACILITATOR_EMAIL
    from procurement.enums import ContractState
    from procurement.models import Contract, HoursStatement

    _analyze()
    facilitator = User.objects.get(email=FACILITATOR_EMAIL)
    client = Client()
    client.force_login(facilitator)
    # The oldest contract in progress has the most months of statements: the heaviest progress page.
    contract = Contract.objects.filter(state=ContractState.IN_PROGRESS).order_by("notified_on", "pk").first()
    print(
        f"{Contract.objects.count()} marchés, {HoursStatement.objects.count()} relevés d'heures ({connection.vendor})"
    )
    cases = [
        ("page d'avancement d'un marché", reverse("procurement:contract_detail", args=[contract.pk]), None),
    ]
    for label, url, params in cases:
        median, queries = _median_ms(client, url, params)
        verdict = "OK" if median <= TARGET_MS else "AU-DESSUS DE LA CIBLE"
        print(f"{label:<36} médiane {median:7.1f} ms sur {RUNS} essais, {queries} requêtes SQL  [{verdict}]")
