"""django-tasks-db's ``db_worker``, with the matcher's index made ready before the first job: retraining
reads it, and would otherwise build it first. This app comes before ``django_tasks_db`` in
``INSTALLED_APPS``, so ``manage.py db_worker`` is this command."""

import logging
import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from matching import index


class Command(db_worker.Command):
    help = (
        "Exécute les tâches en file d'attente (réentraînement du rapprochement…) ; l'index du rapprochement est "
        "chargé (ou construit) avant la première."
    )

    def handle(self, *args, reload=False, **options):
        # With --reload, the parent process only watches files: the child that runs jobs prepares the index.
        if not reload or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            try:
                index.prepare()
            except Exception:
                # Other jobs (the health heartbeat) still run; retraining will build the index itself.
                logging.getLogger(__name__).exception("Index de rapprochement non chargé au démarrage")
        return super().handle(*args, reload=reload, **options)
