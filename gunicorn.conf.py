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
# Each worker makes the matcher's index ready as it loads the application (config/wsgi.py), before it
# accepts a request; ``preload_app`` stays off, so that no database connection is shared across a fork.
