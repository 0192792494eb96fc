"""The marketplace's change log: which candidates and positions changed, for the apps built on it.

The matcher ranks candidates for positions from an index each process holds in memory; it must learn of
every change to what it reads (a candidate's record, jobs and skills, a position's fields and state),
however the change was made. The marketplace sits below the matcher and may not call it, and signals
miss bulk writes (an import's ``bulk_create`` sends none). So each write path of the marketplace calls
one of these functions, in its transaction, and the matcher replays the log (``matching.index``).
"""

from marketplace.models import Change


def _record(kind, ids):
    Change.objects.bulk_create(Change(kind=kind, object_id=pk) for pk in dict.fromkeys(ids))


def candidates_changed(ids):
    """Candidates created, edited, anonymised or deleted."""
    _record(Change.Kind.CANDIDATE, ids)


def positions_changed(ids):
    """Positions created, edited, opened, filled, closed or deleted."""
    _record(Change.Kind.POSITION, ids)


def everything_changed():
    """Rows loaded or deleted in bulk: readers rebuild from the tables rather than replay each row."""
    Change.objects.create(kind=Change.Kind.EVERYTHING, object_id=0)
