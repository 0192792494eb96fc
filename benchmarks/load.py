"""``python -m benchmarks.load`` (``make load``): the load run of issue 6, in the production shape on loopback.

It makes PostgreSQL answer (``scripts/postgres.sh``), recreates a database of its own (``--database``),
migrates, loads the reference data, seeds the demo at ``--scale`` (timed), builds the matcher's index and
collects the static files, all with ``config.settings.prod``; then starts gunicorn (``--workers``) and a
``db_worker``, and runs locust headless (``benchmarks/locustfile.py``): ``--users`` log in, then are measured
for ``--duration`` seconds. It prints requests, failures and percentiles per request and overall against
the targets (no error, p95 under 300 ms), the logins apart, writes them under ``benchmarks/results/``, and
stops every process it started, on failure and on Ctrl-C too. ``--no-seed`` reuses the database and files
of the previous run.
"""

import argparse
import csv
import datetime
import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import django
import psutil

from benchmarks.stack import BIN, ROOT, Stack, free_port, prod_environment, wait_until

TARGET_P95_MS = 300
RAMP_UP_MAX_SECONDS = 300
RESULTS = ROOT / "benchmarks" / "results"
WORK = ROOT / "var" / "load"


def timed(label, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    seconds = time.perf_counter() - started
    print(f"-- {label} : {seconds:.1f} s", flush=True)
    return result, seconds


def load_database_url(name):
    """``DATABASE_URL`` (or the server ``scripts/postgres.sh`` makes answer) with the database ``name``."""
    base = os.environ.get("DATABASE_URL")
    if not base or not base.startswith("postgres"):
        base = subprocess.run(
            ["bash", "scripts/postgres.sh"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()
    return urllib.parse.urlparse(base)._replace(path=f"/{name}").geturl()


def recreate_database(url):
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(scale):
    """Migrations, reference data, demo, matcher index, planner statistics and static files."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    timed("load_reference_data", call_command, "load_reference_data", verbosity=0)
    _, seconds = timed(f"seed_demo --scale {scale}", call_command, "seed_demo", scale=scale, verbosity=0)
    timed("build_matching_index", call_command, "build_matching_index", verbosity=0)
    # A freshly bulk-loaded database has no planner statistics yet (autovacuum would add them later).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timed("collectstatic", call_command, "collectstatic", interactive=False, clear=True, verbosity=0)
    return seconds


def plan(per_role=60, slots_per_company=60):
    """Who logs in and what they know: demo logins per role, the facilitator's, and for each company
    (source, month, hours) slots nobody has declared yet, so that concurrent declarations never collide, each
    within the rules a declaration must pass (the month within the source's and the contract's periods, the
    hours within the placement's monthly cap): a refused declaration would count as a failed request."""
    from accounts.enums import OrganisationKind as Kind
    from accounts.models import Membership
    from demo import accounts as demo
    from marketplace.models import Candidate, Position
    from procurement import rules
    from procurement.enums import ContractState
    from procurement.models import ClauseSettings, Contract, HoursSource, HoursStatement
    from procurement.services import first_of_month

    def admins(kind, **filters):
        members = Membership.objects.filter(
            organisation__in=demo.organisations().filter(kind=kind, **filters).distinct(), is_admin=True
        )
        return dict(
            members.order_by("organisation_id", "-user_id").values_list("organisation_id", "user__email")[:per_role]
        )

    in_progress = {"contract__state": ContractState.IN_PROGRESS}
    buyers = admins(Kind.BUYER, contracts__state=ContractState.IN_PROGRESS)
    contracts = Contract.objects.filter(state=ContractState.IN_PROGRESS, buyer__in=buyers)
    prescribers = admins(Kind.PRESCRIBER, candidates__isnull=False)
    candidates = Candidate.objects.consenting().filter(prescriber__in=prescribers)
    companies = admins(Kind.COMPANY, hours_sources__contract__state=ContractState.IN_PROGRESS)
    sources = list(
        HoursSource.objects.filter(company__in=companies, **in_progress)
        .exclude(starts_on=None)
        .values_list("pk", "company_id", "starts_on", "ends_on", "weekly_hours", "contract__ends_on")
    )
    taken = set(HoursStatement.objects.filter(source__in=[s[0] for s in sources]).values_list("source_id", "month"))
    current = first_of_month(datetime.date.today())
    tolerance = ClauseSettings.current().overtime_tolerance_percent
    slots = {company: [] for company in companies}
    for source, company, starts_on, ends_on, weekly, contract_end in sources:
        month = first_of_month(starts_on)
        last = min(d for d in (current, ends_on and first_of_month(ends_on), first_of_month(contract_end)) if d)
        while month <= last and len(slots[company]) < slots_per_company:
            hours = 100
            if weekly is not None:
                cap = rules.monthly_cap(
                    month=month, weekly_hours=weekly, starts_on=starts_on, ends_on=ends_on, tolerance_percent=tolerance
                )
                hours = int(cap.hours * 9 / 10)
            if (source, month) not in taken and hours > 0:
                slots[company].append((source, month.strftime("%Y-%m"), hours))
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    return {
        "password": demo.PASSWORD,
        "facilitator": demo.FACILITATOR_EMAIL,
        "open_positions": list(Position.objects.published().order_by("pk").values_list("pk", flat=True)[:500]),
        "buyers": [
            {"email": email, "contracts": list(contracts.filter(buyer=org).values_list("pk", flat=True)[:10])}
            for org, email in buyers.items()
        ],
        "companies": [{"email": email, "slots": slots[org]} for org, email in companies.items() if slots[org]],
        "prescribers": [
            {"email": email, "candidates": list(candidates.filter(prescriber=org).values_list("pk", flat=True)[:20])}
            for org, email in prescribers.items()
        ],
        "siae": list(admins(Kind.SIAE).values()),
    }


def read_stats(csv_path):
    with open(csv_path, newline="") as handle:
        return [
            {
                "name": "TOTAL" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}",
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
                "rps": float(row["Requests/s"]),
            }
            for row in csv.DictReader(handle)
            if int(row["Request Count"])  # the logins, set aside with the ramp-up, are listed empty
        ]


def table(rows, width=36):
    print(f"{'requête':<{width}} {'nombre':>7} {'échecs':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'req/s':>6}")
    for row in rows:
        print(
            f"{row['name']:<{width}} {row['requests']:>7} {row['failures']:>7} {row['p50']:>7.0f} "
            f"{row['p95']:>7.0f} {row['p99']:>7.0f} {row.get('rps', 0):>6.1f}"
        )


def report(ramp_up, rows, users, duration):
    print(f"\nMontée en charge ({ramp_up['seconds']} s) : les utilisateurs se connectent, hors mesure")
    table(ramp_up["requests"])
    print(f"\nMesure : {users} utilisateurs connectés pendant {duration} s")
    table(rows)
    total = rows[-1]
    failures = total["failures"] + sum(row["failures"] for row in ramp_up["requests"])
    no_errors, fast = failures == 0, total["p95"] < TARGET_P95_MS
    verdict = "ATTEINTE" if no_errors else "MANQUÉE"
    print(f"\nCible « aucune erreur » : {verdict} ({failures} échecs, connexions comprises)")
    print(f"Cible « p95 < {TARGET_P95_MS} ms » : {'ATTEINTE' if fast else 'MANQUÉE'} (p95 {total['p95']:.0f} ms)")
    return no_errors and fast


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--scale", type=int, default=100, help="seed_demo --scale (default 100)")
    parser.add_argument("--workers", type=int, help="gunicorn worker processes (default: gunicorn.conf.py's)")
    parser.add_argument("--database", default="passerelle_load", help="database recreated for the run")
    parser.add_argument("--no-seed", action="store_true", help="reuse the database and files of the last run")
    args = parser.parse_args(argv)

    # Ctrl-C and SIGTERM both unwind through the ``finally`` below (even when started in the background).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.default_int_handler)
    url = load_database_url(args.database)
    WORK.mkdir(parents=True, exist_ok=True)
    env = prod_environment(
        database_url=url,
        static_root=WORK / "static",
        MEDIA_ROOT=str(WORK / "media"),
        MATCHING_INDEX_DIR=str(WORK / "matching"),
        LOG_LEVEL="WARNING",
    )
    os.environ.update(env)
    started_at = datetime.datetime.now()
    figures = {"started_at": started_at.isoformat(timespec="seconds"), "arguments": vars(args)}
    if not args.no_seed:
        print(f"## base {args.database} recréée, échelle {args.scale}", flush=True)
        recreate_database(url)
    django.setup()
    if not args.no_seed:
        figures["seed_seconds"] = round(prepare(args.scale), 1)

    out = RESULTS / f"load-{started_at:%Y%m%d-%H%M%S}"
    out.mkdir(parents=True)
    plan_path = out / "plan.json"
    plan_path.write_text(json.dumps(plan()))
    stack = Stack(out)
    try:
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        stack.db_worker(worker_id="load-worker", env=env)
        stack.gunicorn(port=port, workers=args.workers, env=env)

        def healthy():
            stack.check_running("gunicorn")
            try:
                with urllib.request.urlopen(f"{host}/health/", timeout=5) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_until(healthy, timeout=120, what="gunicorn answering /health/")
        figures["gunicorn_workers"] = len(psutil.Process(stack.processes["gunicorn"].pid).children())
        print(
            f"## locust : {args.users} utilisateurs, {args.duration} s, {figures['gunicorn_workers']} workers gunicorn",
            flush=True,
        )
        locust = stack.start(
            "locust",
            [
                BIN / "locust",
                "--locustfile=benchmarks/locustfile.py",
                "--headless",
                f"--host={host}",
                f"--users={args.users}",
                f"--spawn-rate={max(1, args.users // 10)}",
                # The locustfile ends the run ``--duration`` seconds after the last login; this only bounds it.
                f"--run-time={args.duration + RAMP_UP_MAX_SECONDS}s",
                f"--csv={out / 'locust'}",
                "--only-summary",
                "--exit-code-on-error=0",
            ],
            {
                **env,
                "PASSERELLE_LOAD_PLAN": str(plan_path),
                "PASSERELLE_LOAD_DURATION": str(args.duration),
                "PASSERELLE_LOAD_RAMP_UP": str(out / "ramp_up.json"),
            },
        )
        locust.wait(timeout=args.duration + RAMP_UP_MAX_SECONDS + 60)
        if locust.returncode:
            raise RuntimeError(f"locust exited ({locust.returncode}):\n{stack.log('locust')[-3000:]}")
    finally:
        stack.stop()

    rows = read_stats(out / "locust_stats.csv")
    ramp_up = json.loads((out / "ramp_up.json").read_text())
    met = report(ramp_up, rows, args.users, args.duration)
    figures.update(targets_met=met, target_p95_ms=TARGET_P95_MS, ramp_up=ramp_up, requests=rows)
    (out / "figures.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    print(f"\nChiffres, journaux et CSV de locust : {out.relative_to(ROOT)}")
    return 0 if met else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("Interrompu : tous les processus lancés sont arrêtés.")
