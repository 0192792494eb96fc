import datetime
import re

import pytest
from django.utils import timezone

from marketplace.enums import PositionState
from matching import engine
from tests.marketplace.factories import EligibilityCheckFactory, SubmissionFactory


def ranked_ids(position, **kwargs):
    return [p.object_id for p in engine.rank_candidates(position.pk, **kwargs)]


@pytest.mark.django_db
def test_the_right_candidate_comes_first_and_filters_exclude_who_they_must(mason_position, pool):
    ranked = ranked_ids(mason_position)
    assert ranked[:2] == [pool["best"].pk, pool["other_pool"].pk]
    assert ranked.index(pool["far_mason"].pk) < ranked.index(pool["formworker"].pk) < ranked.index(pool["cook"].pk)
    for excluded in ("no_consent", "not_yet_available", "too_far"):
        assert pool[excluded].pk not in ranked, excluded


@pytest.mark.django_db
def test_reasons_are_in_french(mason_position, pool):
    best = engine.rank_candidates(mason_position.pk, limit=1)[0]
    assert best.reasons[:2] == ["même métier recherché", "4 compétences en commun"]
    # In French: a decimal comma when there are decimals, none otherwise (« habite à 0 km », « à 2,5 km »).
    assert re.fullmatch(r"habite à \d+(,\d)? km", best.reasons[2])
    assert "disponible dès maintenant" in best.reasons


@pytest.mark.django_db
def test_a_prescriber_pool_restricts_the_candidates(mason_position, pool, prescriber_org, other_prescriber_org):
    assert ranked_ids(mason_position, prescriber_id=other_prescriber_org.pk) == [pool["other_pool"].pk]
    assert pool["other_pool"].pk not in ranked_ids(mason_position, prescriber_id=prescriber_org.pk)


@pytest.mark.django_db
def test_submitted_candidates_are_not_proposed_again(mason_position, pool):
    SubmissionFactory(candidate=pool["best"], position=mason_position)
    assert pool["best"].pk not in ranked_ids(mason_position)
    assert pool["best"].pk in ranked_ids(mason_position, include_submitted=True)


@pytest.mark.django_db
def test_a_required_licence_excludes_candidates_without_it(mason_position, pool):
    pool["far_mason"].driving_licence = True
    pool["far_mason"].save()
    mason_position.driving_licence = True
    mason_position.save()
    proposals = engine.rank_candidates(mason_position.pk)
    assert [p.object_id for p in proposals] == [pool["far_mason"].pk]
    assert "permis B demandé : oui" in proposals[0].reasons


@pytest.mark.django_db
def test_a_candidate_available_after_today_says_when(mason_position, make_candidate):
    start = mason_position.start_date
    candidate = make_candidate(available_from=start - datetime.timedelta(days=1))
    (proposal,) = engine.rank_candidates(mason_position.pk)
    assert proposal.object_id == candidate.pk
    day = start - datetime.timedelta(days=1)
    assert any(reason.startswith("disponible dès le ") and str(day.day) in reason for reason in proposal.reasons)


@pytest.mark.django_db
def test_positions_for_a_candidate(rome, mason_position, pool, company_org):
    from tests.marketplace.factories import PositionFactory

    kitchen = PositionFactory(company=company_org, job_title=rome["cook"], commune=mason_position.commune)
    closed = PositionFactory(company=company_org, job_title=rome["mason"], state=PositionState.CLOSED)
    ranked = [p.object_id for p in engine.rank_positions(pool["best"].pk)]
    assert ranked == [mason_position.pk, kitchen.pk]
    assert closed.pk not in ranked
    assert engine.rank_positions(pool["no_consent"].pk) == []
    assert engine.rank_positions(pool["best"].pk)[0].reasons[0] == "même métier recherché"


@pytest.mark.django_db
def test_eligibility_is_flagged_not_ranked(pool):
    EligibilityCheckFactory(candidate=pool["best"])
    EligibilityCheckFactory(candidate=pool["cook"], valid_until=timezone.localdate() - datetime.timedelta(days=1))
    flags = engine.eligibility_flags([pool["best"].pk, pool["cook"].pk, pool["far_mason"].pk])
    assert flags == {
        pool["best"].pk: engine.Eligibility.ELIGIBLE,
        pool["cook"].pk: engine.Eligibility.EXPIRED,
        pool["far_mason"].pk: engine.Eligibility.PENDING,
    }


@pytest.mark.django_db
def test_close_occupations_exclude_the_occupation_itself(rome, mason_position):
    close = engine.close_occupations(["F9701"], k=10)
    assert [c.code_rome for c in close] == ["F9702", "G9801"]
    assert close[0].score > close[1].score
    assert engine.close_occupations(["Z0000"]) == []
