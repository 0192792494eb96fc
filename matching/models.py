"""What the matcher stores: trained models (their version, metrics and estimator). The log of changed
candidates and positions that every process's in-memory index replays is the marketplace's
(``marketplace.changes``)."""

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
