import pytest

from tests.accounts.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def log_in(client, email, password=DEFAULT_PASSWORD, **extra):
    return client.post("/comptes/login/", {"login": email, "password": password, **extra}, follow=True)


def test_login_page_is_dsfr_and_french(client):
    html = client.get("/comptes/login/").content.decode()
    assert "Se connecter à Passerelle" in html
    assert 'class="fr-input"' in html and 'class="fr-btn"' in html
    assert 'href="/comptes/password/reset/"' in html


def test_a_member_logs_in_and_lands_on_their_dashboard(client, company_user, company_org):
    response = log_in(client, company_user.email)
    assert response.redirect_chain[-1][0] == "/tableau-de-bord/"
    assert response.wsgi_request.user == company_user
    assert "Espace entreprise" in response.content.decode()


def test_the_email_is_case_insensitive(client, company_user):
    response = log_in(client, company_user.email.upper())
    assert response.wsgi_request.user == company_user


def test_login_follows_next(client, company_user):
    response = log_in(client, company_user.email, next="/organisation/membres/")
    assert response.redirect_chain[-1][0] == "/organisation/membres/"


def test_a_wrong_password_is_refused_with_a_french_message(client, company_user):
    response = log_in(client, company_user.email, password="pas-le-bon")
    assert not response.wsgi_request.user.is_authenticated
    html = response.content.decode()
    assert "fr-alert--error" in html
    assert "ou le mot de passe sont incorrects." in html


def test_an_unverified_email_cannot_log_in(client):
    user = UserFactory(verified_email=False)
    response = log_in(client, user.email)
    assert not response.wsgi_request.user.is_authenticated
    assert "Vérifiez votre adresse e-mail" in response.content.decode()


def test_an_inactive_account_cannot_log_in(client):
    user = UserFactory(is_active=False)
    response = log_in(client, user.email)
    assert not response.wsgi_request.user.is_authenticated


def test_logout_asks_then_logs_out_on_post(client_as, buyer):
    client = client_as(buyer)
    page = client.get("/comptes/logout/")
    assert page.status_code == 200
    assert "Se déconnecter" in page.content.decode()
    assert client.get("/tableau-de-bord/").status_code == 200  # a GET does not log out

    response = client.post("/comptes/logout/", follow=True)

    assert response.redirect_chain[-1][0] == "/"
    assert not response.wsgi_request.user.is_authenticated
    assert client.get("/tableau-de-bord/")["Location"].startswith("/comptes/login/")


def test_pages_need_a_login(client):
    response = client.get("/organisation/membres/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/login/?next=/organisation/membres/"
