import pytest
from django.urls import reverse

from matching import index as matching_index


def matches_url(position, **query):
    url = reverse("api-position-matches", args=[position.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.django_db
def test_facilitator_gets_every_pool_ranked(api_as, facilitator, mason_position, pool, django_assert_max_num_queries):
    client = api_as(facilitator)
    matching_index.current()  # built once per process, not per request
    # token and user, organisation, position, change log, submitted ids, eligibility
    with django_assert_max_num_queries(6):
        response = client.get(matches_url(mason_position, limit=3))
    assert response.status_code == 200
    body = response.json()
    assert [row["candidate"] for row in body] == [pool["best"].pk, pool["other_pool"].pk, pool["far_mason"].pk]
    assert body[0]["reasons"][0] == "même métier recherché"
    assert body[0]["eligibility"] == "pending"
    assert body[0]["score"] >= body[1]["score"] >= body[2]["score"]


@pytest.mark.django_db
def test_prescriber_sees_only_its_pool(api_as, prescriber, other_prescriber, mason_position, pool):
    ids = {row["candidate"] for row in api_as(prescriber).get(matches_url(mason_position)).json()}
    assert pool["best"].pk in ids and pool["other_pool"].pk not in ids
    other_ids = [row["candidate"] for row in api_as(other_prescriber).get(matches_url(mason_position)).json()]
    assert other_ids == [pool["other_pool"].pk]


@pytest.mark.django_db
def test_company_and_buyer_are_refused(api_as, company_user, buyer, mason_position, pool, candidate_url):
    for user in (company_user, buyer):
        assert api_as(user).get(matches_url(mason_position)).status_code == 403
        assert api_as(user).get(candidate_url(pool["best"])).status_code == 403


@pytest.fixture
def candidate_url():
    return lambda candidate: reverse("api-candidate-matches", args=[candidate.pk])


@pytest.mark.django_db
def test_an_outsider_prescriber_gets_404_for_another_pools_candidate(api_as, other_prescriber, pool, candidate_url):
    assert api_as(other_prescriber).get(candidate_url(pool["best"])).status_code == 404


@pytest.mark.django_db
def test_a_draft_position_of_another_company_is_404(api_as, facilitator, prescriber, mason_position, pool):
    mason_position.state = "draft"
    mason_position.save()
    assert api_as(prescriber).get(matches_url(mason_position)).status_code == 404
    assert api_as(facilitator).get(matches_url(mason_position)).status_code == 200


@pytest.mark.django_db
def test_positions_for_a_candidate(
    api_as, prescriber, mason_position, pool, candidate_url, django_assert_max_num_queries
):
    client = api_as(prescriber)
    matching_index.current()
    # token and user, organisation, candidate, change log, submitted ids
    with django_assert_max_num_queries(5):
        response = client.get(candidate_url(pool["best"]))
    assert response.status_code == 200
    assert response.json()[0]["position"] == mason_position.pk
    assert "habite" not in response.json()[0]["reasons"][2]
    assert response.json()[0]["reasons"][2].endswith("km du domicile")


@pytest.mark.django_db
def test_bad_limit_is_a_400_in_french(api_as, facilitator, mason_position, pool):
    response = api_as(facilitator).get(matches_url(mason_position, limit="beaucoup"))
    assert response.status_code == 400
    assert response.json() == {"limit": ["Un nombre entier est attendu."]}
    assert api_as(facilitator).get(matches_url(mason_position, limit=1000)).status_code == 400


@pytest.mark.django_db
def test_similar_occupations(api_as, prescriber, mason_position):
    url = reverse("api-similar-occupations", args=["F9701"])
    body = api_as(prescriber).get(url + "?k=1").json()
    assert body == [
        {
            "code_rome": "F9702",
            "label": "Coffrage",
            "origin": "competences",
            "origin_label": "compétences proches",
            "rank": None,
            "score": body[0]["score"],
        }
    ]
    assert 0 < body[0]["score"] < 0.75
    assert api_as(prescriber).get(reverse("api-similar-occupations", args=["Z9999"])).status_code == 404
    assert api_as(prescriber).get(url + "?k=0").status_code == 400
