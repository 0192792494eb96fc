"""A person's day in the browser, page after page: each page reached is checked as the brief of issue 13 asks
(axe-core with no serious or critical violation and no sideways scroll at 390 px, reviewed in the SQLite pass:
tests/e2e/passes.py; no English word of Django's defaults; screenshotted), and the clicks from the dashboard to
each task are counted.

    day = Day(tab("entreprise"))
    day.login(user)                      # through the login page, lands on the dashboard
    day.start("Publier une offre")       # counts the clicks from here
    day.click(page.get_by_role(...), "offre")
    day.nav("Marchés")                   # the header's navigation, menus opened (each a click)
    day.done()                           # records the count under the task's name
"""

import re
from urllib.parse import urlparse

from playwright.sync_api import expect

from common import accessibility
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.e2e.axe import assert_accessible
from tests.e2e.passes import JUDGES_PAGES

# Django's and the browser's English defaults that a French page must never show (whole words, case-sensitive).
ENGLISH = [
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "Log in",
    "Log out",
    "Sign in",
    "Sign up",
    "Password",
    "Username",
    "Submit",
    "Save",
    "Delete",
    "Cancel",
    "Previous",
    "Next",
    "Page not found",
    "Server Error",
    "Forbidden",
    "Not Found",
    "Are you sure",
    "Add another",
    "Remove",
    "Choose",
    "Search",
    "Filter",
    "Yes",
    "Unknown",
    "Currently",
    "None",
    "True",
    "False",
    "January",
    "Monday",
    "ago",
    "Show more",
    "Close",
    "Home",
    "hours",
]
_ENGLISH = re.compile(r"\b(" + "|".join(re.escape(word) for word in ENGLISH) + r")\b")

# Clicks from the dashboard to each task, by role, filled by the tests (printed with -s, for the report).
CLICKS = {}


class Day:
    def __init__(self, tab):
        self.tab = tab
        self.page = tab.page
        self.page.set_default_timeout(30_000)
        self.checked = set()
        self.task = None
        self.clicks = 0

    def login(self, user):
        """Through the login page (checked too), to the dashboard."""
        page = self.page
        self.tab.goto("/comptes/login/")
        self.check("connexion")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        with page.expect_event("load"):
            page.click("form button[type=submit]")
        expect(page).to_have_url(re.compile(r"/tableau-de-bord/$"))
        self.check("tableau-de-bord")

    def check(self, label):
        """The page now on screen: French, accessible, fitting a phone; then its screenshot."""
        page = self.page
        page.wait_for_load_state("load")
        english = sorted(set(_ENGLISH.findall(page.inner_text("body"))))
        assert not english, f"{page.url}: {english}"
        url = urlparse(page.url)
        key = (url.path, url.query)
        if key not in self.checked:
            if JUDGES_PAGES:  # reviewed once, in the SQLite pass (tests/e2e/passes.py); counted in both
                assert_accessible(page)
            self.checked.add(key)
        self.tab.shot(label)

    def click(self, locator, label):
        """Clicks a link or a button that loads a page, counts it, checks the page reached."""
        page = self.page
        page.wait_for_load_state("load")
        with page.expect_event("load"):
            locator.click()
        self.clicks += 1
        self.check(label)

    def finish(self):
        """The day is over: the accessibility statement counts the pages it checked (common.accessibility.DAYS)."""
        print(f"\n{self.tab.name} : {len(self.checked)} pages vérifiées")
        assert len(self.checked) == accessibility.DAYS[self.tab.name], "update common.accessibility.DAYS"

    def start(self, task):
        self.task, self.clicks = task, 0

    def done(self):
        CLICKS.setdefault(self.tab.name, {})[self.task] = self.clicks
        print(f"\n{self.tab.name} : {self.task} en {self.clicks} clic{'s' if self.clicks > 1 else ''}")
        self.task = None

    def dashboard(self):
        """Back to the dashboard through the header's navigation (not a task's click)."""
        navigation = self.page.get_by_role("navigation", name="Menu principal")
        with self.page.expect_event("load"):
            navigation.get_by_role("link", name="Tableau de bord", exact=True).click()
        self.check("tableau-de-bord")

    def item_link(self, label):
        """The link of the dashboard's work item whose label is ``label`` (« 3 relevés d'heures à valider »)."""
        return self.page.locator(".passerelle-work a").filter(
            has_text=re.compile(rf"^\s*[\d\s\u202f]+{re.escape(label)}\s*$")
        )

    def nav(self, name):
        """Follows a link of the main navigation, opening the menu that holds it first (a click too)."""
        page = self.page
        # DSFR's script opens the menus: until it runs, a click on a menu's button does nothing.
        expect(page.locator("html[data-fr-js=true]")).to_have_count(1)
        navigation = page.get_by_role("navigation", name="Menu principal")
        link = navigation.get_by_role("link", name=name, exact=True)
        if not link.count():
            menu = navigation.locator("li.fr-nav__item", has=page.locator(f'a.fr-nav__link:text-is("{name}")'))
            menu.get_by_role("button").click()
            self.clicks += 1
            expect(link).to_be_visible()
        self.click(link, "navigation")

    def field(self, label):
        """The form field whose label starts with ``label`` (DSFR adds « (Optionnel) » and hints to labels)."""
        return self.page.get_by_label(re.compile(r"^\s*" + re.escape(label)))
