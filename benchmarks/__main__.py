"""``python -m benchmarks [--scale N] [--only NAME]``: runs every benchmark module's ``run(scale)`` in turn.

Each module measures against the database Django is configured with (``DATABASE_URL``, SQLite by default),
seeded beforehand with ``manage.py seed_demo --scale N``; its figures are printed as they come.
"""

import argparse
import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

import django


def benchmark_names():
    return sorted(info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)]) if info.name != "__main__")


def main(argv=None):
    names = benchmark_names()
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description="Runs each benchmarks/<name>.py module's run(scale)."
    )
    parser.add_argument("--scale", type=int, default=1, help="volume factor the data was seeded with")
    parser.add_argument("--only", choices=names, help="run this benchmark only")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    selected = [args.only] if args.only else names
    if not selected:
        print("Aucun benchmark : ajoutez un module benchmarks/<nom>.py avec une fonction run(scale).")
        return 0
    for name in selected:
        print(f"## {name} (scale {args.scale})", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"benchmarks.{name}").run(args.scale)
        print(f"-- {name} : {time.perf_counter() - started:.1f} s\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
