"""``python -m benchmarks [--scale N] [--only NAME] [--no-seed]``: builds the demo at scale N in a database of
its own, then runs every benchmark module's ``run(scale)`` in turn; each prints its own figures.

The database is ``DATABASE_URL`` when set, else ``var/benchmarks.sqlite3`` (never the demo's ``db.sqlite3``).
Settings are ``config.settings.test``: no debug query log, fast password hashing, emails kept in memory.
"""

import argparse
import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
# Modules here that are not benchmarks run by this command: the load run (``make load``) and its helpers.
NOT_BENCHMARKS = {"__main__", "load", "locustfile", "stack"}


def benchmark_names():
    return sorted(
        info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)]) if info.name not in NOT_BENCHMARKS
    )


def timed(label, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    print(f"-- {label} : {time.perf_counter() - started:.1f} s\n", flush=True)
    return result


def main(argv=None):
    names = benchmark_names()
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Runs each benchmarks/<name>.py.")
    parser.add_argument("--scale", type=int, default=1, help="volume factor of the demo data (seed_demo --scale)")
    parser.add_argument("--only", choices=names, help="run this benchmark only")
    parser.add_argument("--no-seed", action="store_true", help="reuse the data already in the database")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if "DATABASE_URL" not in os.environ:
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'benchmarks.sqlite3'}"
    django.setup()
    from django.core.management import call_command

    if not args.no_seed:
        print(f"## seed_demo (scale {args.scale})", flush=True)
        call_command("migrate", verbosity=0)
        call_command("load_reference_data", verbosity=0)
        timed("seed_demo", call_command, "seed_demo", scale=args.scale, reset=True)
    for name in [args.only] if args.only else names:
        print(f"## {name} (scale {args.scale})", flush=True)
        timed(name, importlib.import_module(f"benchmarks.{name}").run, args.scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
