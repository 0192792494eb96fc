"""The task queue's waiting jobs, run in the test's own process and transaction as ``db_worker`` runs them
(its ``--batch`` mode closes the database connection between jobs, which only transactional tests survive)."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

WORKER = Worker(
    queue_names=["*"],
    interval=0,
    batch=True,
    backend_name="default",
    startup_delay=False,
    max_tasks=None,
    worker_id="tests",
    excluded_queue_names=[],
)


def run_queued_jobs():
    """Runs every job ready now, failures included (recorded as ``db_worker`` records them); returns how many."""
    ran = 0
    while (job := DBTaskResult.objects.ready().get_locked()) is not None:
        job.claim(WORKER.worker_id)
        WORKER.run_task(job)
        ran += 1
    return ran
