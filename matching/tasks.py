"""Background retraining, queued in the database (django-tasks); ``manage.py db_worker`` runs it."""

from django_tasks import task

from matching import training


@task()
def retrain_matcher(min_outcomes=training.MIN_OUTCOMES):
    """Trains a new ``MatcherModel`` version; returns it, or None while outcomes are too few."""
    try:
        model = training.train_from_database(min_outcomes=min_outcomes)
    except training.NotEnoughOutcomes:
        return None
    return model.version
