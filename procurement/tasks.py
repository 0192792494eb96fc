"""Background jobs of procurement, queued in the database (django-tasks); ``manage.py db_worker`` runs them."""

from django_tasks import task

from procurement import services


@task()
def check_shortfalls():
    """The monthly shortfall check (``services.check_shortfalls``), queued by ``manage.py check_shortfalls
    --background`` from the production crontab; returns its counts."""
    return services.check_shortfalls()
