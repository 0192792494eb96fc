"""Job title search as you type (issue 14), on the full ROME (13,120 job titles) of the benchmark database:
exact words, words being typed, and typos, through the search itself and through the htmx partial the
search fields call on each keystroke (no session: it is public). Medians over 30 runs, after one that
reads the words of the labels into memory (``reference.typos``).
"""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import override_settings

RUNS = 30
QUERIES = [
    ("mot exact", "macon"),
    ("mot en cours de frappe", "cuisi"),
    ("deux mots", "agent entretien"),
    ("faute : lettre en trop", "cuisinnier"),
    ("faute : lettre remplacée", "plonbier"),
    ("faute : lettre en trop", "jardinnier"),
    ("faute : lettres inversées", "plmobier"),
    ("faute dans un mot de deux", "aide plonbier"),
    ("rien de proche", "zzzzzzzz"),
]


def _median_ms(function):
    function()
    durations = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations) * 1000


def run(scale):
    from reference import typos
    from reference.models import JobTitle

    print(f"{JobTitle.objects.count()} appellations, base {connection.vendor}.")
    started = time.perf_counter()
    words = typos.vocabulary(JobTitle.objects.all(), check=True)
    seconds = time.perf_counter() - started
    beginnings = sum(len(b) for b in words.beginnings.values())
    print(
        f"Mots des libellés en mémoire : {len(words.words)} mots, {beginnings} débuts de mots, lus en {seconds:.2f} s."
    )
    client = Client()
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for what, query in QUERIES:
            found = [j.label for j in JobTitle.objects.search(query).select_related("occupation")[:10]]
            search = _median_ms(lambda q=query: list(JobTitle.objects.search(q).select_related("occupation")[:10]))
            partial = _median_ms(lambda q=query: client.get("/referentiels/appellations/recherche/", {"q": q}))
            first = found[0] if found else "—"
            print(
                f"{what:<28} « {query} » : recherche {search:.1f} ms, fragment htmx {partial:.1f} ms ; "
                f"{len(found)} résultat(s), 1er « {first} »"
            )
