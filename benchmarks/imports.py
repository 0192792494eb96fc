"""Import bombs (issue 12, door 4): files of a few hundred Ko that held a worker for tens of seconds. Each is
refused as it streams by; target: under a second each, with the default ``IMPORT_MAX_BYTES`` and
``IMPORT_MAX_ROWS``. Reads no database."""

import resource
import statistics
import time

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

RUNS = 5
TARGET_SECONDS = 1.0


def _bombs():
    from marketplace.imports import COLUMNS
    from tests.fuzz.files import blank_lines_csv, blank_row_bomb

    decp = b'{"marches": [' + b",".join([b"{}"] * 3_000_000) + b"]}"
    return [
        ("XLSX, 3 millions de lignes vides", "vivier.xlsx", blank_row_bomb(COLUMNS, 3_000_000)),
        ("CSV, 5 Mo de lignes vides", "vivier.csv", blank_lines_csv(COLUMNS, 2_500_000)),
        ("DECP, 3 millions de marchés vides", "decp.json", decp),
    ]


def _refuse(name, content):
    from marketplace.imports import read_table
    from procurement.decp import read_records

    try:
        if name.endswith(".json"):
            read_records(content)
        else:
            read_table(SimpleUploadedFile(name, content))
    except ValidationError as exc:
        return exc.messages[0]
    raise AssertionError(f"{name} was accepted")


def run(scale):
    for label, name, content in _bombs():
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            message = _refuse(name, content)
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        verdict = "ok" if median < TARGET_SECONDS else "TOO SLOW"
        print(
            f"{label} ({len(content) / 1024:,.0f} Ko) : refusé en {median * 1000:,.0f} ms (médiane de {RUNS}), "
            f"cible < {TARGET_SECONDS:.0f} s : {verdict}\n    « {message} »"
        )
    print(f"mémoire maximale du processus : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} Mo")
