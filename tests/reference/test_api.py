import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reference import typos
from reference.models import JobTitle
from tests.reference.factories import JobTitleFactory, OccupationFactory, paris_arrondissement, real_commune

pytestmark = pytest.mark.django_db

OCCUPATIONS_URL = "/api/v1/occupations/"
COMMUNES_URL = "/api/v1/communes/"


@pytest.fixture
def masonry():
    occupation = OccupationFactory(code_rome="F1703", label="Maçon / Maçonne")
    JobTitleFactory(label="Maçon / Maçonne du paysage", occupation=occupation)
    JobTitleFactory(code_ogr=16250, label="Maçon / Maçonne", occupation=occupation)
    JobTitleFactory(label="Plombier / Plombière")
    return occupation


def test_anonymous_callers_get_401(api_client):
    assert api_client.get(OCCUPATIONS_URL, {"q": "macon"}).status_code == 401
    assert api_client.get(COMMUNES_URL, {"q": "paris"}).status_code == 401


def test_any_authenticated_caller_searches_job_titles(api_as, prescriber, masonry):
    response = api_as(prescriber).get(OCCUPATIONS_URL, {"q": "MACON"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["results"][0] == {
        "code_ogr": 16250,
        "label": "Maçon / Maçonne",
        "code_rome": "F1703",
        "occupation_label": "Maçon / Maçonne",
    }
    assert body["results"][1]["label"] == "Maçon / Maçonne du paysage"


def test_job_titles_without_query_are_all_listed_by_label(api_as, company_user, masonry):
    body = api_as(company_user).get(OCCUPATIONS_URL).json()
    assert [r["label"] for r in body["results"]] == [
        "Maçon / Maçonne",
        "Maçon / Maçonne du paysage",
        "Plombier / Plombière",
    ]


def test_results_are_paginated(api_as, buyer, masonry):
    client = api_as(buyer)
    first = client.get(OCCUPATIONS_URL, {"q": "macon", "page_size": 1}).json()
    assert first["count"] == 2
    assert len(first["results"]) == 1
    assert first["next"]
    second = client.get(first["next"]).json()
    assert second["results"][0]["label"] == "Maçon / Maçonne du paysage"


def test_communes_search(api_as, siae_user):
    real_commune("75056")
    paris_arrondissement(11)
    paris_arrondissement(12)

    body = api_as(siae_user).get(COMMUNES_URL, {"q": "paris 11"}).json()

    assert body["results"] == [
        {
            "code_insee": "75111",
            "name": "Paris 11e",
            "department": "75",
            "postcodes": ["75011"],
            "latitude": 48.8601,
            "longitude": 2.3816,
        }
    ]
    by_postcode = api_as(siae_user).get(COMMUNES_URL, {"q": "75011"}).json()["results"]
    assert [r["code_insee"] for r in by_postcode] == ["75111", "75056"]


def test_session_users_search_too(client_as, facilitator, masonry):
    response = client_as(facilitator).get(OCCUPATIONS_URL, {"q": "plomb"})
    assert [r["label"] for r in response.json()["results"]] == ["Plombier / Plombière"]


@pytest.mark.parametrize(("url", "query"), [(OCCUPATIONS_URL, "macon"), (COMMUNES_URL, "paris")])
def test_search_query_count_does_not_grow_with_results(api_as, prescriber, masonry, url, query):
    for n in range(1, 21):
        paris_arrondissement(n)
        JobTitleFactory(label=f"Maçon {n}", occupation=masonry)
    client = api_as(prescriber)
    # The words of the labels, which a process reads once (reference.typos): not counted below.
    typos.vocabulary(JobTitle.objects.all(), check=True)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": query})

    assert response.status_code == 200
    assert response.json()["count"] >= 20
    # 1. the token and its user, 2. the user's memberships (current organisation),
    # 3. the count of the page, 4. the page, job titles joined with their occupation.
    assert len(queries) == 4, [q["sql"] for q in queries]


def test_schema_documents_both_searches(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/occupations/", "/api/v1/communes/"):
        operation = schema["paths"][path]["get"]
        assert {p["name"] for p in operation["parameters"]} >= {"q", "page", "page_size"}
    job_title = schema["components"]["schemas"]["JobTitle"]["properties"]
    assert set(job_title) == {"code_ogr", "label", "code_rome", "occupation_label"}
