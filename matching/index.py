"""The matcher's index: the occupation space and the candidate and position blocks, built once,
persisted under ``settings.MATCHING_INDEX_DIR`` and held in memory by each process.

Changes arrive through the marketplace's change log (``marketplace.changes``, a ``Change`` row per
changed candidate or position, written by every write path). Before answering, a process replays the rows
it has not seen yet (one query when nothing changed): the changed objects'
old rows are masked out and their new rows appended to a small delta block; once the delta grows past
``COMPACT_AFTER`` rows it is merged into the main block. Nothing is recomputed whole per request.
"""

import datetime
import logging
import threading
import time
from pathlib import Path

import joblib
import numpy as np
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from marketplace.models import Candidate, Change, Position
from matching.blocks import Block, candidate_block, position_block
from matching.occupations import build_space, reference_fingerprint

logger = logging.getLogger(__name__)

SNAPSHOT_NAME = "index.joblib"
SNAPSHOT_FORMAT = 4
COMPACT_AFTER = 500
# A transaction may commit a ``Change`` with a lower id after a process read higher ones:
# changes this recent are read again (and applied once) to never miss one.
REPLAY_WINDOW = datetime.timedelta(minutes=5)


class Table:
    """A main block, the rows of it that are out of date, and a delta block of fresh rows."""

    def __init__(self, main):
        self.main = main
        self.stale = np.zeros(len(main), dtype=bool)
        self.delta = main.take(np.arange(0))

    def blocks(self):
        """(block, live mask) pairs to search."""
        return [(self.main, ~self.stale), (self.delta, np.ones(len(self.delta), dtype=bool))]

    def replace(self, ids, fresh):
        """Masks the rows of ``ids`` and appends their fresh rows (``ids`` missing from ``fresh`` were deleted)."""
        ids = np.asarray(ids, dtype=np.int64)
        self.stale |= np.isin(self.main.ids, ids)
        keep = ~np.isin(self.delta.ids, ids)
        self.delta = Block.concat(self.delta.take(np.flatnonzero(keep)), fresh)
        if len(self.delta) > COMPACT_AFTER:
            self.compact()

    def compact(self):
        self.main = Block.concat(self.main.take(np.flatnonzero(~self.stale)), self.delta)
        self.stale = np.zeros(len(self.main), dtype=bool)
        self.delta = self.main.take(np.arange(0))

    def row(self, pk):
        """(block, row) holding the live row of object ``pk``, or ``(None, None)``: a scan of the ids,
        tens of microseconds for 100,000 rows."""
        for block, live in reversed(self.blocks()):
            rows = np.flatnonzero((block.ids == pk) & live)
            if len(rows):
                return block, int(rows[0])
        return None, None

    def __len__(self):
        return int((~self.stale).sum()) + len(self.delta)


class MatchingIndex:
    def __init__(self, space, candidates, positions, *, seen_upto, fingerprint, applied=None):
        self.space = space
        self.candidates = Table(candidates)
        self.positions = Table(positions)
        self.seen_upto = seen_upto
        self.fingerprint = fingerprint
        self.applied = applied or {}  # Change id -> changed_at, within the replay window
        self.lock = threading.Lock()

    def sync(self):
        """Replays the changes this process has not applied yet."""
        since = timezone.now() - REPLAY_WINDOW
        changes = list(
            Change.objects.filter(pk__gt=self.seen_upto).values_list("pk", "kind", "object_id", "changed_at")
            | Change.objects.filter(changed_at__gte=since).values_list("pk", "kind", "object_id", "changed_at")
        )
        fresh = [change for change in changes if change[0] not in self.applied]
        if not fresh:
            return
        if any(kind == Change.Kind.EVERYTHING for _, kind, _, _ in fresh):
            self.take_over(build())  # a bulk load or deletion: the tables, not the log, say what is there
            return
        with self.lock:
            for kind, table, loader, model in (
                (Change.Kind.CANDIDATE, self.candidates, candidate_block, Candidate),
                (Change.Kind.POSITION, self.positions, position_block, Position),
            ):
                ids = sorted({object_id for _, k, object_id, _ in fresh if k == kind})
                if ids:
                    table.replace(ids, loader(self.space, model.objects.filter(pk__in=ids)))
            self.applied.update((pk, at) for pk, _, _, at in fresh)
            self.applied = {pk: at for pk, at in self.applied.items() if at >= since}
            self.seen_upto = max(self.seen_upto, max(pk for pk, *_ in fresh))

    def take_over(self, other):
        """Becomes ``other`` (a fresh build), in place: callers holding this index see the new one."""
        with self.lock:
            self.space, self.candidates, self.positions = other.space, other.candidates, other.positions
            self.seen_upto, self.fingerprint, self.applied = other.seen_upto, other.fingerprint, other.applied

    def save(self, directory):
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for table in (self.candidates, self.positions):
            table.compact()
        payload = {
            "format": SNAPSHOT_FORMAT,
            "space": self.space,
            "candidates": self.candidates.main,
            "positions": self.positions.main,
            "seen_upto": self.seen_upto,
            "fingerprint": self.fingerprint,
            "applied": self.applied,
        }
        temporary = directory / f"{SNAPSHOT_NAME}.tmp"
        joblib.dump(payload, temporary)
        temporary.replace(directory / SNAPSHOT_NAME)

    @classmethod
    def load(cls, directory):
        payload = joblib.load(Path(directory) / SNAPSHOT_NAME)
        if payload.get("format") != SNAPSHOT_FORMAT:
            raise ValueError("format d'index périmé")
        return cls(
            payload["space"],
            payload["candidates"],
            payload["positions"],
            seen_upto=payload["seen_upto"],
            fingerprint=payload["fingerprint"],
            applied=payload["applied"],
        )


def database_fingerprint():
    """Counts and highest ids of the indexed tables and reference data: a snapshot whose fingerprint
    differs, with nothing logged since, was taken before a change the log does not hold (reference data
    reloaded, rows written outside the marketplace's services)."""
    candidates = Candidate.objects.aggregate(n=Max("pk"))["n"], Candidate.objects.count()
    positions = Position.objects.aggregate(n=Max("pk"))["n"], Position.objects.count()
    return (*candidates, *positions, *reference_fingerprint())


def build():
    """Builds the whole index from the database (a few queries, seconds for 100,000 candidates)."""
    seen_upto = Change.objects.aggregate(n=Max("pk"))["n"] or 0
    # The recent changes the rows read below already include: not to be replayed.
    applied = dict(
        Change.objects.filter(pk__lte=seen_upto, changed_at__gte=timezone.now() - REPLAY_WINDOW).values_list(
            "pk", "changed_at"
        )
    )
    fingerprint = database_fingerprint()
    space = build_space()
    return MatchingIndex(
        space,
        candidate_block(space, Candidate.objects.all()),
        position_block(space, Position.objects.all()),
        seen_upto=seen_upto,
        fingerprint=fingerprint,
        applied=applied,
    )


_current = None
_current_lock = threading.Lock()


def rebuild(directory=None):
    """Builds, saves and installs a fresh index (``build_matching_index``); prunes the change rows it holds
    that are over a day old (the matcher is the change log's only reader)."""
    global _current
    index = build()
    index.save(directory or settings.MATCHING_INDEX_DIR)
    Change.objects.filter(pk__lte=index.seen_upto, changed_at__lt=timezone.now() - datetime.timedelta(days=1)).delete()
    with _current_lock:
        _current = index
    return index


def current():
    """The process's index, synced with the database: loaded from disk, or built (and saved) when
    the snapshot is missing or older than bulk changes."""
    global _current
    with _current_lock:
        if _current is None:
            _current = _load_or_build()
    _current.sync()
    return _current


def prepare():
    """Makes the process's index ready before it serves anything: loaded from the snapshot, or built and
    saved when there is none or it is out of date. Web processes call it as they start (``config/wsgi.py``,
    which ``runserver`` and every gunicorn worker load before their first request), and so does the task
    worker (``manage.py db_worker``): without it, the first proposals page waited for a build (10 s on the
    demo's dev server). Returns the index."""
    started = time.perf_counter()
    index = current()
    logger.info(
        "Index de rapprochement prêt en %.1f s : %d métiers, %d candidats, %d offres.",
        time.perf_counter() - started,
        len(index.space.codes),
        len(index.candidates),
        len(index.positions),
    )
    return index


def install(index):
    """Makes ``index`` the process's index (benchmarks install a synthetic one)."""
    global _current
    with _current_lock:
        _current = index


def reset():
    install(None)


def _load_or_build():
    directory = Path(settings.MATCHING_INDEX_DIR)
    try:
        index = MatchingIndex.load(directory)
    except (FileNotFoundError, ValueError, EOFError) as exc:
        logger.info("Index de rapprochement absent ou illisible (%s) : reconstruction.", exc)
    else:
        if index.fingerprint == _fingerprint_after(index):
            return index
        logger.info("Index de rapprochement antérieur à des créations en masse : reconstruction.")
    index = build()
    index.save(directory)
    return index


def _fingerprint_after(index):
    """The database fingerprint the snapshot should see, once its own change log is accounted for:
    when changes were logged since, they explain the difference, so they are replayed instead."""
    if Change.objects.filter(pk__gt=index.seen_upto).exists():
        return index.fingerprint
    return database_fingerprint()


def live_block(table):
    """The live rows of a table as one block sorted by id, for bulk lookups (training, evaluation)."""
    block = Block.concat(table.main.take(np.flatnonzero(~table.stale)), table.delta)
    return block.take(np.argsort(block.ids, kind="stable"))


def rows_of(block, ids):
    """Rows of ``ids`` in a sorted block, and a mask of the ids found."""
    ids = np.asarray(ids, dtype=np.int64)
    rows = np.clip(np.searchsorted(block.ids, ids), 0, max(len(block) - 1, 0))
    found = (block.ids[rows] == ids) if len(block) else np.zeros(len(ids), dtype=bool)
    return rows, found
