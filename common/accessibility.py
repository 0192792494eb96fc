"""The accessibility statement's audit result, kept next to the test that measures it:
tests/e2e/test_accessibility.py walks every page of each role with axe-core, and fails on any serious or
critical violation, on any other one not listed in ``KNOWN_ISSUES``, and when ``AUDIT["pages"]`` is not the
number of pages it walks."""

AUDIT = {
    "date": "2 décembre 2026",
    "tool": "axe-core 4.14.1 (règles WCAG 2.1 A et AA), dans Chromium",
    "pages": 182,
    "roles": "visiteur, donneur d'ordre, entreprise, prescripteur, SIAE, facilitateur",
    "blocking": 0,
}

# Each role's day in the browser (tests/e2e/test_days.py), from the login page to each main task and its result:
# the distinct pages it checks with axe-core at desktop width and for sideways scroll at 390 px, role by role.
DAYS = {"acheteur": 6, "entreprise": 7, "prescripteur": 7, "SIAE": 4, "facilitateur": 8}

# axe-core rule id -> what it means here, in French. Only moderate or minor ones may be listed.
KNOWN_ISSUES = {
    "aria-allowed-role": (
        "Documentation de l'API : la console Swagger UI dessine sa propre zone principale (élément main) dans "
        "celle de la page ; elle est exposée comme une région nommée « Opérations de l'API », un rôle que la norme "
        "n'autorise pas sur cet élément (impact mineur)."
    ),
}
