"""Every page each role can reach, in chromium: axe-core finds no serious or critical violation, and nothing
scrolls sideways on a 390 px phone. The pages are the role × resource matrix's (tests/test_isolation_matrix.py:
those a role opens with a 200) plus the public ones below; ``test_the_walk_covers_the_urlconf`` checks that
every route of the URLconf is walked or named in ``NOT_WALKED`` with its reason. The moderate and minor
violations found must be the ones the accessibility statement lists (``common.accessibility``)."""

import re

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from playwright.sync_api import expect

from common import accessibility
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.e2e.axe import DESKTOP, PHONE_WIDTH, audit, axe_version, blocking, overflow, preload
from tests.e2e.passes import judged_once
from tests.test_isolation_matrix import MATRIX, ROLES, build_world

# The site's 404 page is walked too: the one path expected to answer 404.
NOT_FOUND = "/page-qui-n-existe-pas/"

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
    ("/donnees-personnelles/candidats/", ["anonymous"], "main"),
    ("/aide/", ["anonymous", "company"], "main"),
    (NOT_FOUND, ["anonymous", "buyer"], "main"),
    ("/api/docs/", ["anonymous", "facilitator"], ".opblock-tag"),
    ("/comptes/2fa/", WALKED_ROLES[1:], "main"),
    ("/organisation/creer/", ["facilitator"], "main"),
]
# Pages of objects in a state the matrix's world does not hold: (lambda objects: path, roles).
STATE_PAGES = [
    (lambda o: f"/marches/{o['draft_contract'].pk}/modifier/", ["buyer"]),
    (lambda o: f"/marches/{o['confirmed_contract'].pk}/attribuer/", ["buyer"]),
    (lambda o: f"/marches/{o['contract'].pk}/commandes-siae/nouvelle/", ["company"]),
    (lambda o: "/marches/siae/ma-fiche/", ["siae"]),
    (lambda o: f"/invitations/{o['invitation'].token}/", ["buyer"]),
    (lambda o: f"/candidatures/{o['submission'].pk}/transition/?etat=refused", ["company"]),
    (lambda o: f"/mises-a-l-emploi/{o['placement'].pk}/transition/", ["facilitator"]),
    (lambda o: f"/marches/heures/{o['statement'].pk}/transition/", ["facilitator"]),
    (lambda o: f"/marches/{o['contract'].pk}/transition/?etat=closed", ["buyer"]),
    (
        lambda o: f"/informations-collectives/invitations/{o['waiting_invitation'].pk}/etat/?etat=declined",
        ["prescriber"],
    ),
    (lambda o: "/organisation/en-attente/", ["buyer"]),
    (lambda o: "/compte/acces/deconnexion-partout/", ["buyer"]),
    (lambda o: f"/compte/acces/jetons/{o['api_token'].token_key}/revoquer/", ["buyer"]),
]
# Routes no role walks as a page, and why (by the start of their address).
NOT_WALKED = {
    "api/": "API (JSON), checked by tests/api",
    "admin/": "Django's admin, staff only (its own look)",
    "comptes/": "allauth's pages: login, sign-up, reset and two-factor are walked above, the others are its own",
    "referentiels/": "fragments of the search-as-you-type fields, walked inside the forms holding them",
    "health/": "JSON for the monitoring",
    "favicon.ico": "a redirect to an icon",
    "^media/": "uploaded files",
}
# Files, not pages: exports, charts, and proofs of hours (``/justificatif/``, served as attachments).
DOWNLOAD = re.compile(r"(\.(xlsx|csv|json|svg)|/justificatif/)(\?|$)")
# A route that only answers POST is reached through the page holding its form.
POST_ONLY = {
    "accounts:switch_organisation",
    "accounts:join_organisation",
    "accounts:decide",
    "marketplace:position_transition",
    "marketplace:placement_outcome",
    "notifications:notifications_mark_read",
    "matching:position_matches_submit",
    "matching:position_matches_ask",
    "procurement:statement_validate_many",
    "marketplace:session_invite",
    "marketplace:session_register",
    "marketplace:invitation_outcome",
    "matching:session_matches_invite",
}


@pytest.fixture
def objects():
    """The matrix's world (committed, for the live server), and objects in the states its pages need."""
    from django.utils import timezone
    from knox.models import AuthToken

    from accounts.models import Invitation
    from tests.marketplace.factories import SessionInvitationFactory
    from tests.procurement.factories import ContractFactory

    world = build_world()
    buyer, buyer_org = world["users"]["buyer"], world["organisations"]["buyer"]
    return {
        **world,
        "draft_contract": ContractFactory(buyer=buyer_org),
        "confirmed_contract": ContractFactory(buyer=buyer_org, confirmed=True),
        "waiting_invitation": SessionInvitationFactory(
            session=world["planned_session"], candidate__prescriber=world["candidate"].prescriber
        ),
        "invitation": Invitation.objects.create(
            organisation=world["organisations"]["company"],
            email=buyer.email,
            invited_by=world["users"]["company"],
            expires_at=timezone.now() + Invitation.VALIDITY,
        ),
        "api_token": AuthToken.objects.create(user=buyer)[0],
    }


def view_of(path):
    try:
        return resolve(path.split("?")[0]).view_name
    except Resolver404:  # the 404 page
        return None


def pages_for(role, objects):
    """(path, ready selector) of every HTML page ``role`` opens, ``objects`` being the world of ``objects``. A view
    that PUBLIC_PAGES or STATE_PAGES name is walked there only, for the roles and in the state they choose."""
    column = ROLES.index(role)
    chosen = {view_of(path) for path, _, _ in PUBLIC_PAGES} | {view_of(url(objects)) for url, _ in STATE_PAGES}
    pages = [
        (url(objects), "main")
        for url, statuses, *how in MATRIX.values()
        if not how
        and statuses[column] == 200
        and not url(objects).lstrip("/").startswith(tuple(NOT_WALKED))
        and not DOWNLOAD.search(url(objects))
        and view_of(url(objects)) not in chosen
    ]
    pages += [(path, ready) for path, roles, ready in PUBLIC_PAGES if role in roles]
    pages += [(url(objects), "main") for url, roles in STATE_PAGES if role in roles]
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


# The longest browser test (~180 pages): on PostgreSQL the isolation matrix renders every page, and the browser
# stories and days drive the workflows.
@judged_once
@pytest.mark.parametrize("role", WALKED_ROLES)
def test_every_page_of_each_role_is_accessible(role, objects, request, browser, live_server):
    context = browser.new_context(locale="fr-FR", viewport=DESKTOP)
    preload(context)
    page = context.new_page()
    problems, findings = [], Findings()
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    if role != "anonymous":
        user = objects["users"][role]
        page.goto(live_server.url + "/comptes/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        with page.expect_event("load"):
            page.click("main form button[type=submit]")
    for path, ready in pages_for(role, objects):
        response = page.goto(live_server.url + path)
        expected = 404 if path == NOT_FOUND else 200
        if response is not None and response.status != expected:
            # A walked page must be the page meant: a 404 from a wrong key would pass axe unnoticed.
            problems.append(f"{path}: HTTP {response.status} au lieu de {expected}")
            continue
        page.wait_for_selector(ready)
        # Each page is seen at both widths, the one it loaded at first: one resize a page, not two.
        loaded_at_phone_width = page.viewport_size["width"] == PHONE_WIDTH
        if loaded_at_phone_width:
            excess, culprit = overflow(page)
            page.set_viewport_size(DESKTOP)
        violations = audit(page)
        findings.add(path, violations)
        problems += [f"{path}: {v}" for v in blocking(violations)]
        if page.evaluate("document.documentElement.outerHTML.includes('---------')"):
            problems.append(f"{path}: un choix « --------- » de Django")
        if not loaded_at_phone_width:
            excess, culprit = overflow(page)
        if excess > 0:
            problems.append(f"{path}: {excess} px de défilement horizontal à 390 px ({culprit})")
    context.close()
    # The figures of the accessibility statement (common.accessibility.AUDIT), shown with -s.
    print(f"\naxe-core {axe_version()}, {role}: {findings.pages} pages, {sorted(findings.by_rule)}")
    assert not problems, f"axe-core {axe_version()}, {role}:\n" + "\n".join(problems)
    unlisted = {
        rule: (entry["impact"], entry["help"], sorted(entry["pages"])[:3])
        for rule, entry in findings.by_rule.items()
        if rule not in accessibility.KNOWN_ISSUES
    }
    assert not unlisted, f"{role}: violations absent de la déclaration d'accessibilité : {unlisted}"


def _routes(resolver=None, namespace="", prefix=""):
    """(namespaced name, full pattern) of every route of the URLconf."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else ""), prefix + str(entry.pattern)


def test_the_statement_counts_the_pages_walked(objects):
    walked = sum(len(pages_for(role, objects)) for role in WALKED_ROLES)
    assert accessibility.AUDIT["pages"] == walked, "update common.accessibility.AUDIT"


def test_the_walk_covers_the_urlconf(objects):
    walked = set()
    for role in WALKED_ROLES:
        for path, _ in pages_for(role, objects):
            if path != NOT_FOUND:
                walked.add(resolve(path.split("?")[0]).view_name)
    downloads = {resolve(url(objects)).view_name for url, *_ in MATRIX.values() if DOWNLOAD.search(url(objects))}
    downloads.add("marketplace:candidate_import_template")
    missing = [
        name or pattern
        for name, pattern in _routes()
        if name not in walked | downloads | POST_ONLY and not pattern.startswith(tuple(NOT_WALKED))
    ]
    assert missing == [], f"routes walked by no role (add them to the matrix, STATE_PAGES or NOT_WALKED): {missing}"


@judged_once
@pytest.mark.parametrize("width", [1024, 1280])
def test_the_facilitator_header_keeps_its_logo_whole_and_its_navigation_on_one_line(
    width, browser, live_server, facilitator
):
    """The facilitator has the most entries: grouped in menus, they hold on one line, and the tools leave the
    « République Française » logo room."""
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/comptes/login/")
    page.fill("input[name=login]", facilitator.email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_event("load"):
        page.click("main form button[type=submit]")

    tops = page.evaluate(
        "[...document.querySelectorAll('.fr-nav__item')].map(item => item.getBoundingClientRect().top)"
    )
    logo_clipped = page.evaluate(
        "(() => { const logo = document.querySelector('.fr-header__logo .fr-logo');"
        " return logo.scrollWidth > logo.clientWidth + 1 || logo.getBoundingClientRect().width < 60; })()"
    )
    # A menu opens on click and lists its links, once the DSFR script listens to its button (it marks the
    # button data-fr-js-collapse-button): a click before that lands on a button nothing listens to yet.
    menu_button = page.get_by_role("button", name="Recrutement")
    expect(page.locator(".fr-nav__btn[data-fr-js-collapse-button]", has_text="Recrutement")).to_have_count(1)
    menu_button.click()
    menu_link = page.get_by_role("link", name="Mises à l'emploi", exact=True)
    try:
        expect(menu_link).to_be_visible(timeout=5000)
        menu_visible = True
    except AssertionError:
        menu_visible = False
    context.close()

    assert len(set(tops)) == 1, tops
    assert not logo_clipped
    assert menu_visible
