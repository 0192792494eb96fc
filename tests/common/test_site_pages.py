"""The pages around the work: French error pages, trust pages linked from every footer, the header and its
navigation, and the public way in (home → job board, SIAE directory)."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.html import escape

from common import navigation
from common.pages import server_error

pytestmark = pytest.mark.django_db

TRUST_PAGES = {
    "accessibility": "Déclaration d'accessibilité",
    "legal_notice": "Mentions légales",
    "personal_data": "Données personnelles",
    "help": "Besoin d'aide ?",
}


def text(response):
    return response.content.decode()


def test_an_unknown_address_answers_the_french_dsfr_404_page(client):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    page = text(response)
    assert "Page non trouvée" in page and "Erreur 404" in page
    assert 'href="/aide/"' in page and "fr-footer" in page
    assert "Not Found" not in page


def test_a_refused_page_answers_the_french_403_page_with_its_reason(client_as, prescriber):
    response = client_as(prescriber).get(reverse("marketplace:follow_up"))

    assert response.status_code == 403
    page = text(response)
    assert "Accès refusé" in page and escape("Votre organisation n'a pas accès à cette action.") in page
    assert "Forbidden" not in page


def test_a_server_error_answers_the_french_500_page_without_touching_the_database(django_assert_num_queries):
    request = RequestFactory().get("/marches/")
    with django_assert_num_queries(0):
        response = server_error(request)

    assert response.status_code == 500
    page = response.content.decode()
    assert "Erreur inattendue" in page and "Erreur 500" in page
    assert "Server Error" not in page


def test_an_expired_form_answers_in_french(buyer):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("account_login"), {"login": buyer.email, "password": "x"})

    assert response.status_code == 403
    assert "Formulaire expiré" in text(response)
    assert "CSRF verification failed" not in text(response)


def test_the_demo_runs_with_debug_off_unless_asked():
    """People trying the demo see the French error pages, not Django's debug page."""
    code = "from config.settings import dev; print(dev.DEBUG)"
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    run = lambda extra: subprocess.run(  # noqa: E731
        [sys.executable, "-c", code], env={**env, **extra}, capture_output=True, text=True, cwd=settings.BASE_DIR
    ).stdout.strip()

    assert run({}) == "False"
    assert run({"DEBUG": "true"}) == "True"


@pytest.mark.parametrize("url_name", TRUST_PAGES)
def test_every_footer_links_the_trust_pages_which_anyone_may_read(client, url_name):
    home = text(client.get("/"))
    assert f'href="{reverse(url_name)}"' in home

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert TRUST_PAGES[url_name] in text(response)


def test_the_personal_data_page_states_the_retention_in_force(client, settings):
    settings.CANDIDATE_RETENTION_MONTHS = 36
    settings.SESSION_COOKIE_AGE = 4 * 3600
    settings.DPO_EMAIL = "dpo@exemple.test"

    page = text(client.get(reverse("personal_data")))

    assert "depuis 36 mois est anonymisée" in page
    assert "au plus 4 heures" in page
    assert "mailto:dpo@exemple.test" in page
    for section in ("Ce qui est recueilli", "Pourquoi", "Combien de temps", "Vos droits", "CNIL"):
        assert section in page


def test_the_accessibility_statement_gives_the_audit_figures(client):
    from common import accessibility

    page = text(client.get(reverse("accessibility")))

    assert f"<strong>{accessibility.AUDIT['pages']} pages</strong>" in page
    assert "0 non-conformité grave ou critique" in page
    # Each role's day, its pages counted by tests/e2e/test_days.py.
    assert f"({sum(accessibility.DAYS.values())} pages, mêmes critères" in page
    for rule in accessibility.KNOWN_ISSUES:
        assert f"« {rule} »" in page


def test_the_anonymous_home_leads_to_the_job_board_and_the_siae_directory(client):
    page = text(client.get("/"))

    assert f'href="{reverse("marketplace:job_board")}"' in page
    assert f'href="{reverse("procurement:siae_directory")}"' in page
    assert "Voir les offres d'emploi" in page


@pytest.mark.parametrize("kind", [None, "buyer", "company", "prescriber", "siae", "facilitator"])
def test_the_navigation_holds_on_one_line(kind):
    """Six entries at most; the rest is grouped in menus."""
    entries = navigation.main_navigation(kind, "")

    assert len(entries) <= 6
    assert sum(len(entry.children) or 1 for entry in entries) >= len(entries)


@pytest.mark.parametrize(
    "user_fixture", ["buyer", "company_user", "prescriber", "siae_user", "facilitator"], ids=lambda f: f
)
def test_every_navigation_link_of_a_role_opens_for_that_role(request, client_as, user_fixture):
    user = request.getfixturevalue(user_fixture)
    client = client_as(user)
    kind = user.memberships.get().organisation.kind
    links = [child for entry in navigation.main_navigation(kind, "") for child in (entry.children or [entry])]

    statuses = {link.label: client.get(link.url).status_code for link in links}

    assert set(statuses.values()) == {200}, statuses


def test_the_facilitator_header_groups_the_navigation_in_dsfr_menus(client_as, facilitator):
    page = text(client_as(facilitator).get(reverse("procurement:statement_list")))

    assert page.count('class="fr-nav__btn"') == 3
    assert page.count('class="fr-collapse fr-menu"') == 3
    # The menu holding the current page is marked current, and so is its link.
    assert 'aria-current="true">Marchés et heures</button>' in page
    assert f'href="{reverse("procurement:statement_list")}" aria-current="page">Relevés d&#x27;heures' in page
    # The organisation shows where the tagline stands, not among the tools squeezing the logo.
    assert "fr-icon-building-line" not in page
    assert f"{escape(facilitator.memberships.get().organisation.name)} · Facilitateur</p>" in page


@pytest.mark.parametrize(
    ("user_fixture", "url_name"),
    [
        ("facilitator", "procurement:contract_list"),
        ("facilitator", "marketplace:placement_list"),
        ("facilitator", "marketplace:submission_list"),
        ("facilitator", "marketplace:candidate_list"),
        ("facilitator", "audit:event_list"),
        ("facilitator", "procurement:siae_directory"),
        ("facilitator", "marketplace:job_board"),
    ],
)
def test_every_list_filters_the_same_way_with_labelled_fields(request, client_as, user_fixture, url_name):
    page = text(client_as(request.getfixturevalue(user_fixture)).get(reverse(url_name)))

    form = page[page.index('passerelle-filters"') : page.index("</form>", page.index('passerelle-filters"'))]
    fields = re.findall(r'<(?:select|input)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', form)
    assert fields
    for field in fields:
        assert f'<label class="fr-label" for="{field}">' in form, field
    assert ">Filtrer</button>" in form and ">Tout afficher</a>" in form
    assert "---------" not in page
