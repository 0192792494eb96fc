"""Seeds the Paris demo: organisations and people first, then each app's own demo data."""

import importlib
import importlib.util
import random

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from faker import Faker

from common.db import analyze
from demo import accounts as demo
from procurement import services as procurement_services
from reference.models import Commune

SEED = 2026
# Each of these modules has ``seed(*, scale, rng, faker) -> dict of counts`` and may have ``reset()``;
# apps not written yet are skipped.
DEMO_MODULES = ["demo.accounts", "demo.procurement", "demo.marketplace"]


class Command(BaseCommand):
    help = (
        "Crée les données de démonstration (déterministes). Si elles existent déjà, ne fait rien : "
        "--reset les supprime puis les recrée."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Facteur de volume (1 : démo, 100 : benchmarks).")
        parser.add_argument("--reset", action="store_true", help="Supprime d'abord les données de démonstration.")

    def handle(self, *, scale, reset, **options):
        if scale < 1:
            raise CommandError("--scale doit être un entier positif.")
        if not Commune.objects.paris_arrondissements().exists():
            raise CommandError(
                "Les arrondissements de Paris manquent : lancez d'abord « manage.py load_reference_data »."
            )
        modules = [importlib.import_module(name) for name in DEMO_MODULES if importlib.util.find_spec(name)]
        with transaction.atomic():
            if reset:
                for module in reversed(modules):
                    if hasattr(module, "reset"):
                        module.reset()
            if demo.exists():
                self.stdout.write("Les données de démonstration existent déjà : rien à faire (--reset les recrée).")
            else:
                rng, faker = random.Random(SEED), Faker("fr_FR")
                faker.seed_instance(SEED)
                for module in modules:
                    counts = module.seed(scale=scale, rng=rng, faker=faker)
                    summary = ", ".join(f"{count} {label}" for label, count in counts.items())
                    self.stdout.write(f"{module.__name__} : {summary}")
                # The worker's monthly shortfall check (a crontab line in production) has run on these contracts,
                # as it does every month: those falling behind show at risk and their parties have been told.
                counts = procurement_services.check_shortfalls()
                summary = ", ".join(f"{count} {label}" for label, count in counts.items())
                self.stdout.write(f"vérification mensuelle des retards : {summary}")
            # The tables were just filled in bulk: give the planner their statistics (common/db.py).
            analyze(*_models_of(modules))
        self.stdout.write(self.style.SUCCESS(f"Comptes de démonstration (mot de passe « {demo.PASSWORD} ») :"))
        for local_part, *_, keys in demo.LOGINS:
            names = ", ".join(name for key, _, _, name, _ in demo.NAMED_ORGANISATIONS if key in keys)
            self.stdout.write(f"  {demo.login_email(local_part):<42} {names}")


# The apps whose tables each demo module fills.
FILLED_APPS = {
    "demo.accounts": ["accounts"],
    "demo.procurement": ["procurement"],
    "demo.marketplace": ["marketplace", "notifications"],
}


def _models_of(modules):
    """The models of the apps whose tables the demo modules that ran filled."""
    labels = sorted({label for module in modules for label in FILLED_APPS.get(module.__name__, [])})
    return [model for label in labels for model in apps.get_app_config(label).get_models()]
