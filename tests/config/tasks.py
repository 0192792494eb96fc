"""A job for the production-shape test, importable by ``db_worker`` processes like the project's own."""

import os
import time

from django_tasks import task


@task(takes_context=True)
def record_run(context, path, seconds=0.3):
    """Appends the job's id and the running process's pid to ``path``: the file tells who ran each job, and
    how many times. It lasts ``seconds`` so that a second worker has jobs left to take."""
    time.sleep(seconds)
    with open(path, "a") as log:
        log.write(f"{context.task_result.id} {os.getpid()}\n")
