"""Matcher benchmark (issue 5): ranking 100,000 candidates for a position (ranking alone, then the whole
API call), positions for a candidate among 20,000 open ones, training on 200,000 past submissions,
peak memory. Targets: < 50 ms, < 300 ms, < 20 ms, < 2 min, < 1 GB.

It runs in a temporary in-memory SQLite database (migrated, with the real ROME data loaded) and leaves
the configured database alone. Candidates and positions are synthetic, built straight into index
blocks; only the position and the caller the API needs are rows. Training labels come from a hidden
rule of their own (a per-candidate employability, the occupation and distance, noise), as in the demo.
"""

import resource
import statistics
import time

import numpy as np
from django.db import connection
from django.test.utils import override_settings, setup_test_environment
from rest_framework.test import APIClient
from scipy import sparse
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

CANDIDATES = 100_000
POSITIONS = 20_000
SUBMISSIONS = 200_000
RUNS = 30
SEED = 2026


def _ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def _timed(function, runs=RUNS):
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), sorted(durations)[int(len(durations) * 0.95) - 1]


def _peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _coordinates(rng, n):
    """Around Paris: latitude 48.82-48.90, longitude 2.25-2.42 (radians)."""
    latitudes, longitudes = rng.uniform(48.82, 48.90, n), rng.uniform(2.25, 2.42, n)
    return np.radians(latitudes).astype(np.float32), np.radians(longitudes).astype(np.float32)


def _texts(space, rng, occupation_rows, job_titles):
    documents = [
        " ".join(job_titles[space.codes[o]][rng.integers(len(job_titles[space.codes[o]]))] for o in occs)
        for occs in occupation_rows
    ]
    return normalize(space.vectorizer.transform(documents)).astype(np.float32).tocsr()


def synthetic_candidates(space, rng, n, job_titles):
    from matching.blocks import Block

    sought = [rng.choice(len(space.codes), size=rng.integers(1, 4), replace=False) for _ in range(n)]
    occ_rows = np.repeat(np.arange(n), [len(s) for s in sought])
    occupations = sparse.csr_matrix(
        (np.ones(len(occ_rows), np.float32), (occ_rows, np.concatenate(sought))), shape=(n, len(space.codes))
    )
    skill_rows, skill_cols = [], []
    for i, occs in enumerate(sought):
        own = space.skills[occs[0]].indices
        picked = rng.choice(own, size=min(len(own), 10), replace=False) if len(own) else []
        skill_rows.extend([i] * len(picked))
        skill_cols.extend(picked)
    skills = sparse.csr_matrix(
        (np.ones(len(skill_rows), np.float32), (skill_rows, skill_cols)), shape=(n, len(space.skill_ids))
    )
    lat, lon = _coordinates(rng, n)
    today = np.datetime64("today").astype(object).toordinal()
    return Block(
        ids=np.arange(1, n + 1, dtype=np.int64),
        prescriber=rng.integers(1, 50, n).astype(np.int64),
        consent=rng.random(n) < 0.95,
        lat=lat,
        lon=lon,
        coslat=np.cos(lat),
        max_km=rng.choice([5, 10, 15, 30], n).astype(np.float32),
        available=(today + rng.integers(-200, 60, n)).astype(np.int32),
        licence=rng.random(n) < 0.4,
        qualification=rng.choice([0, 3, 4, 5, 6], n).astype(np.int8),
        french=rng.integers(0, 7, n).astype(np.int8),
        # A third of the candidates wish one or two contract types (bits), a quarter some weekly hours.
        contract_types=np.where(rng.random(n) < 0.33, rng.integers(1, 64, n), 0).astype(np.int16),
        wanted_hours=np.where(rng.random(n) < 0.25, rng.choice([20, 24, 28, 35], n), 0).astype(np.float32),
        occupations=occupations,
        skills=skills,
        text=_texts(space, rng, sought, job_titles),
    ), sought


def synthetic_positions(space, rng, n, job_titles):
    from matching.blocks import Block

    occupation = rng.integers(0, len(space.codes), n).astype(np.int32)
    lat, lon = _coordinates(rng, n)
    today = np.datetime64("today").astype(object).toordinal()
    return Block(
        ids=np.arange(1, n + 1, dtype=np.int64),
        open=np.ones(n, dtype=bool),
        company=rng.integers(1, 200, n).astype(np.int64),
        occupation=occupation,
        lat=lat,
        lon=lon,
        coslat=np.cos(lat),
        start=(today + rng.integers(0, 90, n)).astype(np.int32),
        licence=rng.random(n) < 0.2,
        qualification=rng.choice([-1, -1, 3, 4], n).astype(np.int8),
        french=rng.choice([-1, 2, 3], n).astype(np.int8),
        contract_type=(1 << rng.integers(0, 6, n)).astype(np.int16),
        weekly_hours=rng.choice([20, 24, 35, 39], n).astype(np.float32),
        text=_texts(space, rng, [[o] for o in occupation], job_titles),
    )


def _database_rows():
    """The position the API ranks for (id 1 of the synthetic block) and a facilitator with a token."""
    from knox.models import AuthToken

    from accounts.enums import OrganisationKind
    from accounts.models import Membership, Organisation, User
    from marketplace.models import Position
    from procurement.models import Contract
    from reference.models import Commune, JobTitle

    def organisation(kind, n):
        return Organisation.objects.create(kind=kind, name=f"Bench {kind}", siret=f"{n:014d}")

    buyer, company = organisation(OrganisationKind.BUYER, 1), organisation(OrganisationKind.COMPANY, 2)
    facilitator = organisation(OrganisationKind.FACILITATOR, 3)
    user = User.objects.create_user("bench@example.test", "x")
    Membership.objects.create(user=user, organisation=facilitator, is_admin=True)
    contract = Contract.objects.create(
        buyer=buyer, reference="BENCH", title="Bench", sector="building", amount_excl_vat=1
    )
    Position.objects.create(
        contract=contract,
        company=company,
        job_title=JobTitle.objects.filter(occupation_id="F1703").first(),
        commune=Commune.objects.get(code_insee="75119"),
        contract_type="cdd",
        weekly_hours=35,
        start_date=np.datetime64("today").astype(object),
        state="open",
        created_by=user,
    )
    return AuthToken.objects.create(user=user)[1]


def _training_set(space, candidates, sought, positions, rng):
    """Past submissions with outcomes from a hidden rule the features only partly see."""
    from matching.features import for_pairs

    crows = rng.integers(0, len(candidates), SUBMISSIONS)
    prows = rng.integers(0, len(positions), SUBMISSIONS)
    employability = rng.normal(size=len(candidates))
    same = np.array([positions.occupation[p] in sought[c] for c, p in zip(crows, prows, strict=True)])
    started = time.perf_counter()
    X = for_pairs(space, candidates, crows, positions, prows)
    featurising = time.perf_counter() - started
    km = X[:, 6]
    hidden = employability[crows] + 1.2 * same - 0.05 * km + rng.normal(scale=0.8, size=SUBMISSIONS)
    return X, (hidden > 1.0).astype(np.int8), np.arange(SUBMISSIONS, dtype=float), featurising


def run(scale):
    from marketplace.models import Change
    from matching import engine, training
    from matching import index as matching_index
    from matching.occupations import build_space
    from reference.models import JobTitle
    from reference.services import load_reference_data

    print(
        f"Volumes fixes (cibles de l'issue 5), --scale {scale} sans effet : {CANDIDATES} candidats, "
        f"{POSITIONS} offres, {SUBMISSIONS} candidatures passées."
    )
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        load_reference_data()
        space = build_space()
        print(
            f"Référentiels ROME chargés et espace des métiers construit : {time.perf_counter() - started:.1f} s "
            f"({len(space.codes)} métiers)."
        )
        job_titles = {}
        for code, label in JobTitle.objects.values_list("occupation_id", "label"):
            job_titles.setdefault(code, []).append(label)
        rng = np.random.default_rng(SEED)
        started = time.perf_counter()
        candidates, sought = synthetic_candidates(space, rng, CANDIDATES, job_titles)
        positions = synthetic_positions(space, rng, POSITIONS, job_titles)
        print(f"Blocs synthétiques construits : {time.perf_counter() - started:.1f} s.")
        token = _database_rows()
        seen = max(Change.objects.values_list("pk", flat=True), default=0)
        index = matching_index.MatchingIndex(space, candidates, positions, seen_upto=seen, fingerprint=None)
        matching_index.install(index)

        median, p95 = _timed(lambda: engine.rank_candidates(1, limit=20))
        print(f"Classer {CANDIDATES} candidats pour une offre : médiane {_ms(median)}, p95 {_ms(p95)} (cible < 50 ms)")
        median, p95 = _timed(lambda: engine.rank_candidates(1, limit=20, prescriber_id=7))
        print(f"  … limité au vivier d'un prescripteur : médiane {_ms(median)}, p95 {_ms(p95)}")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            assert client.get("/api/v1/positions/1/matches/?limit=20").status_code == 200
            median, p95 = _timed(lambda: client.get("/api/v1/positions/1/matches/?limit=20"))
        print(
            f"Appel API complet GET /api/v1/positions/1/matches/?limit=20 : médiane {_ms(median)}, "
            f"p95 {_ms(p95)} (cible < 300 ms)"
        )
        ids = iter(rng.integers(1, CANDIDATES, RUNS * 2))
        median, p95 = _timed(lambda: engine.rank_positions(int(next(ids)), limit=20))
        print(
            f"Offres pour un candidat parmi {POSITIONS} ouvertes : médiane {_ms(median)}, "
            f"p95 {_ms(p95)} (cible < 20 ms)"
        )

        X, y, times, featurising = _training_set(space, candidates, sought, positions, rng)
        started = time.perf_counter()
        chosen, estimator, metrics, train_size, holdout_size = training.fit_and_compare(X, y, times)
        fitting = time.perf_counter() - started
        print(
            f"Entraînement sur {SUBMISSIONS} candidatures : variables {featurising:.1f} s "
            "+ comparaison et réentraînement "
            f"{fitting:.1f} s = {featurising + fitting:.1f} s (cible < 2 min) ; retenu {chosen}"
        )
        for name in training.ALGORITHMS:
            m = metrics[name]
            print(
                f"  {name:<24} AUC {m['roc_auc']:.3f}  précision moyenne {m['average_precision']:.3f}  "
                f"ajustement {m['fit_seconds']} s"
            )
        with threadpool_limits(limits=1):
            median, p95 = _timed(
                lambda: engine.rank_candidates(1, limit=20, scorer=lambda f: estimator.predict_proba(f)[:, 1])
            )
        print(
            f"Classer {CANDIDATES} candidats avec le modèle appris ({chosen}) : médiane {_ms(median)}, p95 {_ms(p95)}"
        )
        print(f"Mémoire maximale du processus (RSS) : {_peak_rss_mb():.0f} Mo (cible < 1 024 Mo)")
    finally:
        matching_index.reset()
        connection.creation.destroy_test_db(old_name, verbosity=0)
