from django.core.management.base import BaseCommand, CommandError

from matching import training
from matching.tasks import retrain_matcher


class Command(BaseCommand):
    help = (
        "Entraîne le modèle de rapprochement sur les candidatures passées (embauche = 1, refus = 0), compare "
        "régression logistique et gradient boosting sur les 20 % les plus récentes et enregistre le meilleur "
        "comme nouvelle version. --background le met en file pour « manage.py db_worker »."
    )

    def add_arguments(self, parser):
        parser.add_argument("--background", action="store_true", help="Met l'entraînement en file d'attente.")
        parser.add_argument("--min-outcomes", type=int, default=training.MIN_OUTCOMES)

    def handle(self, *, background, min_outcomes, **options):
        if background:
            result = retrain_matcher.enqueue(min_outcomes=min_outcomes)
            self.stdout.write(f"Entraînement mis en file (tâche {result.id}).")
            return
        try:
            model = training.train_from_database(min_outcomes=min_outcomes)
        except training.NotEnoughOutcomes as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Modèle v{model.version} : {model.algorithm}, {model.training_size} candidatures d'entraînement, "
            f"{model.holdout_size} de validation."
        )
        for name in training.ALGORITHMS:
            metrics = model.metrics[name]
            self.stdout.write(
                f"  {name:<24} AUC {metrics['roc_auc']:.3f}  précision moyenne {metrics['average_precision']:.3f}"
                f"  log-loss {metrics['log_loss']:.3f}  ({metrics['fit_seconds']} s)"
            )
        self.stdout.write(self.style.SUCCESS(f"Retenu : {model.metrics['chosen']}."))
