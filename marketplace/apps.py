from django.apps import AppConfig


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = "Offres, candidats et candidatures"

    def ready(self):
        from common import dashboard
        from marketplace import dashboard as marketplace_dashboard

        dashboard.register(marketplace_dashboard.work)
