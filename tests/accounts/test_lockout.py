"""Wrong passwords lock an account from one address for a while (django-axes, accounts/lockout.py)."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.helpers import link_in_last_email

pytestmark = pytest.mark.django_db

HOME = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def log_in(client, email, password=DEFAULT_PASSWORD, ip=HOME, **headers):
    """The login page, posted from the address ``ip``."""
    return client.post(
        "/comptes/login/", {"login": email, "password": password}, follow=True, REMOTE_ADDR=ip, **headers
    )


def fail_to_log_in(client, email, times, ip=HOME):
    return [log_in(client, email, password="pas-le-bon-mot-de-passe", ip=ip) for _ in range(times)]


def assert_locked_page(response, minutes=15):
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
    html = response.content.decode()
    assert "Connexion temporairement bloquée" in html
    assert f"Réessayez dans {minutes} minutes." in html
    assert 'href="/comptes/password/reset/"' in html
    assert 'class="fr-header"' in html


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one(client, company_user):
    *before, fifth = fail_to_log_in(client, company_user.email, 5)
    assert [r.status_code for r in before] == [200] * 4
    assert "ou le mot de passe sont incorrects." in before[-1].content.decode()
    assert_locked_page(fifth)

    assert_locked_page(log_in(client, company_user.email))


def test_the_lock_ignores_the_case_of_the_email(client, company_user):
    fail_to_log_in(client, company_user.email.upper(), 5)
    assert_locked_page(log_in(client, company_user.email))


def test_another_address_is_not_locked(client, company_user):
    fail_to_log_in(client, company_user.email, 5)
    response = log_in(client, company_user.email, ip=ELSEWHERE)
    assert response.wsgi_request.user == company_user


def test_another_account_is_not_locked(client, company_user, buyer):
    fail_to_log_in(client, company_user.email, 5)
    response = log_in(client, buyer.email)
    assert response.wsgi_request.user == buyer


def test_the_wait_left_is_shown_and_the_lock_ends_after_the_cool_off(client, company_user):
    fail_to_log_in(client, company_user.email, 5)
    # Time passes: the failures are now 10 minutes old, then 16.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    assert_locked_page(
        log_in(client, company_user.email),
        minutes=5,
    )
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=6))

    assert log_in(client, company_user.email).wsgi_request.user == company_user


def test_retrying_while_locked_does_not_extend_the_wait(client, company_user):
    fail_to_log_in(client, company_user.email, 5)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    fail_to_log_in(client, company_user.email, 3)
    assert_locked_page(
        log_in(client, company_user.email),
        minutes=5,
    )


def test_a_successful_login_resets_the_count(client, company_user):
    fail_to_log_in(client, company_user.email, 4)
    log_in(client, company_user.email)
    client.post("/comptes/logout/")

    responses = fail_to_log_in(client, company_user.email, 4)
    assert [r.status_code for r in responses] == [200] * 4


def test_limit_and_cool_off_are_settings(client, company_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=60)
    assert_locked_page(fail_to_log_in(client, company_user.email, 3)[-1], minutes=60)


def test_a_lockout_is_logged(client, company_user, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.lockout"):
        fail_to_log_in(client, company_user.email, 5)
    assert f"Login locked out for {company_user.email} from {HOME}" in caplog.text


def test_resetting_the_password_unlocks_the_account(client, company_user):
    fail_to_log_in(client, company_user.email, 5)
    client.post(
        "/comptes/password/reset/",
        {"email": company_user.email},
    )
    form = client.get(link_in_last_email(company_user.email), follow=True)
    new_password = "un-nouveau-mot-de-passe-2026"
    client.post(form.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})

    assert log_in(client, company_user.email, password=new_password).wsgi_request.user == company_user


def test_the_address_comes_from_the_trusted_proxy(client, company_user, settings):
    """Behind one proxy, the address it appended counts, not the proxy's own nor what the client claimed."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.9.9.0/24"]
    for _ in range(5):
        log_in(client, company_user.email, password="faux", ip="10.9.9.9", HTTP_X_FORWARDED_FOR=f"1.2.3.4, {HOME}")
    assert AccessAttempt.objects.get().ip_address == HOME

    elsewhere = log_in(client, company_user.email, ip="10.9.9.9", HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert elsewhere.wsgi_request.user == company_user


def test_a_request_reaching_gunicorn_directly_cannot_choose_its_address(client, company_user, settings):
    """The door found open: with TRUSTED_PROXY_COUNT=1, anyone reaching the site without the proxy wrote a new
    X-Forwarded-For at every attempt and was never locked out. Only the proxy's own connections are read so."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(5):
        log_in(client, company_user.email, password="faux", ip=HOME, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    assert AccessAttempt.objects.get().ip_address == HOME
    locked = log_in(client, company_user.email, ip=HOME, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert_locked_page(locked)
    # Through the proxy, the address it appended is the one counted, as before.
    through_proxy = log_in(client, company_user.email, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert through_proxy.wsgi_request.user == company_user


class TestApiToken:
    """The API's token endpoint counts the same failures, and answers 429 in French."""

    def ask_token(self, api_client, email, password, ip=HOME):
        return api_client.post("/api/v1/auth/token/", {"email": email, "password": password}, REMOTE_ADDR=ip)

    def test_five_wrong_passwords_lock_the_token_endpoint(self, api_client, buyer, company_user):
        statuses = [self.ask_token(api_client, buyer.email, "faux").status_code for _ in range(5)]
        assert statuses == [400] * 4 + [429]

        locked = self.ask_token(api_client, buyer.email, DEFAULT_PASSWORD)
        assert locked.status_code == 429
        assert locked.json()["detail"].startswith("Trop de tentatives de connexion")
        assert 0 < int(locked["Retry-After"]) <= 15 * 60

        assert self.ask_token(api_client, buyer.email, DEFAULT_PASSWORD, ip=ELSEWHERE).status_code == 200
        assert self.ask_token(api_client, company_user.email, DEFAULT_PASSWORD).status_code == 200

    def test_failures_on_the_login_page_and_the_api_add_up(self, client, api_client, buyer):
        fail_to_log_in(client, buyer.email, 3)
        self.ask_token(api_client, buyer.email, "faux")
        assert_locked_page(fail_to_log_in(client, buyer.email, 1)[0])
