"""Account and HTTP hardening that lives in settings: Argon2 hashes, sessions that end, production over HTTPS."""

import runpy
import sys
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.helpers import sign_up

pytestmark = pytest.mark.django_db

SETTINGS_DIR = django_settings.BASE_DIR / "config" / "settings"


def test_passwords_are_stored_as_argon2_hashes(client, settings):
    # The test settings hash with MD5 for speed; the real ones are in base.py.
    settings.PASSWORD_HASHERS = runpy.run_path(str(SETTINGS_DIR / "base.py"))["PASSWORD_HASHERS"]
    sign_up(client, "lea.martin@exemple.test")
    assert User.objects.get(email="lea.martin@exemple.test").password.startswith("argon2$argon2id$")


def test_a_session_ends_eight_hours_after_logging_in(client, buyer):
    client.post("/comptes/login/", {"login": buyer.email, "password": DEFAULT_PASSWORD})
    session = Session.objects.get()
    assert abs(session.expire_date - (timezone.now() + timedelta(hours=8))) < timedelta(minutes=1)
    assert client.get("/tableau-de-bord/").status_code == 200

    Session.objects.update(expire_date=F("expire_date") - timedelta(hours=8))  # eight hours later

    assert client.get("/tableau-de-bord/")["Location"].startswith("/comptes/login/")


def test_production_sends_everything_over_https(monkeypatch):
    monkeypatch.delitem(sys.modules, "config.settings.base")  # read the environment below afresh
    for name, value in {
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "passerelle.example",
        "DATABASE_URL": "postgres://h/db",
    }.items():
        monkeypatch.setenv(name, value)
    prod = runpy.run_path(str(SETTINGS_DIR / "prod.py"))
    assert prod["SECURE_SSL_REDIRECT"] and prod["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"]
    assert prod["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["default-src"] == ["'self'"]
    assert prod["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1  # the HTTPS proxy's X-Forwarded-For gives the client address
