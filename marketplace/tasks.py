"""Background jobs of the marketplace, queued in the database (django-tasks); ``manage.py db_worker`` runs them."""

from django_tasks import task

from marketplace import imports


@task()
def run_candidate_import(job_id):
    """A large candidate import (``imports.queue_import``); returns its state."""
    return imports.run_import(job_id).state
