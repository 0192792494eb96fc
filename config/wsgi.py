"""The WSGI application, loaded once per process: by each gunicorn worker (``gunicorn config.wsgi``) and by
``runserver`` (``WSGI_APPLICATION``) before either listens for requests."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()


def prepare():
    """The first request answers as fast as the next ones: the URLconf and every view module it names are
    imported now (2 s on a busy 2-core machine: pandas, matplotlib, DRF...; ``runserver``'s system checks
    did it, gunicorn did not) and the matcher's index is made ready. Should the index fail (a database not
    migrated yet), the first page that needs it tries again."""
    from django.db import connections
    from django.urls import get_resolver

    from matching import index

    get_resolver().url_patterns  # noqa: B018 (the import is the point)
    try:
        index.prepare()
    except Exception:
        logging.getLogger(__name__).exception("Index de rapprochement non chargé au démarrage")
    finally:
        # The connection opened here belongs to no request: closed, each request opens its own (a test
        # importing this module inside its transaction keeps it).
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()


prepare()
