"""Candidates and positions as column blocks (numpy arrays and CSR matrices, one row each).

The loaders read an explicit list of fields, and only those: sex, birth date, eligibility criteria,
situation and names are never fetched, so no feature can depend on them (``tests/matching`` proves
the scores do not move when they change).
"""

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize

from marketplace.enums import ContractType, PositionState
from marketplace.models import Candidate

# The only candidate and position fields the matcher reads.
CANDIDATE_FIELDS = (
    "id",
    "prescriber_id",
    "consent_at",
    "commune__latitude",
    "commune__longitude",
    "max_commute_km",
    "available_from",
    "driving_licence",
    "qualification_level",
    "french_level",
    "wanted_contract_types",
    "wanted_weekly_hours",
)
POSITION_FIELDS = (
    "id",
    "state",
    "company_id",
    "job_title__occupation_id",
    "job_title__label",
    "description",
    "commune__latitude",
    "commune__longitude",
    "start_date",
    "driving_licence",
    "qualification_level",
    "french_level",
    "contract_type",
    "weekly_hours",
)
NO_REQUIREMENT = -1
# Contract types as bits, so a candidate's wishes are one integer (0: no wish, anything suits).
CONTRACT_TYPE_BIT = {value: 1 << i for i, value in enumerate(ContractType.values)}


def contract_types_mask(values):
    mask = 0
    for value in values or ():
        mask |= CONTRACT_TYPE_BIT.get(value, 0)
    return mask


def level(value):
    """Qualification and French levels are ordered digits ("0" to "6"); blank means no requirement."""
    return int(value) if value not in ("", None) else NO_REQUIREMENT


class Block:
    """Named columns of equal length: 1-D arrays or CSR matrices. Rows are taken and stacked together."""

    def __init__(self, **columns):
        self.columns = columns
        self._padded = None

    def __getattr__(self, name):
        try:
            return self.__dict__["columns"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __len__(self):
        return len(self.columns["ids"])

    def padded_occupations(self):
        """The candidates' sought occupations as a (K, n) array of positions, -1 past a row's own:
        K gathers are faster than a ``reduceat`` over the CSR (computed once per block)."""
        if self._padded is None:
            occupations = self.columns["occupations"]
            counts = np.diff(occupations.indptr)
            padded = np.full((counts.max(initial=0), len(counts)), -1, dtype=np.int32)
            for k in range(padded.shape[0]):
                has = counts > k
                padded[k, has] = occupations.indices[occupations.indptr[:-1][has] + k]
            self._padded = padded
        return self._padded

    def take(self, rows):
        return Block(**{name: column[rows] for name, column in self.columns.items()})

    @staticmethod
    def concat(first, second):
        def stack(a, b):
            return sparse.vstack([a, b], format="csr") if sparse.issparse(a) else np.concatenate([a, b])

        return Block(**{name: stack(column, second.columns[name]) for name, column in first.columns.items()})


def _place(latitudes, longitudes):
    """Radians in float32 (under a metre of error at Paris's latitude, and twice as fast to compute on)."""
    lat = np.radians(np.asarray(latitudes, dtype=np.float32))
    return {"lat": lat, "lon": np.radians(np.asarray(longitudes, dtype=np.float32)), "coslat": np.cos(lat)}


def _indicator(rows, cols, shape):
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=shape)
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    return matrix


def _texts(space, documents):
    if not documents:
        return sparse.csr_matrix((0, len(space.vectorizer.vocabulary_)), dtype=np.float32)
    return normalize(space.vectorizer.transform(documents)).astype(np.float32).tocsr()


def candidate_block(space, queryset):
    """One row per candidate of ``queryset``: three queries whatever its size."""
    rows = list(queryset.order_by("pk").values_list(*CANDIDATE_FIELDS))
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    row_of = {pk: i for i, pk in enumerate(ids)}
    titles = Candidate.job_titles.through.objects.filter(candidate__in=queryset.values("pk")).values_list(
        "candidate_id", "jobtitle__occupation_id", "jobtitle__label"
    )
    occ_rows, occ_cols, documents = [], [], [[] for _ in ids]
    for candidate_id, code_rome, label in titles:
        if code_rome in space.position_of:
            occ_rows.append(row_of[candidate_id])
            occ_cols.append(space.position_of[code_rome])
        documents[row_of[candidate_id]].append(label)
    skill_rows, skill_cols = [], []
    links = Candidate.skills.through.objects.filter(candidate__in=queryset.values("pk")).values_list(
        "candidate_id", "skill_id"
    )
    for candidate_id, skill_id in links:
        if skill_id in space.skill_position_of:
            skill_rows.append(row_of[candidate_id])
            skill_cols.append(space.skill_position_of[skill_id])
    return Block(
        ids=ids,
        prescriber=np.array([r[1] for r in rows], dtype=np.int64),
        consent=np.array([r[2] is not None for r in rows], dtype=bool),
        **_place([r[3] for r in rows], [r[4] for r in rows]),
        max_km=np.array([r[5] for r in rows], dtype=np.float32),
        available=np.array([r[6].toordinal() for r in rows], dtype=np.int32),
        licence=np.array([r[7] for r in rows], dtype=bool),
        qualification=np.array([level(r[8]) for r in rows], dtype=np.int8),
        french=np.array([level(r[9]) for r in rows], dtype=np.int8),
        contract_types=np.array([contract_types_mask(r[10]) for r in rows], dtype=np.int16),
        wanted_hours=np.array([r[11] or 0 for r in rows], dtype=np.float32),
        occupations=_indicator(occ_rows, occ_cols, (len(ids), len(space.codes))),
        skills=_indicator(skill_rows, skill_cols, (len(ids), len(space.skill_ids))),
        text=_texts(space, [" ".join(d) for d in documents]),
    )


def position_block(space, queryset):
    """One row per position of ``queryset``, in one query."""
    rows = list(queryset.order_by("pk").values_list(*POSITION_FIELDS))
    return Block(
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        open=np.array([r[1] == PositionState.OPEN for r in rows], dtype=bool),
        company=np.array([r[2] for r in rows], dtype=np.int64),
        occupation=np.array([space.position_of.get(r[3], -1) for r in rows], dtype=np.int32),
        **_place([r[6] for r in rows], [r[7] for r in rows]),
        start=np.array([r[8].toordinal() for r in rows], dtype=np.int32),
        licence=np.array([r[9] for r in rows], dtype=bool),
        qualification=np.array([level(r[10]) for r in rows], dtype=np.int8),
        french=np.array([level(r[11]) for r in rows], dtype=np.int8),
        contract_type=np.array([CONTRACT_TYPE_BIT.get(r[12], 0) for r in rows], dtype=np.int16),
        weekly_hours=np.array([float(r[13]) for r in rows], dtype=np.float32),
        text=_texts(space, [f"{r[4]} {r[5]}" for r in rows]),
    )
