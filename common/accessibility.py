"""The accessibility statement's audit result, kept next to the test that measures it:
tests/e2e/test_accessibility.py walks every page of each role with axe-core, and fails on any serious or
critical violation and on any other one not listed in ``KNOWN_ISSUES``. Update ``AUDIT`` when the walk
changes (its figures are printed by the test)."""

AUDIT = {
    "date": "2 décembre 2026",
    "tool": "axe-core 4.14.1 (règles WCAG 2.1 A et AA), dans Chromium",
    "pages": 0,
    "roles": "visiteur, donneur d'ordre, entreprise, prescripteur, SIAE, facilitateur",
    "blocking": 0,
}

# axe-core rule id -> what it means here, in French. Only moderate or minor ones may be listed.
KNOWN_ISSUES = {}
