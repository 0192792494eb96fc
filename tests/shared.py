"""Rows a whole test module shares instead of rebuilding them for each test.

``module_rows(build)`` is a module-scoped fixture: ``build()`` runs once, in a transaction rolled back when the
module is done; each test then runs in a savepoint inside it (pytest-django's ``db``), so what a test writes
vanishes after it and the next test finds the shared rows as they were built. The objects it returns are shared:
tests read them, and reload what they change (``refresh_from_db``) rather than trusting their attributes.

Mark the module ``pytest.mark.xdist_group(<its name>)`` (``--dist loadgroup``): its tests then run on one worker,
and the rows are built once instead of once per visit of a worker to the module.
"""

import pytest
from django.db import transaction


def module_rows(build):
    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            yield build()
            transaction.set_rollback(True)

    fixture.__doc__ = build.__doc__
    return fixture
