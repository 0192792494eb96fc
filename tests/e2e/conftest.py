"""A real browser (Debian's chromium driven by Playwright) against Django's live server.

Screenshots of each step go to ``e2e-screenshots/`` (see README). Any console error or failed request
fails the test."""

import glob
import itertools
import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "e2e-screenshots"
# Without these, chromium keeps trying to reach Google's services, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/chromium.sh` (make test does it).")
    # The live server thread and Playwright's event loop would otherwise trip Django's async-safety check.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Tab:
    """A browser tab that records console errors and failed requests, and screenshots steps.

    Screenshots are named ``<test>-<step>-<tab>-<label>.png``; the tabs of one test share the step count, so
    the files sort in the order of the story."""

    def __init__(self, page, base_url, name, *, test_name, steps):
        self.page = page
        self.base_url = base_url
        self.name = name
        self.test_name = test_name
        self.steps = steps
        self.problems = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("requestfailed", self._request_failed)
        page.on(
            "response",
            lambda resp: resp.status >= 400 and self.problems.append(f"HTTP {resp.status}: {resp.url}"),
        )

    def _console(self, message):
        """A console error is a problem, named with its page and the script and line it came from."""
        if message.type != "error":
            return
        where = message.location
        source = f"{where['url']}:{where['lineNumber']}:{where['columnNumber']}"
        self.problems.append(f"console: {message.text} ({self.page.url}; {source})")

    def _request_failed(self, request):
        # The browser aborts what a page was still loading (an admin icon, say) when the test moves on to the
        # next page: the site did not fail. A real failure shows as an HTTP status, a console error or
        # another net:: error (refused, blocked by the Content Security Policy…).
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"request failed: {request.url} {request.failure}")

    def goto(self, path):
        self.page.goto(self.base_url + path)

    def shot(self, label):
        """Saves a full-page screenshot once the page has loaded (images included).

        With the caret left as it is: to hide it, Playwright gives every input a style attribute
        (« caret-color: transparent !important; »), the header's logout form's hidden input included, and when
        DSFR's script started after it, it copied that input with its style into the phone menu, an inline style
        the Content Security Policy refused (a console error in 3 fresh-clone runs of 6)."""
        self.page.wait_for_load_state("load")
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{self.test_name}-{next(self.steps):02d}-{self.name}-{label}.png"
        self.page.screenshot(path=path, full_page=True, caret="initial")

    def login(self, email, password):
        self.goto("/comptes/login/")
        self.page.fill("input[name=login]", email)
        self.page.fill("input[name=password]", password)
        # Until the next page has loaded: waiting for a load state right after the click could still see the
        # login page's.
        with self.page.expect_event("load"):
            self.page.click("form button[type=submit]")


@pytest.fixture
def tab(browser, live_server, request):
    """``tab(name)``: a fresh browser context (its own cookies: one per role)."""
    contexts = []
    tabs = []
    steps = itertools.count(1)
    # Screenshots of an earlier run of this test would mix with this run's.
    for old in SCREENSHOTS.glob(f"{glob.escape(request.node.name)}-*.png"):
        old.unlink()

    def make(name):
        context = browser.new_context(locale="fr-FR")
        contexts.append(context)
        new_tab = Tab(context.new_page(), live_server.url, name, test_name=request.node.name, steps=steps)
        tabs.append(new_tab)
        return new_tab

    yield make
    for context in contexts:
        context.close()
    problems = [p for t in tabs for p in t.problems]
    assert not problems, "\n".join(problems)
