"""Measuring the matcher (``evaluate_matcher``) on what happened, not on what it believes.

Ranking: outcomes are split in time (``training.time_split``); the learned models are fitted on the
older part only. For each position with a hire among the newer outcomes, every candidate passing the
hard filters is ranked (those submitted at the time included) and the hired ones are the relevant
answers: precision@k, recall@k, nDCG@k and MRR, for the content score, both learned models and two
baselines (random; same occupation first, nearest first).

Close occupations:
- "experts": France Travail's close occupations of each occupation are the relevant answers. The
  content-based similarity alone is judged against them: that figure is honest, since it never reads
  them (nDCG@10 ≈ 0.36 on the full ROME). The production ranking (``proximity``: the experts' targets
  first) is printed beside it: near 1 by construction, it only shows that the lists are used;
- "structure": a blend of skills and texts only, against the ROME's own grouping (relevant = the other
  occupations of the same professional domain, the code's first 3 characters);
- "held-out skills": each occupation's skills are split in two halves at random; the production blend
  is computed from one half (with texts and structure), and judged against the 10 nearest occupations
  by the other half.
"""

import numpy as np
from scipy import sparse
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from matching import engine, training
from matching import index as matching_index
from matching.features import INDEX
from matching.occupations import SIMILARITY_WEIGHTS, blend, occupation_documents, similarity_parts, structure_similarity
from matching.scoring import content_score

KS = (5, 10, 20)
TOP = max(KS)


def ranking_metrics(rankings, ks=KS):
    """``rankings``: list of (ranked ids, set of relevant ids) → {"P@5": ..., "MRR": ...}, averaged."""
    totals = dict.fromkeys([f"{m}@{k}" for k in ks for m in ("P", "R", "nDCG")] + ["MRR"], 0.0)
    discounts = 1 / np.log2(np.arange(2, max(ks) + 2))
    for ranked, relevant in rankings:
        hits = np.array([pk in relevant for pk in ranked], dtype=float)
        for k in ks:
            top = hits[:k]
            totals[f"P@{k}"] += top.sum() / k
            totals[f"R@{k}"] += top.sum() / len(relevant)
            ideal = discounts[: min(len(relevant), k)].sum()
            totals[f"nDCG@{k}"] += (top * discounts[: len(top)]).sum() / ideal
        first = np.flatnonzero(hits)
        totals["MRR"] += 1 / (first[0] + 1) if len(first) else 0.0
    return {name: value / max(len(rankings), 1) for name, value in totals.items()}


def baselines(rng):
    return {
        "aléatoire": lambda features: rng.random(len(features)),
        # Same occupation first, then nearest: what a person would do with a spreadsheet.
        "même métier, le plus proche": lambda features: (
            features[:, INDEX["same_occupation"]] * 1000 - features[:, INDEX["distance_km"]]
        ),
    }


def evaluate_ranking(*, max_positions=None, seed=0):
    """{scorer name: metrics} and a summary dict (sizes, cut date, positions evaluated)."""
    index = matching_index.current()
    candidate_ids, position_ids, labels, times = training.outcomes()
    X, kept = training.pair_features(index, candidate_ids, position_ids)
    candidate_ids, position_ids, labels, times = candidate_ids[kept], position_ids[kept], labels[kept], times[kept]
    train = training.time_split(times)
    if len(labels) < training.MIN_OUTCOMES or len(set(labels[train])) < 2:
        raise training.NotEnoughOutcomes(f"{len(labels)} candidatures décidées : trop peu pour évaluer.")
    scorers = {"score de contenu": content_score}
    for name, make in training.ALGORITHMS.items():
        with threadpool_limits(limits=1):  # see ``training.fit_and_compare``
            estimator = make().fit(X[train], labels[train])
        scorers[f"appris : {name}"] = lambda features, e=estimator: e.predict_proba(features)[:, 1]
    scorers.update(baselines(np.random.default_rng(seed)))
    relevant = {}
    for candidate, position, label in zip(candidate_ids[~train], position_ids[~train], labels[~train], strict=True):
        if label:
            relevant.setdefault(int(position), set()).add(int(candidate))
    evaluated = sorted(relevant)[:max_positions] if max_positions else sorted(relevant)
    rankings = {name: [] for name in scorers}
    for position in evaluated:
        _, _, scored = engine.candidate_pool(position, include_submitted=True, scorer=content_score)
        if not scored:
            continue
        ids = np.concatenate([block.ids[rows] for block, rows, _, _ in scored])
        features = np.concatenate([feats[rows] for _, rows, _, feats in scored])
        for name, scorer in scorers.items():
            order = np.argsort(-np.asarray(scorer(features)), kind="stable")[:TOP] if len(ids) else []
            rankings[name].append(([int(ids[i]) for i in order], relevant[position]))
    summary = {
        "outcomes": len(labels),
        "train": int(train.sum()),
        "holdout": int((~train).sum()),
        "hired_share": float(labels.mean()),
        "positions": len(evaluated),
    }
    return {name: ranking_metrics(r) for name, r in rankings.items()}, summary


def _neighbour_rankings(similarity, relevant_sets, k=TOP):
    scores = similarity.astype(np.float64).copy()
    np.fill_diagonal(scores, -np.inf)
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return [(list(order[i]), relevant_sets[i]) for i in range(len(order)) if relevant_sets[i]]


def evaluate_similar(*, seed=0):
    """{judgement: {method: metrics}} for the similar occupations (see the module docstring)."""
    space = matching_index.current().space
    rng = np.random.default_rng(seed)
    codes = space.codes
    texts = normalize(space.vectorizer.transform(occupation_documents(codes)))
    weighted = space.skills.multiply(space.idf[None, :]).tocsr()
    parts = similarity_parts(weighted, texts)
    parts["structure"] = structure_similarity(codes)
    random_scores = rng.random((len(codes), len(codes)))
    prefix = np.array([c[:3] for c in codes])
    same_domain = [set(np.flatnonzero(prefix == prefix[i])) - {i} for i in range(len(codes))]
    expert_targets = [set(space.expert_targets(i)) for i in range(len(codes))]
    results = {
        "listes des experts de France Travail (métiers proches)": {
            "contenu seul (mélange de production)": _neighbour_rankings(space.similarity, expert_targets),
            "compétences seules": _neighbour_rankings(
                blend(parts, {"skills": 1, "texts": 0, "structure": 0}), expert_targets
            ),
            "textes seuls": _neighbour_rankings(
                blend(parts, {"skills": 0, "texts": 1, "structure": 0}), expert_targets
            ),
            "aléatoire": _neighbour_rankings(random_scores, expert_targets),
            "production : experts puis contenu": _neighbour_rankings(space.proximity, expert_targets),
        },
        "structure ROME (domaine professionnel)": {
            "compétences + textes": _neighbour_rankings(
                blend(parts, {"skills": 0.625, "texts": 0.375, "structure": 0}), same_domain
            ),
            "compétences seules": _neighbour_rankings(
                blend(parts, {"skills": 1, "texts": 0, "structure": 0}), same_domain
            ),
            "textes seuls": _neighbour_rankings(blend(parts, {"skills": 0, "texts": 1, "structure": 0}), same_domain),
            "aléatoire": _neighbour_rankings(random_scores, same_domain),
        },
    }
    # Held-out skills: a random half of each occupation's skill links builds, the other half judges.
    links = space.skills.tocoo()
    half = rng.random(len(links.data)) < 0.5

    def part(mask):
        matrix = sparse.csr_matrix((links.data[mask], (links.row[mask], links.col[mask])), shape=space.skills.shape)
        return matrix.multiply(space.idf[None, :]).tocsr()

    built = similarity_parts(part(half), texts)
    built["structure"] = parts["structure"]
    judge = normalize(part(~half))
    judge_similarity = (judge @ judge.T).toarray()
    np.fill_diagonal(judge_similarity, -np.inf)
    nearest = np.argsort(-judge_similarity, axis=1)[:, :10]
    truth = [set(row) for row in nearest]
    results["compétences mises de côté (10 plus proches)"] = {
        "mélange de production": _neighbour_rankings(blend(built), truth),
        "compétences (moitié) seules": _neighbour_rankings(
            blend(built, {"skills": 1, "texts": 0, "structure": 0}), truth
        ),
        "structure seule": _neighbour_rankings(
            blend(built, {"skills": 0, "texts": 0, "structure": 1}) + 1e-3 * random_scores, truth
        ),
        "aléatoire": _neighbour_rankings(random_scores, truth),
    }
    return {judgement: {m: ranking_metrics(r) for m, r in methods.items()} for judgement, methods in results.items()}, {
        "occupations": len(codes),
        "with_experts": sum(1 for targets in expert_targets if targets),
        "weights": SIMILARITY_WEIGHTS,
    }
