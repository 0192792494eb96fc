from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Helpers every app may use (database, files, API errors); it imports none of the project's apps."""

    name = "common"
    verbose_name = "Outils communs"

    def ready(self):
        from django.db.backends.signals import connection_created

        from common import db

        connection_created.connect(db.name_cancelled_queries, dispatch_uid="common_name_cancelled_queries")
