"""gunicorn's settings, read from the working directory by ``gunicorn config.wsgi`` (which loads
``config.settings.prod``). The command line or ``GUNICORN_CMD_ARGS`` override any of them."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, one request each at a time: the usual two per core plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
accesslog = "-"
# The serving worker's pid in each line shows how requests spread over the processes; %(M)s is milliseconds.
access_log_format = '%(h)s %(p)s "%(r)s" %(s)s %(b)s %(M)sms'


def post_worker_init(worker):
    """Loads the matcher's index (``MATCHING_INDEX_DIR``) as the worker starts: the first proposals page it
    serves would otherwise wait seconds for it. Should it fail, that first page tries again."""
    from matching import index

    try:
        index.current()
    except Exception:
        worker.log.exception("Index de rapprochement non chargé au démarrage")
