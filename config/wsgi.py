"""The WSGI application, loaded once per process: by each gunicorn worker (``gunicorn config.wsgi``) and by
``runserver`` (``WSGI_APPLICATION``) before either listens for requests."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
application = get_wsgi_application()


def prepare_matching_index():
    """The matcher's index is made ready now, so that the first proposals page answers as fast as the next
    ones. Should it fail (a database not migrated yet), the first page that needs it tries again."""
    from django.db import connections

    from matching import index

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


prepare_matching_index()
