from django.core.management.base import BaseCommand

from matching import index as matching_index


class Command(BaseCommand):
    help = (
        "Reconstruit l'index du rapprochement (métiers, candidats, offres) et l'enregistre dans "
        "MATCHING_INDEX_DIR. À lancer après un chargement en masse (référentiels, démo, import)."
    )

    def handle(self, **options):
        index = matching_index.rebuild()
        self.stdout.write(
            f"Index reconstruit : {len(index.space.codes)} métiers, {len(index.candidates)} candidats, "
            f"{len(index.positions)} offres."
        )
