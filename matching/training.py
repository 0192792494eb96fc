"""Training the learned scorer on past submission outcomes: hired = 1, refused at any stage = 0;
pending and withdrawn ones say nothing about fit and are left out.

Logistic regression and histogram gradient boosting are both fitted on the older 80 % of outcomes
and compared on the newest 20 % (a time-based hold-out: the model is always used on the future);
the better by ROC AUC is refitted on everything and stored as a new ``MatcherModel`` version.
"""

import time

import numpy as np
from django.db.models import Max
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from marketplace.enums import SubmissionState
from marketplace.models import Submission
from matching import index as matching_index
from matching.features import FEATURES, for_pairs
from matching.models import MatcherModel
from matching.scoring import dump_estimator

HOLDOUT_SHARE = 0.2
# Fewer outcomes than this (or a single class on either side of the cut) and the content score stays.
MIN_OUTCOMES = 100
ALGORITHMS = {
    "logistic_regression": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, C=1.0)),
    "hist_gradient_boosting": lambda: HistGradientBoostingClassifier(
        max_iter=200, learning_rate=0.1, max_leaf_nodes=31, l2_regularization=1.0, random_state=0
    ),
}


class NotEnoughOutcomes(Exception):
    pass


def time_split(times, holdout_share=HOLDOUT_SHARE):
    """Boolean mask of the training rows: those before the time at the (1 − share) quantile."""
    order = np.argsort(times, kind="stable")
    train = np.zeros(len(times), dtype=bool)
    train[order[: int(round(len(times) * (1 - holdout_share)))]] = True
    return train


def outcomes():
    """(candidate ids, position ids, labels, times as POSIX seconds) of decided submissions, oldest first."""
    rows = list(
        Submission.objects.filter(state__in=[SubmissionState.HIRED, SubmissionState.REFUSED])
        .order_by("created_at", "pk")
        .values_list("candidate_id", "position_id", "state", "created_at")
    )
    return (
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
        np.array([r[2] == SubmissionState.HIRED for r in rows], dtype=np.int8),
        np.array([r[3].timestamp() for r in rows], dtype=np.float64),
    )


def pair_features(index, candidate_ids, position_ids):
    """Features of the pairs whose candidate and position are both in the index, and the mask of those."""
    candidates = matching_index.live_block(index.candidates)
    positions = matching_index.live_block(index.positions)
    crows, cfound = matching_index.rows_of(candidates, candidate_ids)
    prows, pfound = matching_index.rows_of(positions, position_ids)
    kept = cfound & pfound
    return for_pairs(index.space, candidates, crows[kept], positions, prows[kept]), kept


def _metrics(y, probabilities):
    return {
        "roc_auc": round(float(roc_auc_score(y, probabilities)), 4),
        "average_precision": round(float(average_precision_score(y, probabilities)), 4),
        "log_loss": round(float(log_loss(y, probabilities, labels=[0, 1])), 4),
    }


# One OpenMP thread: on a shared machine, gradient boosting with a thread per core was 25 times slower
# (10 s instead of 0.4 s on 442 rows) as soon as another process kept the cores busy.
@threadpool_limits.wrap(limits=1)
def fit_and_compare(X, y, times, *, min_outcomes=MIN_OUTCOMES):
    """Fits every algorithm on the older rows, measures it on the newer, refits the best on all rows.
    Returns (algorithm name, fitted estimator, metrics dict, train size, hold-out size)."""
    train = time_split(times)
    if len(y) < min_outcomes or len(set(y[train])) < 2 or len(set(y[~train])) < 2:
        raise NotEnoughOutcomes(
            f"{len(y)} candidatures décidées (embauche ou refus) : il en faut au moins {min_outcomes}, "
            "avec des embauches et des refus avant et après la date de coupure."
        )
    metrics = {}
    for name, make in ALGORITHMS.items():
        started = time.perf_counter()
        estimator = make().fit(X[train], y[train])
        metrics[name] = _metrics(y[~train], estimator.predict_proba(X[~train])[:, 1])
        metrics[name]["fit_seconds"] = round(time.perf_counter() - started, 2)
    chosen = max(ALGORITHMS, key=lambda name: metrics[name]["roc_auc"])
    metrics["chosen"] = chosen
    metrics["positive_share"] = round(float(y.mean()), 4)
    return chosen, ALGORITHMS[chosen]().fit(X, y), metrics, int(train.sum()), int((~train).sum())


def train_from_database(*, min_outcomes=MIN_OUTCOMES):
    """Trains on every decided submission and stores the result as the next ``MatcherModel`` version."""
    index = matching_index.current()
    candidate_ids, position_ids, labels, times = outcomes()
    X, kept = pair_features(index, candidate_ids, position_ids)
    chosen, estimator, metrics, train_size, holdout_size = fit_and_compare(
        X, labels[kept], times[kept], min_outcomes=min_outcomes
    )
    # Two trainings at once: the unique version makes the second fail rather than overwrite.
    version = (MatcherModel.objects.aggregate(n=Max("version"))["n"] or 0) + 1
    return MatcherModel.objects.create(
        version=version,
        algorithm=chosen,
        training_size=train_size,
        holdout_size=holdout_size,
        metrics=metrics,
        feature_names=list(FEATURES),
        estimator=dump_estimator(estimator),
    )
