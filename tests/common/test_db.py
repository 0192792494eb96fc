"""The database habits of common/db.py: statistics after bulk loads, and slow statements that fail fast
naming their SQL instead of stalling a request or the test run (PostgreSQL only: SQLite has neither)."""

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction

from common.db import analyze, chunked, raw_delete_by_keys
from reference.models import Commune, Occupation
from tests.reference.factories import OccupationFactory, SkillFactory

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@postgres_only
@pytest.mark.django_db
def test_the_test_settings_give_every_statement_a_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
    assert settings.DATABASE_STATEMENT_TIMEOUT_MS == 30_000


@postgres_only
@pytest.mark.django_db
def test_a_statement_over_the_timeout_fails_at_once_with_its_sql_in_the_message():
    with pytest.raises(OperationalError) as error, transaction.atomic(), connection.cursor() as cursor:
        # The same setting the test settings give every connection, shortened so that the test takes 0.2 s.
        cursor.execute("SET LOCAL statement_timeout = 200")
        cursor.execute("SELECT pg_sleep(5) AS slow_on_purpose")
    message = str(error.value)
    assert "statement timeout" in message
    assert "SELECT pg_sleep(5) AS slow_on_purpose" in message


@postgres_only
@pytest.mark.django_db
def test_a_statement_under_the_timeout_runs():
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 2000")
        cursor.execute("SELECT pg_sleep(0.05), 42")
        assert cursor.fetchone()[1] == 42


@postgres_only
@pytest.mark.django_db
def test_other_errors_keep_their_own_message():
    with pytest.raises(Exception) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    assert "Requête interrompue" not in str(error.value)


def _planner_rows(model):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
        return cursor.fetchone()[0]


def _communes(count):
    return Commune.objects.bulk_create(
        Commune(
            code_insee=f"9{n:04d}",
            name=f"Commune {n}",
            slug=f"c-{n}",
            department="93",
            postcodes="93000",
            latitude=48.9,
            longitude=2.4,
        )
        for n in range(count)
    )


@postgres_only
@pytest.mark.django_db
def test_analyze_gives_the_planner_the_rows_just_loaded_in_the_same_transaction():
    _communes(300)
    OccupationFactory().skills.set(SkillFactory.create_batch(3))

    analyze(Commune, Occupation)

    assert _planner_rows(Commune) == 300
    # A model's many-to-many link tables are analysed with it.
    assert _planner_rows(Occupation.skills.through) == 3


def test_chunked_keeps_every_key_once_in_order():
    keys = list(range(12_001))
    chunks = list(chunked(keys))
    assert [len(chunk) for chunk in chunks] == [5000, 5000, 2001]
    assert [key for chunk in chunks for key in chunk] == keys
    assert list(chunked([])) == []


@pytest.mark.django_db
def test_raw_delete_by_keys_deletes_exactly_the_keyed_rows():
    communes = _communes(7)
    doomed = [c.pk for c in communes[:5]]
    assert raw_delete_by_keys(Commune, "pk", doomed) == 5
    assert sorted(Commune.objects.values_list("pk", flat=True)) == sorted(c.pk for c in communes[5:])
