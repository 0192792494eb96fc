import pytest

from tests.accounts.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_token_is_given_for_email_and_password(api_client, buyer, buyer_org):
    response = api_client.post("/api/v1/auth/token/", {"email": buyer.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/").json()
    assert me["email"] == buyer.email
    assert me["current_organisation"] == buyer_org.pk
    assert me["organisations"] == [
        {
            "id": buyer_org.pk,
            "name": buyer_org.name,
            "kind": "buyer",
            "kind_label": "Donneur d'ordre",
            "subkind": "Donneur d'ordre",
            "siret": buyer_org.siret,
            "status": "approved",
            "is_admin": True,
        }
    ]


def test_wrong_password_gets_a_clear_400(api_client, buyer):
    response = api_client.post("/api/v1/auth/token/", {"email": buyer.email, "password": "nope"})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Adresse e-mail ou mot de passe incorrect."]}


def test_me_requires_authentication(api_client):
    assert api_client.get("/api/v1/me/").status_code == 401


def test_session_authentication_works_too(client_as, company_user, company_org):
    client = client_as(company_user)
    assert client.get("/api/v1/me/").json()["current_organisation"] == company_org.pk


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    assert client.get("/api/docs/").status_code == 200
