"""Accessibility checks of a Playwright page, reusable by every browser test.

``audit(page)`` runs axe-core (the npm package installed by ``scripts/axe.sh``, never a CDN) on the page as it
is, with French messages, and returns its violations; ``overflow(page)`` says whether the page scrolls
sideways. ``assert_accessible(page)`` does both, at the phone width, for a test that walks a page::

    from tests.e2e.axe import assert_accessible
    assert_accessible(tab.page)   # 0 serious or critical violation, no horizontal scroll at 390 px
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

AXE_DIR = Path(os.environ.get("AXE_CORE_DIR", settings.BASE_DIR / "var" / "axe" / "node_modules" / "axe-core"))
# What a page may not have at all; moderate and minor ones are listed in the accessibility statement.
BLOCKING_IMPACTS = ("serious", "critical")
PHONE_WIDTH = 390
DESKTOP = {"width": 1280, "height": 900}

_SOURCE = {}


def _axe_source():
    if not _SOURCE:
        script = AXE_DIR / "axe.min.js"
        if not script.exists():
            raise RuntimeError(f"{script} is missing: run `bash scripts/axe.sh` (make test does it).")
        _SOURCE["script"] = script.read_text(encoding="utf-8")
        _SOURCE["locale"] = json.loads((AXE_DIR / "locales" / "fr.json").read_text(encoding="utf-8"))
        _SOURCE["version"] = json.loads((AXE_DIR / "package.json").read_text(encoding="utf-8"))["version"]
    return _SOURCE


def axe_version():
    return _axe_source()["version"]


@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    targets: list = field(default_factory=list)

    def __str__(self):
        return f"{self.impact} {self.rule} ({self.help}) : {', '.join(self.targets[:5])}"


def preload(context):
    """Has every page of ``context`` start with axe-core loaded and in French (a walk of many pages: the script
    is then compiled once, not sent to each page)."""
    source = _axe_source()
    context.add_init_script(f"{source['script']}\n;window.axe.configure({{locale: {json.dumps(source['locale'])}}});")


def audit(page):
    """axe-core's violations on the page as it is now. The script is evaluated through the DevTools protocol,
    which the page's Content Security Policy does not apply to (a <script> tag would be refused)."""
    source = _axe_source()
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source["script"])
        page.evaluate("locale => window.axe.configure({locale})", source["locale"])
    # No preloading of the style sheets: axe would rebuild a sheet it cannot read yet as an inline <style>, which
    # the page's policy refuses (style-src 'self'), a console error that is axe's, not the site's.
    results = page.evaluate("() => window.axe.run(document, {resultTypes: ['violations'], preload: false})")
    return [
        Violation(
            rule=item["id"],
            impact=item["impact"] or "minor",
            help=item["help"],
            targets=[" ".join(map(str, node["target"])) for node in item["nodes"]],
        )
        for item in results["violations"]
    ]


def blocking(violations):
    return [v for v in violations if v.impact in BLOCKING_IMPACTS]


def overflow(page, width=PHONE_WIDTH):
    """The page's width beyond the window at ``width`` px (0 when nothing scrolls sideways), and the widest
    element that sticks out, to name the culprit."""
    page.set_viewport_size({"width": width, "height": 844})
    excess = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    culprit = ""
    if excess > 0:
        culprit = page.evaluate(
            """() => {
              const limit = document.documentElement.clientWidth;
              let worst = null;
              for (const el of document.querySelectorAll('body *')) {
                if (el.checkVisibility && !el.checkVisibility()) continue;
                // What a scrolling region (a DSFR table's container) clips does not widen the page.
                let clipped = false;
                for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                  if (getComputedStyle(up).overflowX !== 'visible') { clipped = true; break; }
                }
                if (clipped) continue;
                const right = el.getBoundingClientRect().right;
                if (right > limit + 1 && (!worst || right > worst.right)) worst = {el, right};
              }
              if (!worst) return '';
              const el = worst.el;
              const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/) : [];
              const caption = el.tagName === 'TABLE' && el.caption ? ' « ' + el.caption.textContent.trim() + ' »' : '';
              const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
              return name + classes.map(c => '.' + c).join('') + caption;
            }"""
        )
    return excess, culprit


def assert_accessible(page):
    """No serious or critical axe violation at desktop width, no horizontal scroll at 390 px; the window is
    left at desktop width."""
    page.set_viewport_size(DESKTOP)
    found = blocking(audit(page))
    excess, culprit = overflow(page)
    page.set_viewport_size(DESKTOP)
    assert not found, f"{page.url}:\n" + "\n".join(map(str, found))
    assert excess <= 0, f"{page.url} scrolls {excess} px sideways at {PHONE_WIDTH} px ({culprit})"
