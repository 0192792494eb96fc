"""The Content Security Policy in a real browser: each role's main pages and the API docs run with no
violation (no inline script or style slipped in), and what moved out of inline handlers still works."""

import pytest

from tests.accounts.factories import DEFAULT_PASSWORD
from tests.e2e.passes import judged_once

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), judged_once]

# Runs before each page's own scripts (Playwright injects it, outside the page's CSP) and keeps every
# violation the browser reports, whatever it writes to the console.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def open_tab(tab, name):
    browser_tab = tab(name)
    browser_tab.page.add_init_script(RECORD_VIOLATIONS)
    return browser_tab


def visit(browser_tab, path, label, ready="main"):
    """Loads the page, waits until its scripts have run and its fonts have loaded, then checks.

    Not Playwright's ``networkidle``: it waits for 500 ms without a request and, on a busy machine, once
    waited 30 s for a page that had long finished (a fresh-clone run failed on it). Everything a page
    asks for is either in its ``load`` event (scripts, styles, images) or in ``document.fonts.ready``
    (the fonts its styles use), which both settle."""
    browser_tab.goto(path)
    browser_tab.page.wait_for_selector(ready)
    browser_tab.page.wait_for_load_state("load")
    browser_tab.page.evaluate("document.fonts.ready.then(() => true)")
    browser_tab.shot(label)
    assert_no_violation(browser_tab)


def assert_no_violation(browser_tab):
    assert browser_tab.page.evaluate("window.cspViolations") == [], browser_tab.page.url


def test_public_pages_and_api_docs(tab):
    browser_tab = open_tab(tab, "anonyme")
    visit(browser_tab, "/", "accueil")
    visit(browser_tab, "/comptes/login/", "connexion")
    visit(browser_tab, "/offres/", "offres")
    # Swagger UI builds its page from the schema: its operations appear once its scripts have run.
    visit(browser_tab, "/api/docs/", "api", ready=".opblock-tag")


@pytest.mark.parametrize(
    ("user_fixture", "pages"),
    [
        ("buyer", ["/tableau-de-bord/", "/marches/", "/marches/rapports/"]),
        ("company_user", ["/tableau-de-bord/", "/offres/nouvelle/"]),
        ("prescriber", ["/tableau-de-bord/", "/candidats/nouveau/"]),
        ("siae_user", ["/tableau-de-bord/"]),
        ("facilitator", ["/tableau-de-bord/", "/suivi/", "/marches/rapports/", "/marches/a-risque/"]),
    ],
)
def test_each_role_main_pages(request, tab, user_fixture, pages):
    user = request.getfixturevalue(user_fixture)
    browser_tab = open_tab(tab, user_fixture)
    browser_tab.login(user.email, DEFAULT_PASSWORD)
    assert_no_violation(browser_tab)
    for number, path in enumerate(pages):
        visit(browser_tab, path, f"page-{number}")


def test_the_state_filter_submits_when_changed(tab, facilitator):
    """Its former inline ``onchange`` handler is now in passerelle.js."""
    browser_tab = open_tab(tab, "filtre")
    browser_tab.login(facilitator.email, DEFAULT_PASSWORD)
    visit(browser_tab, "/candidatures/", "candidatures")
    page = browser_tab.page

    with page.expect_navigation():
        page.select_option("#etat", index=1)

    assert "?etat=" in page.url
    assert_no_violation(browser_tab)


def test_activating_two_factor_authentication_from_the_dashboard(tab, facilitator):
    """The QR code is a data: image, the only images the policy allows beside the site's own."""
    browser_tab = open_tab(tab, "double-authentification")
    browser_tab.login(facilitator.email, DEFAULT_PASSWORD)
    page = browser_tab.page
    page.click("text=Activer la double authentification")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("#authenticator_secret")
    browser_tab.shot("qr-code")

    assert page.evaluate("document.querySelector('main img').naturalWidth") > 0
    assert_no_violation(browser_tab)


def test_the_admin_and_its_login_attempts_for_staff(tab, facilitator):
    facilitator.is_staff = facilitator.is_superuser = True
    facilitator.save()
    browser_tab = open_tab(tab, "admin")
    # The admin's login is the site's (allauth, with its second step): it sends back to the admin.
    browser_tab.goto("/admin/login/?next=/admin/")
    assert "/comptes/login/" in browser_tab.page.url
    browser_tab.page.fill("input[name=login]", facilitator.email)
    browser_tab.page.fill("input[name=password]", DEFAULT_PASSWORD)
    browser_tab.page.click("main form button[type=submit]")
    browser_tab.page.wait_for_selector("#content")
    assert_no_violation(browser_tab)
    for number, path in enumerate(["/admin/", "/admin/axes/accessattempt/", "/admin/axes/accesslog/"]):
        visit(browser_tab, path, f"admin-{number}", ready="#content")
    assert facilitator.email in browser_tab.page.content()  # axes logged the admin's own login
