"""Security headers on every page: the Content Security Policy (django-csp) with its nonce, and the
browser features the site refuses."""

import re
import runpy

import pytest
from django.conf import settings as django_settings

from tests.procurement.factories import contract_in_progress_for

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.S)


def policy(response, header="Content-Security-Policy"):
    """The header's directives as {name: [sources]}."""
    directives = (d.split() for d in response[header].split(";"))
    return {name: sources for name, *sources in directives}


def nonce_of(response):
    (nonce,) = [s[len("'nonce-") : -1] for s in policy(response)["script-src"] if s.startswith("'nonce-")]
    return nonce


@pytest.mark.parametrize("path", ["/", "/comptes/login/", "/offres/", "/api/docs/"])
def test_the_policy_allows_only_the_site_itself(client, path):
    directives = policy(client.get(path))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'" and len(directives["script-src"]) == 2  # and the nonce
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in str(directives) and "'unsafe-eval'" not in str(directives)


@pytest.mark.parametrize("user_fixture", ["buyer", "company_user", "prescriber", "siae_user", "facilitator"])
def test_every_script_of_the_dashboards_carries_the_nonce(request, client_as, user_fixture):
    response = client_as(request.getfixturevalue(user_fixture)).get("/tableau-de-bord/")
    scripts = SCRIPT_TAG.findall(response.content.decode())
    assert len(scripts) >= 4  # DSFR (module and legacy), htmx, passerelle.js
    assert all(f'nonce="{nonce_of(response)}"' in script for script in scripts), scripts


def test_pages_have_no_inline_script_style_or_handler(client_as, facilitator):
    """The browser tests (tests/e2e/test_security_headers.py) prove it for the pages they visit."""
    for path in ["/tableau-de-bord/", "/candidatures/", "/comptes/2fa/"]:
        html = client_as(facilitator).get(path).content.decode()
        assert all(" src=" in script for script in SCRIPT_TAG.findall(html)), path
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", html), path


def test_the_progress_chart_opened_on_its_own_keeps_its_inline_styles(client_as, buyer, company_org):
    contract, _ = contract_in_progress_for(company_org, contract__buyer=buyer.memberships.get().organisation)
    chart = client_as(buyer).get(f"/marches/{contract.pk}/graphique.svg")
    assert 'style="' in chart.content.decode()
    assert policy(chart)["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy(chart)["script-src"] == ["'self'"]


def test_each_response_gets_its_own_nonce(client):
    assert nonce_of(client.get("/")) != nonce_of(client.get("/"))


def test_the_api_docs_load_their_script_from_the_site(client):
    page = client.get("/api/docs/").content.decode()
    assert re.search(r'<script src="/api/docs/\?script=" nonce="[^"]+"></script>', page)
    assert "<style" not in page
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle(" in script.content.decode()


def test_other_security_headers(client):
    response = client.get("/")
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_csp_report_only_switches_the_header(client, settings, monkeypatch):
    """CSP_REPORT_ONLY=true (environment) only reports violations, to a CSP_REPORT_URI if given."""
    monkeypatch.setenv("CSP_REPORT_ONLY", "true")
    monkeypatch.setenv("CSP_REPORT_URI", "https://rapports.passerelle.test/csp")
    configured = runpy.run_path(str(django_settings.BASE_DIR / "config" / "settings" / "base.py"))
    assert "CONTENT_SECURITY_POLICY" not in configured
    settings.CONTENT_SECURITY_POLICY = None
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = configured["CONTENT_SECURITY_POLICY_REPORT_ONLY"]

    response = client.get("/")

    assert "Content-Security-Policy" not in response
    directives = policy(response, "Content-Security-Policy-Report-Only")
    assert directives["default-src"] == ["'self'"]
    assert directives["report-uri"] == ["https://rapports.passerelle.test/csp"]
