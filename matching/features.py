"""Features of (candidate, position) pairs, computed for one position against a block of candidates,
one candidate against a block of positions, or aligned pairs (training); all three give the same
numbers (a test checks it). Every feature comes from ``blocks`` columns, never from personal fields.

Hard filters (who may be proposed at all) are here too, as boolean masks: they are not features.
"""

import numpy as np

EARTH_RADIUS_KM = 6371.0
# Days of availability before the start date beyond which waiting longer says nothing more.
AVAILABILITY_CAP_DAYS = 180
FULL_TIME_HOURS = 35.0

FEATURES = (
    "same_occupation",  # the position's occupation is one the candidate seeks
    "occupation_proximity",  # best proximity of a sought occupation to the position's: experts' edges first
    "sought_skill_coverage",  # IDF-weighted share of the position's skills in a sought occupation
    "declared_skill_coverage",  # IDF-weighted share of the position's skills the candidate declared
    "common_skills",  # how many of the position's skills the candidate declared
    "text_similarity",  # TF-IDF cosine of sought job titles vs the position's title and description
    "distance_km",
    "commute_share",  # distance / the candidate's maximum commute, 0 to 1 after the filter
    "availability_days",  # days available before the start date, capped
    "qualification_gap",  # levels missing to the required qualification, 0 if none required
    "french_gap",  # CECRL levels missing to the required French level
    "contract_type_mismatch",  # 1 when the candidate wishes other contract types, 0 if it fits or no wish
    "weekly_hours_gap",  # |position's weekly hours − wished hours| / 35, capped at 1; 0 with no wish
)
INDEX = {name: i for i, name in enumerate(FEATURES)}


def haversine_km(lat1, lon1, coslat1, lat2, lon2, coslat2):
    """Great-circle distance between points given in radians (with their latitude's cosine, kept in
    the blocks); in place where it can, since this runs on 100,000 rows per request."""
    a = np.sin((lat2 - lat1) * 0.5)
    a *= a
    b = np.sin((lon2 - lon1) * 0.5)
    b *= b
    b *= coslat1
    b *= coslat2
    a = a + b
    np.minimum(a, 1.0, out=a)
    np.sqrt(a, out=a)
    return 2 * EARTH_RADIUS_KM * np.arcsin(a)


def _best_per_row(padded, values):
    """Max of ``values[occupation]`` over each row's occupations (``padded``: (K, n), -1 = none), 0 if none."""
    values = np.append(values, np.float32(0)).astype(np.float32, copy=False)
    out = np.zeros(padded.shape[1], dtype=np.float32)
    for column in padded:
        np.maximum(out, values[column], out=out)
    return out


def _row_max(matrix_rows, values, fill=0.0):
    """For a CSR of candidates × occupations and ``values`` per (row, column) entry, the max per row."""
    out = np.full(matrix_rows.shape[0], fill, dtype=np.float32)
    counts = np.diff(matrix_rows.indptr)
    filled = counts > 0
    if values.size:
        out[filled] = np.maximum.reduceat(values, matrix_rows.indptr[:-1][filled])
    return out


def _wishes(wanted_types, wanted_hours, contract_type, weekly_hours):
    """How far the position is from what the candidate wishes (contract types as bit masks)."""
    mismatch = (wanted_types != 0) & ((wanted_types & contract_type) == 0)
    gap = np.where(wanted_hours > 0, np.minimum(np.abs(weekly_hours - wanted_hours) / FULL_TIME_HOURS, 1.0), 0.0)
    return mismatch, gap


def _assemble(*, same, proximity, sought, declared, common, text, km, max_km, available, start, gaps, wishes):
    # Column-major: each feature is written in one contiguous stroke.
    features = np.empty((len(km), len(FEATURES)), dtype=np.float32, order="F")
    features[:, INDEX["same_occupation"]] = same
    features[:, INDEX["occupation_proximity"]] = proximity
    features[:, INDEX["sought_skill_coverage"]] = sought
    features[:, INDEX["declared_skill_coverage"]] = declared
    features[:, INDEX["common_skills"]] = common
    features[:, INDEX["text_similarity"]] = text
    features[:, INDEX["distance_km"]] = km
    features[:, INDEX["commute_share"]] = np.minimum(km / np.maximum(max_km, 1.0), 1.0)
    features[:, INDEX["availability_days"]] = np.clip(start - available, 0, AVAILABILITY_CAP_DAYS)
    features[:, INDEX["qualification_gap"]] = gaps[0]
    features[:, INDEX["french_gap"]] = gaps[1]
    features[:, INDEX["contract_type_mismatch"]] = wishes[0]
    features[:, INDEX["weekly_hours_gap"]] = wishes[1]
    return features


def _gaps(candidate_qualification, candidate_french, required_qualification, required_french):
    qualification = np.maximum(required_qualification.astype(np.int16) - candidate_qualification, 0)
    french = np.maximum(required_french.astype(np.int16) - candidate_french, 0)
    # Qualification digits jump from 0 to 3: count levels, not digits.
    qualification = np.where((qualification > 0) & (candidate_qualification == 0), qualification - 2, qualification)
    return qualification, french


def for_position(space, candidates, position, row):
    """Features of every candidate of the block for the ``row``-th position of ``position``."""
    occupation = position.occupation[row]
    padded = candidates.padded_occupations()
    weights = space.weighted_skills[occupation].toarray().ravel()
    declared = candidates.skills @ weights / (weights.sum() or 1.0)
    common = candidates.skills @ space.skills[occupation].toarray().ravel()
    same = np.zeros(len(space.codes), dtype=np.float32)
    same[occupation] = 1.0
    return _assemble(
        same=_best_per_row(padded, same),
        proximity=_best_per_row(padded, space.proximity[:, occupation]),
        sought=_best_per_row(padded, space.coverage[:, occupation]),
        declared=declared,
        common=common,
        text=candidates.text @ position.text[row].toarray().ravel(),
        km=haversine_km(
            candidates.lat,
            candidates.lon,
            candidates.coslat,
            position.lat[row],
            position.lon[row],
            position.coslat[row],
        ),
        max_km=candidates.max_km,
        available=candidates.available,
        start=position.start[row],
        gaps=_gaps(candidates.qualification, candidates.french, position.qualification[row], position.french[row]),
        wishes=_wishes(
            candidates.contract_types, candidates.wanted_hours, position.contract_type[row], position.weekly_hours[row]
        ),
    )


def for_candidate(space, candidate, row, positions):
    """Features of the ``row``-th candidate of ``candidate`` for every position of the block."""
    sought = candidate.occupations[row].indices
    declared_skills = candidate.skills[row].T.toarray().ravel()
    totals = np.asarray(space.weighted_skills.sum(axis=1)).ravel()
    per_occupation_declared = (space.weighted_skills @ declared_skills) / np.maximum(totals, 1e-9)
    per_occupation_common = space.skills @ declared_skills
    best = lambda matrix: matrix[sought].max(axis=0) if len(sought) else np.zeros(len(space.codes))  # noqa: E731
    occupations = positions.occupation
    return _assemble(
        same=np.isin(occupations, sought).astype(np.float32),
        proximity=best(space.proximity)[occupations],
        sought=best(space.coverage)[occupations],
        declared=per_occupation_declared[occupations],
        common=per_occupation_common[occupations],
        text=np.asarray(positions.text @ candidate.text[row].T.toarray()).ravel(),
        km=haversine_km(
            candidate.lat[row],
            candidate.lon[row],
            candidate.coslat[row],
            positions.lat,
            positions.lon,
            positions.coslat,
        ),
        max_km=candidate.max_km[row],
        available=candidate.available[row],
        start=positions.start,
        gaps=_gaps(candidate.qualification[row], candidate.french[row], positions.qualification, positions.french),
        wishes=_wishes(
            candidate.contract_types[row], candidate.wanted_hours[row], positions.contract_type, positions.weekly_hours
        ),
    )


def for_pairs(space, candidates, candidate_rows, positions, position_rows):
    """Features of aligned pairs (``candidate_rows[i]``, ``position_rows[i]``), for training and evaluation."""
    c = candidates.take(candidate_rows)
    occupations = positions.occupation[position_rows]
    occ = c.occupations
    pair_of_entry = np.repeat(np.arange(len(candidate_rows)), np.diff(occ.indptr))
    entry_target = occupations[pair_of_entry]
    weights = space.weighted_skills[occupations]
    totals = np.asarray(weights.sum(axis=1)).ravel()
    return _assemble(
        same=_row_max(occ, (occ.indices == entry_target).astype(np.float32)),
        proximity=_row_max(occ, space.proximity[occ.indices, entry_target]),
        sought=_row_max(occ, space.coverage[occ.indices, entry_target]),
        declared=np.asarray(c.skills.multiply(weights).sum(axis=1)).ravel() / np.maximum(totals, 1e-9),
        common=np.asarray(c.skills.multiply(space.skills[occupations]).sum(axis=1)).ravel(),
        text=np.asarray(c.text.multiply(positions.text[position_rows]).sum(axis=1)).ravel(),
        km=haversine_km(
            c.lat,
            c.lon,
            c.coslat,
            positions.lat[position_rows],
            positions.lon[position_rows],
            positions.coslat[position_rows],
        ),
        max_km=c.max_km,
        available=c.available,
        start=positions.start[position_rows],
        gaps=_gaps(c.qualification, c.french, positions.qualification[position_rows], positions.french[position_rows]),
        wishes=_wishes(
            c.contract_types,
            c.wanted_hours,
            positions.contract_type[position_rows],
            positions.weekly_hours[position_rows],
        ),
    )


def candidate_filter(candidates, position, row, features, *, today):
    """Hard filters, one position against candidates: consent recorded, available by the start date (or
    today, for a position already started), within the candidate's maximum commute, licence if required."""
    by = max(int(position.start[row]), today.toordinal())
    mask = candidates.consent & (candidates.available <= by)
    mask &= features[:, INDEX["distance_km"]] <= candidates.max_km
    if position.licence[row]:
        mask &= candidates.licence
    return mask


def position_filter(candidate, row, positions, features, *, today):
    """The same hard filters, one candidate against positions, plus: the position is open."""
    if not candidate.consent[row]:
        return np.zeros(len(positions), dtype=bool)
    by = np.maximum(positions.start, today.toordinal())
    mask = positions.open & (candidate.available[row] <= by)
    mask &= features[:, INDEX["distance_km"]] <= candidate.max_km[row]
    if not candidate.licence[row]:
        mask &= ~positions.licence
    return mask
