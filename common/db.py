"""Database habits that keep a bad query plan from stalling the site or the test run.

Two of them, both for PostgreSQL (SQLite has no statistics to lack and no statement timeout):

- ``analyze(*models)`` after every bulk load. A table filled moments ago has no planner statistics
  until autovacuum passes; on such tables PostgreSQL once chose, for the demo's reset, a plan that ran
  27 minutes for a DELETE that takes 0.3 s once analysed, and 6 minutes for one occupation's skills.
  ANALYZE reads a sample (30,000 rows a table at most): about 0.1 s for the million hour statements of
  the scale-100 demo. Inside a transaction it counts that transaction's own new rows, so a test or a
  command that loads then queries in one transaction gets the right plan too.
- ``settings.DATABASE_STATEMENT_TIMEOUT_MS`` (see ``config/settings``) makes PostgreSQL cancel a
  statement that runs too long, and ``name_cancelled_queries`` puts the statement's SQL in the error,
  so that a bad plan fails at once, saying which query, instead of hanging a request or a test run.
"""

from django.db import OperationalError, connection

# PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout (or pg_cancel_backend).
QUERY_CANCELED = "57014"
# The SQL quoted in the error, at most: enough to recognise the query, not a page of IN (...) keys.
SQL_QUOTED_CHARS = 2000


def analyze(*models):
    """Refresh PostgreSQL's planner statistics for the tables of ``models`` (and of their many-to-many
    links), on the default connection; does nothing on other databases."""
    if connection.vendor != "postgresql" or not models:
        return
    tables = []
    for model in models:
        tables.append(model._meta.db_table)
        tables.extend(field.remote_field.through._meta.db_table for field in model._meta.local_many_to_many)
    quoted = ", ".join(connection.ops.quote_name(table) for table in dict.fromkeys(tables))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {quoted}")


def name_cancelled_queries(sender, connection, **kwargs):
    """``connection_created`` receiver: wraps every statement of a PostgreSQL connection so that one
    cancelled by ``statement_timeout`` raises an error naming its SQL."""
    if connection.vendor == "postgresql" and _quote_cancelled_sql not in connection.execute_wrappers:
        connection.execute_wrappers.append(_quote_cancelled_sql)


def _quote_cancelled_sql(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != QUERY_CANCELED:
            raise
        quoted = sql if len(sql) <= SQL_QUOTED_CHARS else sql[:SQL_QUOTED_CHARS] + " […]"
        raise OperationalError(f"{error} Requête interrompue : {quoted}") from error


# Keys in one ``IN (...)`` list at most: under SQLite's 32,766 parameters and psycopg's 65,535 a statement.
KEYS_PER_STATEMENT = 5000


def chunked(keys, size=KEYS_PER_STATEMENT):
    """``keys`` (any iterable) in lists of at most ``size``."""
    keys = list(keys)
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def keys_of(queryset, field="pk"):
    """The values of ``field`` in ``queryset``, as a list: collected first, so that the statements built on
    them are plain ``IN (1, 2, …)`` lists on an indexed column, never subqueries nested in subqueries whose
    plan depends on statistics."""
    return list(queryset.values_list(field, flat=True))


def raw_delete_by_keys(model, field, keys):
    """``DELETE FROM model WHERE field IN (keys)``, a chunk of keys a statement, without Django's collector
    (which loads every row to follow its links): only for rows nothing else points to, or whose dependents
    are deleted first. Returns the number of rows deleted."""
    deleted = 0
    for chunk in chunked(keys):
        deleted += model.objects.filter(**{f"{field}__in": chunk})._raw_delete(model.objects.db)
    return deleted
