from django.core.management.base import BaseCommand

from reference import services


class Command(BaseCommand):
    help = (
        "Charge les référentiels livrés dans reference/data/ : communes d'Île-de-France (INSEE / IGN via "
        "API Géo), grands domaines, métiers, appellations et compétences du ROME 4.0 (France Travail, v460), "
        "les liens métier → compétence et les métiers proches selon France Travail (mobilités). Idempotent : "
        "relancée, la commande ne crée aucun doublon et met à jour les libellés modifiés. Tout se fait dans une "
        "seule transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Calcule ce qui serait créé ou modifié, puis annule tout.",
        )

    def handle(self, *args, dry_run=False, **options):
        report = services.load_reference_data(dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
        verb = "Simulation terminée, rien n'a été écrit" if dry_run else "Référentiels chargés"
        self.stdout.write(self.style.SUCCESS(f"{verb} en {report.seconds:.1f} s."))
