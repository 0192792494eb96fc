import pytest
from django.utils.html import escape

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("user_fixture", "heading"),
    [
        ("buyer", "Espace donneur d'ordre"),
        ("company_user", "Espace entreprise"),
        ("prescriber", "Espace prescripteur"),
        ("siae_user", "Espace SIAE"),
        ("facilitator", "Espace facilitateur"),
    ],
)
def test_each_role_lands_on_its_own_dashboard(request, client_as, user_fixture, heading):
    user = request.getfixturevalue(user_fixture)
    organisation = user.memberships.get().organisation

    response = client_as(user).get("/tableau-de-bord/")

    assert response.status_code == 200
    assert response.templates[0].name == f"dashboards/{organisation.kind}.html"
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert escape(organisation.name) in html
    assert 'class="fr-header"' in html and 'id="footer"' in html
    assert 'aria-current="page">Tableau de bord' in html


def test_home_sends_a_logged_in_person_to_the_dashboard(client_as, buyer):
    assert client_as(buyer).get("/")["Location"] == "/tableau-de-bord/"


def test_home_is_public(client):
    html = client.get("/").content.decode()
    assert "Se connecter" in html and "Créer un compte" in html


def test_the_dashboard_needs_a_login(client):
    assert client.get("/tableau-de-bord/")["Location"] == "/comptes/login/?next=/tableau-de-bord/"


@pytest.mark.parametrize("user_fixture", ["buyer", "company_user", "prescriber", "siae_user", "facilitator"])
def test_dashboard_queries_are_bounded(request, client_as, user_fixture, django_assert_max_num_queries):
    client = client_as(request.getfixturevalue(user_fixture))
    client.get("/tableau-de-bord/")  # warm caches (content types, site config)
    # session, user, memberships with organisations; the rest is each app's panel (named, and counted exactly on
    # populated data, in test_dashboard_work.py).
    with django_assert_max_num_queries(13):
        assert client.get("/tableau-de-bord/").status_code == 200
