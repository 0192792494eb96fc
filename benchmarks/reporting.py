"""Times the activity report (issue 15) on the demo data (``python -m benchmarks --scale 100 --only reporting``):
the facilitator's page for last year (target < 300 ms), a buyer's, the summary API, the year's workbook, and the
monthly shortfall check over every contract in progress. The seed ran this month's check (the pages show the
contracts at risk); next month's is timed, in a transaction rolled back: it alerts again those still behind."""

import datetime
import os
import statistics
import time

from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from benchmarks.procurement import RUNS, TARGET_MS, _analyze


def _medians(client, url, params=None):
    """Median wall-clock and CPU time of the request (ms), and its queries. On SQLite the database works in this
    process, so the CPU time is the request's own cost, which the wall clock inflates on a shared, loaded machine."""
    client.get(url, params)  # warm-up: caches, lazy imports
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url, params)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    return statistics.median(walls), statistics.median(cpus), len(queries)


class _RolledBack(Exception):
    pass


def _time_the_monthly_check():
    from procurement import services

    next_month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=31)).replace(day=1)
    reverse("procurement:contracts_at_risk")  # the URLconf's import (2 s, the matcher's libraries) is not the check's
    started = time.perf_counter()
    try:
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            counts = services.check_shortfalls(today=next_month)
            raise _RolledBack
    except _RolledBack:
        pass
    return (time.perf_counter() - started) * 1000, counts, len(queries)


def run(scale):
    from accounts.models import Membership, User
    from demo.accounts import FACILITATOR_EMAIL
    from procurement.models import Contract

    _analyze()
    year = timezone.localdate().year - 1
    # The pages read the period as ``du`` and ``au`` (``from`` and ``to`` redirect there), the API ``from`` and ``to``.
    period = {"du": f"{year}-01-01", "au": f"{year}-12-31"}
    api_period = {"from": period["du"], "to": period["au"]}
    facilitator = Client()
    facilitator.force_login(User.objects.get(email=FACILITATOR_EMAIL))
    # The buyer with the most contracts: the heaviest buyer's report.
    buyer_id = (
        Contract.objects.values_list("buyer_id").annotate(n=Count("pk")).order_by("-n").values_list("buyer_id")[:1]
    )
    buyer = Client()
    buyer.force_login(Membership.objects.filter(organisation_id__in=buyer_id).order_by("pk").first().user)
    print(f"{Contract.objects.count()} marchés, période {period['du']} – {period['au']} ({connection.vendor})")
    elapsed, counts, queries = _time_the_monthly_check()
    figures = ", ".join(f"{label} : {count}" for label, count in counts.items())
    print(f"vérification du mois prochain : {elapsed:.0f} ms, {queries} requêtes SQL ({figures}), annulée")
    report = reverse("reporting:report_dashboard")
    cases = [
        ("bilan d'activité (facilitateur)", facilitator, report, period),
        ("bilan d'activité (donneur d'ordre)", buyer, report, period),
        ("API de synthèse", facilitator, "/api/v1/reports/summary/", api_period),
        ("bilan annuel (XLSX)", facilitator, reverse("reporting:annual_report", args=[year]), None),
        ("marchés à risque", facilitator, reverse("procurement:contracts_at_risk"), None),
    ]
    print(f"charge de la machine : {os.getloadavg()[0]:.1f} ({os.cpu_count()} cœurs)")
    for label, client, url, params in cases:
        wall, cpu, queries = _medians(client, url, params)
        verdict = "OK" if wall <= TARGET_MS else ("OK en CPU" if cpu <= TARGET_MS else "AU-DESSUS DE LA CIBLE")
        print(
            f"{label:<36} médiane {wall:7.1f} ms ({cpu:6.1f} ms CPU) sur {RUNS} essais, {queries} requêtes SQL"
            f"  [{verdict}]"
        )
