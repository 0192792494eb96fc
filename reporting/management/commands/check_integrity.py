"""Lists every row breaking a rule of the hours and of the people (``procurement.integrity``,
``marketplace.integrity``), with counts per rule; exits with status 1 when there is any. What a facilitator
runs after an import or a migration. Here, in reporting, above both apps it reads (the rules stay in each app's
``integrity`` module)."""

import datetime
import itertools
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from marketplace import integrity as people
from procurement import integrity as ledger


class Command(BaseCommand):
    help = (
        "Vérifie que chaque ligne de la base respecte les règles des heures et des personnes ; liste les "
        "anomalies par règle et finit en erreur s'il y en a."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=20, help="Anomalies affichées par règle au plus (toutes sont comptées)."
        )

    def handle(self, *, limit, **options):
        today = datetime.date.today()
        counts = Counter()
        for violation in itertools.chain(ledger.violations(today), people.violations(today)):
            counts[violation.rule] += 1
            if counts[violation.rule] <= limit:
                self.stdout.write(f"[{violation.rule}] {violation.row} : {violation.message}")
        if not counts:
            self.stdout.write(self.style.SUCCESS("Aucune anomalie : chaque ligne respecte les règles."))
            return
        self.stdout.write("")
        for rule, count in counts.most_common():
            self.stdout.write(f"{count:>8}  {rule}")
        total = sum(counts.values())
        raise CommandError(
            f"{total} anomalie{'s' if total > 1 else ''} pour {len(counts)} règle{'s' if len(counts) > 1 else ''}."
        )
