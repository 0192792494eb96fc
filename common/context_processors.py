from django.conf import settings

# django-dsfr's own context processor reads its DsfrConfig table on every page;
# the site's identity is fixed, so it is served from here without a query.
SITE_CONFIG = {
    "site_title": "Passerelle",
    "site_tagline": "Les clauses sociales des marchés publics à Paris",
    "header_brand_html": "Ville<br>de Paris",
    "footer_brand_html": "Ville<br>de Paris",
    "footer_description": (
        "Passerelle réunit donneurs d'ordre, entreprises, prescripteurs, SIAE et facilitateur "
        "autour des heures d'insertion des marchés publics parisiens. Site de démonstration : "
        "les personnes et organisations affichées sont fictives."
    ),
    "accessibility_status": "PART",
    "mourning": False,
    "beta_tag": True,
}


def site(request):
    return {"SITE_CONFIG": SITE_CONFIG, "DEBUG": settings.DEBUG}


def csp_nonce(request):
    """The page's CSP nonce, under the name django-htmx's ``{% htmx_script %}`` reads (Django 6's). Made here,
    before any template reads it: ``{% dsfr_js nonce=request.csp_nonce %}`` skips a nonce not made yet."""
    return {"csp_nonce": str(getattr(request, "csp_nonce", ""))}
