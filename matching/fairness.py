"""Does the matcher put some groups forward less than the pool it draws from would suggest?

For each open position, the top-k proposals are compared with every candidate passing the hard
filters (the eligible pool for that position); counts are summed per ROME broad domain (first letter
of the code). A group whose share among proposals is under 0.8 times its share in the pool is
flagged (the "four-fifths rule" of adverse impact). Sex and birth date are read here, for this
measure only: the features never read them.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from marketplace.enums import Sex
from marketplace.models import Candidate, Position
from matching import engine
from reference.models import OccupationDomain

DEFAULT_K = 10
FLAG_BELOW = 0.8
PAGE_MAX_POSITIONS = 300
AGE_BANDS = (("moins de 26 ans", 0, 26), ("26 à 49 ans", 26, 50), ("50 ans et plus", 50, 200))
GROUPS = ("Femmes",) + tuple(label for label, _, _ in AGE_BANDS)


@dataclass
class GroupLine:
    group: str
    pool_share: float
    top_share: float

    @property
    def ratio(self):
        return self.top_share / self.pool_share if self.pool_share else None

    @property
    def flagged(self):
        return self.ratio is not None and self.ratio < FLAG_BELOW


@dataclass
class DomainLine:
    code: str
    label: str
    positions: int = 0
    pool: int = 0
    top: int = 0
    groups: list = field(default_factory=list)

    @property
    def flagged(self):
        return any(line.flagged for line in self.groups)


def _groups_of(people, today):
    """Candidate id → the groups it belongs to."""
    out = {}
    for pk, sex, birth_date in people:
        age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
        band = next(label for label, low, high in AGE_BANDS if low <= age < high)
        out[pk] = {band, "Femmes"} if sex == Sex.FEMALE else {band}
    return out


def report(*, k=DEFAULT_K, max_positions=None, today=None):
    """One ``DomainLine`` per broad domain with open positions, most recent positions first."""
    today = today or timezone.localdate()
    positions = (
        Position.objects.published().order_by("-created_at", "-pk").values_list("pk", "job_title__occupation_id")
    )
    if max_positions:
        positions = positions[:max_positions]
    per_position = []
    for position_id, code_rome in positions:
        _, _, scored = engine.candidate_pool(position_id, today=today)
        pool = np.concatenate([block.ids[rows] for block, rows, _, _ in scored]) if scored else np.zeros(0)
        top = [int(block.ids[row]) for block, row, _, _ in engine.top(scored, k)]
        per_position.append((code_rome[0], pool.astype(np.int64).tolist(), top))
    people = {pk for _, pool, _ in per_position for pk in pool}
    groups = _groups_of(
        Candidate.objects.filter(pk__in=people).values_list("pk", "sex", "birth_date").iterator(), today
    )
    counts = defaultdict(lambda: {"positions": 0, "pool": defaultdict(int), "top": defaultdict(int), "n": [0, 0]})
    for domain, pool, top in per_position:
        entry = counts[domain]
        entry["positions"] += 1
        for key, members in (("pool", pool), ("top", top)):
            entry["n"][key == "top"] += len(members)
            for pk in members:
                for group in groups.get(pk, ()):
                    entry[key][group] += 1
    labels = dict(OccupationDomain.objects.values_list("code", "label"))
    lines = []
    for domain in sorted(counts):
        entry = counts[domain]
        pool_size, top_size = entry["n"]
        lines.append(
            DomainLine(
                code=domain,
                label=labels.get(domain, domain),
                positions=entry["positions"],
                pool=pool_size,
                top=top_size,
                groups=[
                    GroupLine(
                        group=group,
                        pool_share=entry["pool"][group] / pool_size if pool_size else 0.0,
                        top_share=entry["top"][group] / top_size if top_size else 0.0,
                    )
                    for group in GROUPS
                ],
            )
        )
    return lines
