from django.core.management.base import BaseCommand
from django.db import transaction

from procurement import services
from procurement.tasks import check_shortfalls


class Command(BaseCommand):
    help = (
        "Vérifie chaque marché en cours : quand la projection au rythme actuel manque plus de "
        "SHORTFALL_ALERT_PERCENT % des heures dues, le donneur d'ordre, les entreprises attributaires et le "
        "facilitateur sont prévenus, une fois par mois au plus. En production, une fois par mois : "
        "« manage.py check_shortfalls --background » met la vérification en file pour « manage.py db_worker »."
    )

    def add_arguments(self, parser):
        parser.add_argument("--background", action="store_true", help="Met la vérification en file d'attente.")
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien enregistrer ni envoyer.")

    def handle(self, *, background, dry_run, **options):
        if background:
            result = check_shortfalls.enqueue()
            self.stdout.write(f"Vérification des marchés mise en file (tâche {result.id}).")
            return
        with transaction.atomic():
            counts = services.check_shortfalls()
            if dry_run:
                transaction.set_rollback(True)
        prefix = "[simulation] " if dry_run else ""
        self.stdout.write(prefix + ", ".join(f"{label} : {count}" for label, count in counts.items()) + ".")
