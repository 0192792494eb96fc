"""A candidate's wished contract types and weekly hours weigh in the ranking, with their reasons,
without ever excluding anyone."""

import pytest
from django.urls import reverse

from marketplace.enums import ContractType
from marketplace.models import Candidate
from matching import index as matching_index
from matching.features import FEATURES
from matching.models import MatcherModel
from matching.scoring import ContentScorer, active_scorer

pytestmark = pytest.mark.django_db


def ranked(client, position):
    response = client.get(reverse("api-position-matches", args=[position.pk]))
    assert response.status_code == 200
    return {row["candidate"]: row for row in response.json()}


def test_wishes_rank_and_explain_without_excluding(api_as, prescriber, mason_position, make_candidate):
    # The position is a 35-hour CDD (factory defaults); three masons identical but for their wishes.
    no_wish = make_candidate(skills=[0, 1, 2])
    wants_cdi = make_candidate(skills=[0, 1, 2], wanted_contract_types=[ContractType.CDI])
    wants_part_time = make_candidate(skills=[0, 1, 2], wanted_weekly_hours=20)
    fits = make_candidate(skills=[0, 1, 2], wanted_contract_types=[ContractType.CDD], wanted_weekly_hours=35)
    matching_index.current()

    rows = ranked(api_as(prescriber), mason_position)

    assert rows[fits.pk]["score"] == pytest.approx(rows[no_wish.pk]["score"])
    assert rows[wants_cdi.pk]["score"] < rows[no_wish.pk]["score"]
    assert rows[wants_part_time.pk]["score"] < rows[no_wish.pk]["score"]
    assert "type de contrat non souhaité" in rows[wants_cdi.pk]["reasons"]
    assert "écart de 15 h par semaine avec les horaires souhaités" in rows[wants_part_time.pk]["reasons"]
    assert not any("souhait" in reason for reason in rows[fits.pk]["reasons"])


def test_a_changed_wish_reaches_the_index(api_as, prescriber, mason_position, make_candidate):
    candidate = make_candidate(skills=[0, 1, 2])
    client = api_as(prescriber)
    matching_index.current()
    before = ranked(client, mason_position)[candidate.pk]["score"]

    response = client.patch(
        reverse("api-candidate-detail", args=[candidate.pk]),
        {"wanted_contract_types": [ContractType.CDI]},
        format="json",
    )
    assert response.status_code == 200

    assert ranked(client, mason_position)[candidate.pk]["score"] < before


def test_the_api_refuses_an_unknown_contract_type_in_french(api_as, prescriber, make_candidate):
    candidate = make_candidate()
    response = api_as(prescriber).patch(
        reverse("api-candidate-detail", args=[candidate.pk]), {"wanted_contract_types": ["stage"]}, format="json"
    )
    assert response.status_code == 400
    assert "wanted_contract_types" in response.json()
    assert Candidate.objects.get(pk=candidate.pk).wanted_contract_types == []


def test_a_model_trained_on_other_features_gives_way_to_the_content_score(settings):
    settings.MATCHER_MODEL = "learned"
    MatcherModel.objects.create(
        version=1,
        algorithm="logistic_regression",
        feature_names=list(FEATURES[:-2]),
        estimator=b"never loaded",
        training_size=10,
        holdout_size=5,
    )
    assert isinstance(active_scorer(), ContentScorer)
