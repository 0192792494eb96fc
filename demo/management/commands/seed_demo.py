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
            # The tables were just filled in bulk: give the planner their statistics (common/db.py).
            analyze(*_models_of(modules))
        self.stdout.write(self.style.SUCCESS(f"Comptes de démonstration (mot de passe « {demo.PASSWORD} ») :"))
        for local_part, *_, keys in demo.LOGINS:
            names = ", ".join(name for key, _, _, name, _ in demo.NAMED_ORGANISATIONS if key in keys)
            self.stdout.write(f"  {demo.login_email(local_part):<42} {names}")


def _models_of(modules):
    """The models of the apps whose demo modules ran (``demo.procurement`` → procurement's models)."""
    configs = {apps.app_configs.get(module.__name__.rsplit(".", 1)[-1]) for module in modules} - {None}
    return [model for config in sorted(configs, key=str) for model in config.get_models()]
