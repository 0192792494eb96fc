from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Offres, candidats et candidatures"

    def ready(self):
        from marketplace import receivers  # noqa: F401
