"""API tokens (knox): only for a verified address, stored hashed, ending with time, with every new password and
when the person logs out everywhere; listed and revoked from the account's own page."""

import datetime
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory
from tests.accounts.helpers import confirm_email, link_in_last_email, sign_up
from tests.accounts.test_login import log_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-tout-nouveau-mot-de-passe"


def ask_token(api_client, email, password=DEFAULT_PASSWORD):
    return api_client.post("/api/v1/auth/token/", {"email": email, "password": password})


def reads_me(api_client, token):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    status = api_client.get("/api/v1/me/").status_code
    api_client.credentials()
    return status


def test_someone_who_signed_up_with_another_persons_address_gets_no_token(client, api_client):
    """The pre-hijack: sign up as someone, never open their mail, keep a token for when they take the account."""
    sign_up(client, "vraie.personne@exemple.test")

    response = ask_token(api_client, "vraie.personne@exemple.test")

    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["Confirmez d'abord votre adresse e-mail avec le lien que Passerelle vous a envoyé."]
    }
    assert not AuthToken.objects.exists()

    confirm_email(client, "vraie.personne@exemple.test")
    assert ask_token(api_client, "vraie.personne@exemple.test").status_code == 200


def test_the_token_is_stored_hashed_and_ends_after_the_set_time(api_client, buyer, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_TTL": datetime.timedelta(hours=5)}
    before = timezone.now()

    response = ask_token(api_client, buyer.email).json()

    token = response["token"]
    stored = AuthToken.objects.get(user=buyer)
    assert token not in {stored.digest, stored.token_key} and stored.token_key == token[:15]
    expiry = datetime.datetime.fromisoformat(response["expiry"])
    assert before + datetime.timedelta(hours=5) <= expiry <= timezone.now() + datetime.timedelta(hours=5)
    assert reads_me(api_client, token) == 200

    with mock.patch("accounts.authentication.timezone.now", return_value=expiry - datetime.timedelta(seconds=1)):
        assert reads_me(api_client, token) == 200
    with mock.patch("accounts.authentication.timezone.now", return_value=expiry + datetime.timedelta(seconds=1)):
        assert reads_me(api_client, token) == 401
    assert not AuthToken.objects.exists()


def test_a_password_reset_ends_every_token(client, api_client, prescriber):
    token = ask_token(api_client, prescriber.email).json()["token"]
    other_person = ask_token(api_client, UserFactory().email).json()["token"]

    client.post("/comptes/password/reset/", {"email": prescriber.email})
    form = client.get(link_in_last_email(prescriber.email), follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert reads_me(api_client, token) == 401
    assert reads_me(api_client, other_person) == 200
    assert reads_me(api_client, ask_token(api_client, prescriber.email, NEW_PASSWORD).json()["token"]) == 200


def test_a_password_change_ends_every_token(client, api_client, prescriber):
    token = ask_token(api_client, prescriber.email).json()["token"]
    log_in(client, prescriber.email)

    response = client.post(
        "/comptes/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert reads_me(api_client, token) == 401


def test_logging_out_everywhere_ends_every_session_and_token(client, api_client, company_user):
    token = ask_token(api_client, company_user.email).json()["token"]
    elsewhere = Client()
    log_in(elsewhere, company_user.email)
    assert elsewhere.get("/tableau-de-bord/").status_code == 200
    log_in(client, company_user.email)

    page = client.get("/compte/acces/deconnexion-partout/")
    assert "Se déconnecter partout ?" in page.content.decode()
    assert reads_me(api_client, token) == 200  # the page asks first
    response = client.post("/compte/acces/deconnexion-partout/", follow=True)

    assert response.redirect_chain[-1][0] == "/comptes/login/"
    assert "Toutes vos sessions et tous vos jetons d&#x27;API sont fermés" in response.content.decode()
    assert elsewhere.get("/tableau-de-bord/")["Location"].startswith("/comptes/login/")
    assert reads_me(api_client, token) == 401
    # Logging in again works, and the new session is not ended by the old stamp.
    assert log_in(client, company_user.email).wsgi_request.user == company_user
    assert client.get("/tableau-de-bord/").status_code == 200


def test_a_person_sees_their_tokens_by_their_first_characters_and_revokes_one(client, api_client, company_user):
    first = ask_token(api_client, company_user.email).json()["token"]
    second = ask_token(api_client, company_user.email).json()["token"]
    log_in(client, company_user.email)

    html = client.get("/compte/acces/").content.decode()

    assert f"{first[:8]}…" in html and f"{second[:8]}…" in html
    assert first not in html and second not in html
    revoke = f"/compte/acces/jetons/{first[:15]}/revoquer/"
    assert f'href="{revoke}"' in html
    assert "Un programme qui l'utilise sera refusé" in client.get(revoke).content.decode()
    assert reads_me(api_client, first) == 200

    response = client.post(revoke, follow=True)

    assert f"Le jeton {first[:8]}… est révoqué." in response.content.decode()
    assert reads_me(api_client, first) == 401
    assert reads_me(api_client, second) == 200


def test_nobody_revokes_someone_elses_token(client_as, api_client, company_user, other_company_user):
    token = ask_token(api_client, company_user.email).json()["token"]
    client = client_as(other_company_user)

    assert client.post(f"/compte/acces/jetons/{token[:15]}/revoquer/").status_code == 404
    assert reads_me(api_client, token) == 200


def test_the_account_page_leads_there(client_as, company_user):
    assert 'href="/compte/acces/"' in client_as(company_user).get("/comptes/2fa/").content.decode()
