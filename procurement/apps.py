from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = "Marchés et heures d'insertion"

    def ready(self):
        from common import dashboard
        from procurement import dashboard as procurement_dashboard

        dashboard.register(procurement_dashboard.work)
