"""Ranking: candidates for a position, positions for a candidate. Hard filters first, then the active
scorer on what is left, then reasons for the top rows only. Nothing here knows about HTTP."""

from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from marketplace.models import EligibilityCheck, Submission
from matching import features as F
from matching import index as matching_index
from matching.reasons import from_ordinal, reasons
from matching.scoring import active_scorer


@dataclass
class Proposal:
    object_id: int
    score: float
    features: np.ndarray = field(repr=False)
    reasons: list


class Eligibility:
    """Shown next to a proposal, never used to rank it."""

    ELIGIBLE = "eligible"
    PENDING = "pending"
    EXPIRED = "expired"
    LABELS = {ELIGIBLE: "Éligible", PENDING: "Éligibilité à vérifier", EXPIRED: "Éligibilité expirée ou refusée"}


def eligibility_flags(candidate_ids, today=None):
    """Candidate id → ``Eligibility`` value, in one query."""
    today = today or timezone.localdate()
    flags = dict.fromkeys(candidate_ids, Eligibility.PENDING)
    for check in EligibilityCheck.objects.filter(candidate_id__in=flags).only(
        "candidate_id", "is_eligible", "checked_at", "valid_until"
    ):
        if check.is_valid_on(today):
            flags[check.candidate_id] = Eligibility.ELIGIBLE
        elif flags[check.candidate_id] != Eligibility.ELIGIBLE:
            flags[check.candidate_id] = Eligibility.EXPIRED
    return flags


def top(scored, limit):
    """``scored``: (block, rows, scores of those rows, features of every row of the block) per block →
    the ``limit`` best as (block, row, score, features of that row), best first."""
    if not scored:
        return []
    which = np.concatenate([np.full(len(rows), i) for i, (_, rows, _, _) in enumerate(scored)])
    rows = np.concatenate([rows for _, rows, _, _ in scored])
    scores = np.concatenate([scores for _, _, scores, _ in scored])
    best = np.argpartition(-scores, limit - 1)[:limit] if len(scores) > limit else np.arange(len(scores))
    # Ties by id, so that the order never depends on how the index happens to be laid out.
    ids = np.array([scored[w][0].ids[r] for w, r in zip(which[best], rows[best], strict=True)], dtype=np.int64)
    best = best[np.lexsort((ids, -scores[best]))]
    return [(scored[which[i]][0], rows[i], float(scores[i]), scored[which[i]][3][rows[i]]) for i in best]


def _score(scorer, features, rows):
    """A linear scorer is cheaper on every row than a copy of the kept ones; a model is not."""
    if getattr(scorer, "scores_every_row", False):
        return scorer(features)[rows]
    return scorer(features[rows])


def candidate_pool(position_id, *, prescriber_id=None, today=None, include_submitted=False, scorer=None):
    """Candidates passing the hard filters for a position, scored: ``(position block, row, scored)``
    with ``scored`` a list of (candidate block, rows, scores, features); ``(None, None, [])`` if unknown.
    From every pool, or from ``prescriber_id``'s only; ``include_submitted`` keeps those already
    submitted (the evaluation ranks past positions)."""
    today = today or timezone.localdate()
    index = matching_index.current()
    position, prow = index.positions.row(position_id)
    if position is None:
        return None, None, []
    scorer = scorer or active_scorer()
    excluded = (
        ()
        if include_submitted
        else list(Submission.objects.filter(position_id=position_id).values_list("candidate_id", flat=True))
    )
    scored = []
    for block, live in index.candidates.blocks():
        if not len(block):
            continue
        mask = live.copy()
        if prescriber_id is not None:
            mask &= block.prescriber == prescriber_id
        if len(excluded):
            mask &= ~np.isin(block.ids, excluded)
        feats = F.for_position(index.space, block, position, prow)
        mask &= F.candidate_filter(block, position, prow, feats, today=today)
        rows = np.flatnonzero(mask)
        scored.append((block, rows, _score(scorer, feats, rows), feats))
    return position, prow, scored


def rank_candidates(position_id, *, limit=20, today=None, **pool_options):
    """The ``limit`` best candidates for a position (see ``candidate_pool`` for the options)."""
    today = today or timezone.localdate()
    position, prow, scored = candidate_pool(position_id, today=today, **pool_options)
    if position is None or limit <= 0:
        return []
    licence = bool(position.licence[prow])
    return [
        Proposal(
            object_id=int(block.ids[row]),
            score=score,
            features=feats,
            reasons=reasons(
                feats, available_from=from_ordinal(block.available[row]), licence_required=licence, today=today
            ),
        )
        for block, row, score, feats in top(scored, limit)
    ]


def rank_positions(candidate_id, *, limit=20, today=None, include_submitted=False, scorer=None):
    """The open positions that fit a candidate best (none without consent)."""
    today = today or timezone.localdate()
    index = matching_index.current()
    candidate, crow = index.candidates.row(candidate_id)
    if candidate is None or limit <= 0:
        return []
    scorer = scorer or active_scorer()
    excluded = (
        ()
        if include_submitted
        else list(Submission.objects.filter(candidate_id=candidate_id).values_list("position_id", flat=True))
    )
    available_from = from_ordinal(candidate.available[crow])
    scored = []
    for block, live in index.positions.blocks():
        if not len(block):
            continue
        mask = live & block.open
        if len(excluded):
            mask &= ~np.isin(block.ids, excluded)
        feats = F.for_candidate(index.space, candidate, crow, block)
        mask &= F.position_filter(candidate, crow, block, feats, today=today)
        rows = np.flatnonzero(mask)
        scored.append((block, rows, _score(scorer, feats, rows), feats))
    return [
        Proposal(
            object_id=int(block.ids[row]),
            score=score,
            features=feats,
            reasons=reasons(
                feats,
                available_from=available_from,
                licence_required=bool(block.licence[row]),
                today=today,
                distance_phrase="à {km} km du domicile",
            ),
        )
        for block, row, score, feats in top(scored, limit)
    ]


class Origin:
    """Where a close occupation comes from, shown next to it."""

    EXPERTS = "france_travail"
    CONTENT = "competences"
    LABELS = {EXPERTS: "métier proche selon France Travail", CONTENT: "compétences proches"}


@dataclass
class CloseOccupation:
    code_rome: str
    label: str
    origin: str  # an ``Origin`` value
    rank: int | None  # France Travail's order for the experts' targets, None for the others
    score: float  # the matcher's occupation proximity (``OccupationSpace.proximity``)

    @property
    def origin_label(self):
        return Origin.LABELS[self.origin]


def close_occupations(codes, *, k=10):
    """The ``k`` occupations closest to ``codes`` (one occupation, or the several a candidate seeks; those
    excluded): the experts' targets first, in France Travail's order (rank by rank across ``codes``, in
    their order), then the content-based neighbours, most similar first."""
    space = matching_index.current().space
    rows = [space.position_of[code] for code in dict.fromkeys(codes) if code in space.position_of]
    if not rows or k <= 0:
        return []
    score = space.proximity[rows].max(axis=0)
    ranks = space.experts[rows].toarray().astype(np.int32)
    # Rank of the first of ``codes`` naming it, as one sortable number: rank, then which of ``codes``.
    order = np.where(ranks > 0, ranks * len(rows) + np.arange(len(rows))[:, None], np.iinfo(np.int32).max).min(axis=0)
    score[rows] = -np.inf
    k = min(k, len(score) - len(rows))
    if k <= 0:
        return []
    best = np.argpartition(-score, k - 1)[:k]
    best = best[np.lexsort((space.codes[best], order[best], -score[best]))]
    is_expert = order[best] < np.iinfo(np.int32).max
    return [
        CloseOccupation(
            code_rome=str(space.codes[j]),
            label=space.labels[j],
            origin=Origin.EXPERTS if expert else Origin.CONTENT,
            rank=int(order[j] // len(rows)) if expert else None,
            score=float(score[j]),
        )
        for j, expert in zip(best, is_expert, strict=True)
    ]


def is_known_occupation(code_rome):
    return code_rome in matching_index.current().space.position_of
