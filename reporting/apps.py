from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """Reports that read both contracts and placements: above procurement and the marketplace."""

    name = "reporting"
    verbose_name = "Rapports"
