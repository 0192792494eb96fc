import datetime

import numpy as np
import pytest

from marketplace import changes
from marketplace.enums import Sex
from matching import engine, features
from matching import index as matching_index
from tests.marketplace.factories import PositionFactory


def scores(position):
    return {p.object_id: p.score for p in engine.rank_candidates(position.pk, limit=100)}


@pytest.mark.django_db
def test_protected_fields_never_change_a_score(mason_position, pool):
    """Sex, birth date, situation and eligibility criteria (disability among them) are never read."""
    before = scores(mason_position)
    positions_before = [(p.object_id, p.score) for p in engine.rank_positions(pool["best"].pk)]
    for candidate in pool.values():
        candidate.sex = Sex.MALE if candidate.sex == Sex.FEMALE else Sex.FEMALE
        candidate.birth_date = datetime.date(1960, 1, 1)
        candidate.situation = "minimum_income"
        candidate.level1_criteria = ["aah"]
        candidate.level2_criteria = ["disabled_worker", "over_50", "refugee"]
        candidate.save()
    changes.candidates_changed(c.pk for c in pool.values())  # as the marketplace's services do
    assert scores(mason_position) == before
    assert [(p.object_id, p.score) for p in engine.rank_positions(pool["best"].pk)] == positions_before


@pytest.mark.django_db
def test_the_index_follows_changes_without_a_rebuild(rome, mason_position, pool, make_candidate):
    index = matching_index.current()
    assert scores(mason_position)  # built once
    newcomer = make_candidate(skills=[0, 1, 2, 3, 4, 5])
    changes.candidates_changed([newcomer.pk])  # as the marketplace's services do
    assert next(iter(scores(mason_position))) == newcomer.pk
    assert matching_index.current() is index
    assert len(index.candidates.delta) == 1

    pool["best"].job_titles.set([rome["cook"]])  # an m2m change alone
    changes.candidates_changed([pool["best"].pk])
    assert scores(mason_position)[pool["best"].pk] < 0.5

    cook = pool["cook"].pk
    pool["cook"].delete()
    changes.candidates_changed([cook])
    assert cook not in scores(mason_position)

    other = PositionFactory(company=mason_position.company, job_title=rome["cook"], commune=mason_position.commune)
    changes.positions_changed([other.pk])
    assert [p.object_id for p in engine.rank_candidates(other.pk, limit=1)] == [pool["best"].pk]


@pytest.mark.django_db
def test_the_snapshot_is_reused_by_a_new_process(mason_position, pool, make_candidate):
    first = scores(mason_position)
    matching_index.reset()  # a new process loads the saved snapshot instead of rebuilding
    assert scores(mason_position) == first
    changes.candidates_changed([make_candidate(skills=[0]).pk])  # logged while no process held the index
    matching_index.reset()
    assert len(scores(mason_position)) == len(first) + 1


@pytest.mark.django_db
def test_compaction_keeps_the_same_answers(mason_position, pool, make_candidate, monkeypatch):
    make_candidate(skills=[0, 1])
    before = scores(mason_position)
    index = matching_index.current()
    index.candidates.compact()
    assert len(index.candidates.delta) == 0
    assert scores(mason_position) == before


@pytest.mark.django_db
def test_the_three_ways_of_computing_features_agree(rome, mason_position, pool, company_org):
    PositionFactory(company=company_org, job_title=rome["formworker"], driving_licence=True, qualification_level="5")
    index = matching_index.current()
    candidates = matching_index.live_block(index.candidates)
    positions = matching_index.live_block(index.positions)
    for prow in range(len(positions)):
        one_position = features.for_position(index.space, candidates, positions, prow)
        pairs = features.for_pairs(
            index.space, candidates, np.arange(len(candidates)), positions, np.full(len(candidates), prow)
        )
        np.testing.assert_allclose(one_position, pairs, rtol=1e-5, atol=1e-6)
    for crow in range(len(candidates)):
        one_candidate = features.for_candidate(index.space, candidates, crow, positions)
        pairs = features.for_pairs(
            index.space, candidates, np.full(len(positions), crow), positions, np.arange(len(positions))
        )
        np.testing.assert_allclose(one_candidate, pairs, rtol=1e-5, atol=1e-6)
