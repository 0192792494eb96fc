"""What the matcher stores: trained models (their version, metrics and estimator) and the log of
changed candidates and positions that every process's in-memory index replays."""

from django.db import models
from django.utils import timezone


class MatcherModelQuerySet(models.QuerySet):
    def latest_trained(self):
        return self.order_by("-version").first()


class MatcherModel(models.Model):
    """A scikit-learn estimator trained on past submission outcomes (hired = 1, refused = 0)."""

    version = models.PositiveIntegerField("version", unique=True)
    trained_at = models.DateTimeField("entraîné le", default=timezone.now)
    algorithm = models.CharField("algorithme", max_length=100)
    training_size = models.PositiveIntegerField("nombre de candidatures d'entraînement")
    holdout_size = models.PositiveIntegerField("nombre de candidatures de validation")
    # {"<algorithm>": {"roc_auc": ..., "average_precision": ..., "log_loss": ...}, ..., "chosen": "<algorithm>"}
    metrics = models.JSONField("mesures", default=dict)
    feature_names = models.JSONField("variables", default=list)
    # joblib dump of the fitted estimator; a few hundred kilobytes at most.
    estimator = models.BinaryField("modèle sérialisé")

    objects = MatcherModelQuerySet.as_manager()

    class Meta:
        verbose_name = "modèle de rapprochement"
        verbose_name_plural = "modèles de rapprochement"
        ordering = ["-version"]

    def __str__(self):
        return f"Modèle v{self.version} ({self.algorithm}, {self.trained_at:%d/%m/%Y})"


class IndexChange(models.Model):
    """One candidate or position whose index row must be rebuilt. Signals write it; each process
    replays the rows newer than the last it saw, so every worker's index follows the database."""

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", "Candidat"
        POSITION = "position", "Offre"

    kind = models.CharField("nature", max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField("identifiant")
    changed_at = models.DateTimeField("modifié le", default=timezone.now)

    class Meta:
        verbose_name = "modification à indexer"
        verbose_name_plural = "modifications à indexer"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_kind_display()} n° {self.object_id}"
