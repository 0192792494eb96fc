"""Errors the schemathesis run found, pinned down: each answers in JSON, in French, as the schema declares."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests.procurement.factories import ContractFactory


def test_the_schema_clients_download_is_the_one_schemathesis_walks(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    assert response.json() == SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize("path", ["/api/v1/contracts/0.5/", "/api/v1/positions/null,null/matches/", "/api/v1/nope/"])
def test_an_address_no_route_matches_answers_a_json_404(path, api_as, facilitator):
    response = api_as(facilitator).get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Aucune ressource de l'API à cette adresse."}


def test_pages_keep_the_site_404(client_as, facilitator):
    response = client_as(facilitator).get("/marches/0.5/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("query", ["buyer=1e300", "company=-12", "buyer=2.5", "company=99999999999999999999"])
def test_an_id_filter_out_of_range_is_a_400_not_a_500(query, api_as, facilitator):
    response = api_as(facilitator).get(f"/api/v1/contracts/?{query}")

    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]


def test_an_id_filter_still_filters(api_as, facilitator, buyer_org, other_buyer_org):
    own = ContractFactory(buyer=buyer_org)
    ContractFactory(buyer=other_buyer_org)

    response = api_as(facilitator).get(f"/api/v1/contracts/?buyer={buyer_org.pk}")

    assert [c["id"] for c in response.json()["results"]] == [own.pk]


def test_every_operation_declares_the_errors_it_can_answer():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {(m.upper(), p): o for p, item in schema["paths"].items() for m, o in item.items()}

    assert set(operations[("POST", "/api/v1/hours/{id}/validate/")]["responses"]) == {"200", "400", "401", "403", "404"}
    assert "415" in operations[("POST", "/api/v1/placements/{id}/validate/")]["responses"]
    assert set(operations[("GET", "/api/v1/me/")]["responses"]) == {"200", "401", "403"}
    assert set(operations[("POST", "/api/v1/auth/token/")]["responses"]) == {"200", "400", "415", "429"}
    # Public, so never a 403; a page number past the end is a 404.
    assert set(operations[("GET", "/api/v1/positions/")]["responses"]) == {"200", "400", "401", "404"}
    assert "201" in operations[("POST", "/api/v1/candidates/import/")]["responses"]


@pytest.mark.parametrize(
    ("role", "path"), [("company_user", "/api/v1/positions/"), ("prescriber", "/api/v1/candidates/")]
)
def test_a_nul_character_in_a_reference_code_is_a_400(role, path, request, api_as):
    """PostgreSQL refuses NUL characters in queries: found by schemathesis as a 500 on ``commune``."""
    response = api_as(request.getfixturevalue(role)).post(path, {"commune": "75\x00119"}, format="json")

    assert response.status_code == 400
    assert response.json()["commune"] == ["Le caractère nul n’est pas autorisé."]


def test_a_body_of_an_unknown_type_is_a_415_the_schema_declares(api_as, facilitator):
    response = api_as(facilitator).post("/api/v1/placements/1/validate/", b"note", content_type="text/plain")

    assert response.status_code == 415
    assert "detail" in response.json()
