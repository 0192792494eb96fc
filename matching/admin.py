from django.contrib import admin

from matching.models import MatcherModel


@admin.register(MatcherModel)
class MatcherModelAdmin(admin.ModelAdmin):
    """Trained versions, read-only: ``train_matcher`` writes them."""

    list_display = ["version", "algorithm", "trained_at", "training_size", "holdout_size"]
    exclude = ["estimator"]
    readonly_fields = [
        "version",
        "algorithm",
        "trained_at",
        "training_size",
        "holdout_size",
        "metrics",
        "feature_names",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
