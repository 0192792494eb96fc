"""Every page each role can reach, in chromium: axe-core finds no serious or critical violation, and nothing
scrolls sideways on a 390 px phone. The pages are the role × resource matrix's (tests/test_isolation_matrix.py:
those a role opens with a 200) plus the public ones below; ``test_the_walk_covers_the_urlconf`` checks that
every route of the URLconf is walked or named in ``NOT_WALKED`` with its reason. The moderate and minor
violations found must be the ones the accessibility statement lists (``common.accessibility``)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from common import accessibility
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.e2e.axe import DESKTOP, audit, axe_version, blocking, overflow
from tests.test_isolation_matrix import MATRIX, ROLE_USERS, ROLES, world  # noqa: F401 (world is a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WALKED_ROLES = ["anonymous", "buyer", "company", "prescriber", "siae", "facilitator"]
# Pages outside the matrix: they hold no organisation's data. (path, roles, CSS selector ready when loaded)
PUBLIC_PAGES = [
    ("/", ["anonymous"], "main"),
    ("/comptes/login/", ["anonymous"], "main"),
    ("/comptes/signup/", ["anonymous"], "main"),
    ("/comptes/password/reset/", ["anonymous"], "main"),
    ("/accessibilite/", WALKED_ROLES, "main"),
    ("/mentions-legales/", ["anonymous"], "main"),
    ("/donnees-personnelles/", ["anonymous"], "main"),
    ("/aide/", ["anonymous", "company"], "main"),
    ("/page-qui-n-existe-pas/", ["anonymous", "buyer"], "main"),
    ("/api/docs/", ["anonymous", "facilitator"], ".opblock-tag"),
    ("/comptes/2fa/", WALKED_ROLES[1:], "main"),
    ("/organisation/creer/", [], "main"),
]
# Routes no role walks, and why.
NOT_WALKED = {
    "api": "API (JSON), checked by tests/api",
    "schema": "OpenAPI schema (YAML)",
    "health": "JSON for the monitoring",
    "admin": "Django's admin, staff only (its own look)",
    "favicon.ico": "a redirect to an icon",
    "media": "uploaded files",
}
DOWNLOAD = re.compile(r"\.(xlsx|csv|json|svg)(\?|$)")
# A page whose form posts elsewhere or that only answers POST is reached through the page holding its form.
POST_ONLY = {
    "accounts:switch_organisation",
    "marketplace:position_state",
    "marketplace:submission_transition",
    "marketplace:placement_decide",
    "marketplace:placement_outcome",
    "marketplace:notifications_mark_read",
    "marketplace:position_matches_submit",
    "marketplace:position_matches_ask",
    "procurement:contract_transition",
    "procurement:statement_validate",
    "procurement:statement_reject",
}


def pages_for(role, objects):
    """(path, ready selector) of every HTML page ``role`` opens, ``objects`` being the matrix's world."""
    column = ROLES.index(role)
    pages = [
        (url(objects), "main")
        for url, statuses in MATRIX.values()
        if statuses[column] == 200 and not url(objects).startswith("/api/") and not DOWNLOAD.search(url(objects))
    ]
    pages += [(path, ready) for path, roles, ready in PUBLIC_PAGES if role in roles]
    return pages


class Findings:
    """Violations by rule over the walk, for the statement."""

    def __init__(self):
        self.by_rule = {}
        self.pages = 0

    def add(self, path, violations):
        self.pages += 1
        for violation in violations:
            entry = self.by_rule.setdefault(violation.rule, {"impact": violation.impact, "help": violation.help})
            entry.setdefault("pages", set()).add(path)


@pytest.mark.parametrize("role", WALKED_ROLES)
def test_every_page_of_each_role_is_accessible(role, world, request, browser, live_server):  # noqa: F811
    context = browser.new_context(locale="fr-FR", viewport=DESKTOP)
    page = context.new_page()
    problems, findings = [], Findings()
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    if role != "anonymous":
        user = request.getfixturevalue(ROLE_USERS[role])
        page.goto(live_server.url + "/comptes/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        with page.expect_event("load"):
            page.click("main form button[type=submit]")
    for path, ready in pages_for(role, world):
        page.set_viewport_size(DESKTOP)
        page.goto(live_server.url + path)
        page.wait_for_selector(ready)
        violations = audit(page)
        findings.add(path, violations)
        problems += [f"{path}: {v}" for v in blocking(violations)]
        excess, culprit = overflow(page)
        if excess > 0:
            problems.append(f"{path}: {excess} px de défilement horizontal à 390 px ({culprit})")
    context.close()
    assert not problems, f"axe-core {axe_version()}, {role}:\n" + "\n".join(problems)
    unlisted = {
        rule: (entry["impact"], entry["help"], sorted(entry["pages"])[:3])
        for rule, entry in findings.by_rule.items()
        if rule not in accessibility.KNOWN_ISSUES
    }
    assert not unlisted, f"{role}: violations absent de la déclaration d'accessibilité : {unlisted}"


def _routes(resolver=None, prefix=""):
    """(namespaced name or first path segment, pattern) of every route of the URLconf."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else prefix
            yield from _routes(entry, namespace)
        elif isinstance(entry, URLPattern):
            yield (f"{prefix}{entry.name}" if entry.name else str(entry.pattern)), str(entry.pattern)


def test_the_walk_covers_the_urlconf(world):  # noqa: F811
    walked = set()
    for role in WALKED_ROLES:
        for path, _ in pages_for(role, world):
            match = resolve(path.split("?")[0]) if path != "/page-qui-n-existe-pas/" else None
            if match:
                walked.add(match.view_name)
    downloads = {resolve(url(world)).view_name for url, _ in MATRIX.values() if DOWNLOAD.search(url(world))}
    missing = []
    for name, pattern in _routes():
        if name in walked or name in downloads or name in POST_ONLY:
            continue
        if name.startswith(("account_", "mfa_", "socialaccount", "headless")) or pattern.startswith("comptes"):
            continue  # allauth's pages: login, sign-up, reset and two-factor are walked above, the rest is theirs
        if any(name.startswith(key) or pattern.startswith(key) for key in NOT_WALKED):
            continue
        missing.append(name)
    assert missing == [], f"routes walked by no role (add them to the matrix or to NOT_WALKED): {missing}"
