"""Two-factor authentication (allauth.mfa): an authenticator app and recovery codes, optional for everyone,
recommended to the facilitator's staff, required of them with FACILITATOR_MFA_REQUIRED."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core import mail

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.test_account_pages import assert_dsfr_in_french
from tests.accounts.test_login import log_in

pytestmark = pytest.mark.django_db

SECRET = re.compile(r'id="authenticator_secret" type="text" value="([A-Z2-7]+=*)"')
RECOVERY_CODE = re.compile(r"<li><code>(\w+)</code></li>")


def code_for(secret):
    """What the person's authenticator app shows now (allauth's own TOTP computation)."""
    counters = list(yield_hotp_counters_from_time())  # the current period, and those allowed around it
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def another_code(code):
    return format_hotp_value((int(code) + 1) % 1_000_000)


def activate_totp(client):
    """Opens the activation page (confirming one's password first, as allauth asks before any change), types
    the code of the app set up from it; returns the secret and the recovery codes shown next."""
    confirm = client.get("/comptes/2fa/totp/activate/", follow=True)
    assert confirm.redirect_chain[-1][0] == "/comptes/reauthenticate/?next=%2Fcomptes%2F2fa%2Ftotp%2Factivate%2F"
    assert "Saisissez votre mot de passe." in assert_dsfr_in_french(confirm)
    page = client.post(confirm.redirect_chain[-1][0], {"password": DEFAULT_PASSWORD}, follow=True)
    assert page.redirect_chain[-1][0] == "/comptes/2fa/totp/activate/"
    assert_dsfr_in_french(page)
    secret = SECRET.search(page.content.decode()).group(1)
    assert '<img src="data:image/svg+xml;base64,' in page.content.decode()
    response = client.post("/comptes/2fa/totp/activate/", {"code": code_for(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == "/comptes/2fa/recovery-codes/"
    codes = RECOVERY_CODE.findall(assert_dsfr_in_french(response))
    assert len(codes) == 10
    return secret, codes


def log_in_with_code(client, user, code):
    step = log_in(client, user.email)
    assert step.redirect_chain[-1][0] == "/comptes/2fa/authenticate/"
    assert not step.wsgi_request.user.is_authenticated
    return client.post("/comptes/2fa/authenticate/", {"code": code}, follow=True)


def test_the_facilitator_dashboard_recommends_it_until_it_is_on(client, facilitator):
    dashboard = log_in(client, facilitator.email)
    assert "Protégez votre compte par la double authentification" in dashboard.content.decode()
    assert 'href="/comptes/2fa/totp/activate/"' in dashboard.content.decode()

    activate_totp(client)

    assert "Protégez votre compte" not in client.get("/tableau-de-bord/").content.decode()


def test_other_roles_are_not_prompted_but_may_turn_it_on(client, company_user):
    dashboard = log_in(client, company_user.email)
    html = dashboard.content.decode()
    assert "Protégez votre compte" not in html
    assert 'href="/comptes/2fa/" title="Sécurité du compte">' in html

    activate_totp(client)
    assert Authenticator.objects.filter(user=company_user, type=Authenticator.Type.TOTP).exists()


def test_login_asks_for_the_code_refuses_a_wrong_one_and_accepts_the_right_one(client, facilitator):
    log_in(client, facilitator.email)
    secret, _ = activate_totp(client)
    client.post("/comptes/logout/")

    step = log_in(client, facilitator.email)
    html = assert_dsfr_in_french(step)
    assert "Vérification en deux étapes" in html

    right = code_for(secret)
    wrong = client.post("/comptes/2fa/authenticate/", {"code": another_code(right)})
    assert not wrong.wsgi_request.user.is_authenticated
    assert "Code incorrect." in assert_dsfr_in_french(wrong)

    response = client.post("/comptes/2fa/authenticate/", {"code": right}, follow=True)
    assert response.redirect_chain[-1][0] == "/tableau-de-bord/"
    assert response.wsgi_request.user == facilitator


def test_a_recovery_code_works_once(client, company_user):
    log_in(client, company_user.email)
    _, codes = activate_totp(client)
    client.post("/comptes/logout/")

    assert log_in_with_code(client, company_user, codes[0]).wsgi_request.user == company_user
    client.post("/comptes/logout/")

    again = log_in_with_code(client, company_user, codes[0])
    assert not again.wsgi_request.user.is_authenticated
    assert "Code incorrect." in again.content.decode()
    assert log_in_with_code(client, company_user, codes[1]).wsgi_request.user == company_user


def test_cancelling_the_second_step_leaves_the_person_logged_out(client, company_user):
    log_in(client, company_user.email)
    activate_totp(client)
    client.post("/comptes/logout/")
    log_in(client, company_user.email)

    response = client.post("/comptes/logout/", {"next": "/comptes/login/"}, follow=True)

    assert response.redirect_chain[-1][0] == "/comptes/login/"
    assert client.get("/tableau-de-bord/")["Location"].startswith("/comptes/login/")


@pytest.mark.django_db(transaction=True)  # allauth sends the email once the activation is committed
def test_the_person_is_told_by_email_when_it_is_turned_on_or_off(client, company_user):
    log_in(client, company_user.email)
    activate_totp(client)
    client.post("/comptes/2fa/totp/deactivate/")

    assert [m.subject for m in mail.outbox] == [
        "[Passerelle] Application d'authentification activée",
        "[Passerelle] Application d'authentification désactivée",
    ]
    assert "Si vous ne reconnaissez pas ce changement" in mail.outbox[-1].body


def test_the_overview_and_deactivation_pages_are_french(client, company_user):
    log_in(client, company_user.email)
    assert "Désactivée" in assert_dsfr_in_french(client.get("/comptes/2fa/"))
    activate_totp(client)
    overview = assert_dsfr_in_french(client.get("/comptes/2fa/"))
    assert "Activée" in overview and "10 codes sur 10 encore utilisables" in overview
    assert_dsfr_in_french(client.get("/comptes/2fa/recovery-codes/generate/"))
    assert_dsfr_in_french(client.get("/comptes/2fa/totp/deactivate/"))

    client.post("/comptes/2fa/totp/deactivate/")

    assert not Authenticator.objects.filter(user=company_user).exists()


class TestRequiredForFacilitators:
    @pytest.fixture(autouse=True)
    def _required(self, settings):
        settings.FACILITATOR_MFA_REQUIRED = True

    def test_a_facilitator_without_it_is_sent_to_the_activation_page(self, client, facilitator):
        response = log_in(client, facilitator.email)
        assert [url for url, _ in response.redirect_chain] == [
            "/tableau-de-bord/",
            "/comptes/2fa/totp/activate/",
            "/comptes/reauthenticate/?next=%2Fcomptes%2F2fa%2Ftotp%2Factivate%2F",
        ]
        assert "activez-la pour accéder à Passerelle" in response.content.decode()
        for path in ["/tableau-de-bord/", "/candidatures/", "/admin/"]:
            assert client.get(path)["Location"] == "/comptes/2fa/totp/activate/"

        activate_totp(client)

        assert client.get("/tableau-de-bord/").status_code == 200

    def test_a_facilitator_may_still_log_out(self, client_as, facilitator):
        client = client_as(facilitator)
        assert client.post("/comptes/logout/", follow=True).redirect_chain[-1][0] == "/"

    def test_a_company_user_is_not_asked(self, client, company_user):
        response = log_in(client, company_user.email)
        assert response.redirect_chain[-1][0] == "/tableau-de-bord/"

    def test_a_facilitator_acting_for_another_organisation_is_asked_too(self, client_as, facilitator, company_org):
        company_org.memberships.create(user=facilitator)
        client = client_as(facilitator)
        client.post("/organisation/changer/", {"organisation": company_org.pk})
        assert client.get("/tableau-de-bord/")["Location"] == "/comptes/2fa/totp/activate/"


class TestApiToken:
    """A token opens the same data as the site: the second step is asked for there too."""

    def ask_token(self, api_client, user, **extra):
        return api_client.post("/api/v1/auth/token/", {"email": user.email, "password": DEFAULT_PASSWORD, **extra})

    def test_an_account_with_totp_must_give_a_code(self, api_client, company_user):
        secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        TOTP.activate(company_user, secret)

        missing = self.ask_token(api_client, company_user)
        assert missing.status_code == 400
        assert "double authentification" in missing.json()["code"][0]
        wrong = self.ask_token(api_client, company_user, code=another_code(code_for(secret)))
        assert wrong.json() == {"code": ["Code incorrect."]}

        assert self.ask_token(api_client, company_user, code=code_for(secret)).status_code == 200

    def test_a_facilitator_without_totp_gets_no_token_when_it_is_required(self, api_client, facilitator, settings):
        assert self.ask_token(api_client, facilitator).status_code == 200
        settings.FACILITATOR_MFA_REQUIRED = True

        response = self.ask_token(api_client, facilitator)

        assert response.status_code == 400
        assert "Activez d'abord la double authentification" in response.json()["non_field_errors"][0]


class TestAdminLogin:
    """The door found open: /admin/login/ took the password alone, and the session then opened every page."""

    SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

    @pytest.fixture(autouse=True)
    def _required(self, settings, facilitator):
        settings.FACILITATOR_MFA_REQUIRED = True
        facilitator.is_staff = True
        facilitator.save()
        TOTP.activate(facilitator, self.SECRET)

    def test_the_admin_login_form_no_longer_logs_anyone_in(self, client, facilitator):
        response = client.post(
            "/admin/login/?next=/admin/", {"username": facilitator.email, "password": DEFAULT_PASSWORD}
        )

        assert response.status_code == 302
        assert response["Location"] == "/comptes/login/?next=%2Fadmin%2F"
        for path in ["/candidats/", "/journal-d-audit/", "/admin/"]:
            assert client.get(path).status_code == 302
        assert client.get("/api/v1/me/").status_code == 401

    def test_the_admin_is_entered_through_the_sites_two_steps(self, client, facilitator):
        assert client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/comptes/login/")

        response = log_in_with_code(client, facilitator, code_for(self.SECRET))

        assert response.wsgi_request.user == facilitator
        assert client.get("/admin/").status_code == 200

    def test_a_session_that_skipped_the_second_step_is_asked_for_the_code(self, client, facilitator):
        client.force_login(facilitator)  # as /admin/login/ did: the password alone

        for path in ["/candidats/", "/journal-d-audit/", "/admin/", "/api/v1/me/"]:
            response = client.get(path)
            assert response.status_code == 302, path
            assert response["Location"].startswith("/comptes/2fa/reauthenticate/?next="), path
        wrong = client.post("/comptes/2fa/reauthenticate/", {"code": another_code(code_for(self.SECRET))})
        assert "Code incorrect." in wrong.content.decode()
        assert client.get("/candidats/").status_code == 302

        response = client.post(
            "/comptes/2fa/reauthenticate/?next=/candidats/", {"code": code_for(self.SECRET)}, follow=True
        )

        assert response.redirect_chain[-1][0] == "/candidats/"
        assert client.get("/journal-d-audit/").status_code == 200

    def test_a_person_without_an_authenticator_app_is_not_asked(self, client, company_user):
        client.force_login(company_user)
        assert client.get("/tableau-de-bord/").status_code == 200
