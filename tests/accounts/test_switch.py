import pytest

from accounts.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hats(company_user, siae_org):
    """A person acting for a company and for an SIAE."""
    Membership.objects.create(user=company_user, organisation=siae_org)
    return company_user


def switch(client, organisation_id, **extra):
    return client.post("/organisation/changer/", {"organisation": organisation_id, **extra}, follow=True)


def test_the_switcher_lists_only_ones_own_organisations(client_as, two_hats, company_org, siae_org, other_company_org):
    html = client_as(two_hats).get("/tableau-de-bord/").content.decode()
    assert f'<option value="{company_org.pk}"' in html
    assert f'<option value="{siae_org.pk}"' in html
    assert other_company_org.name not in html


def test_a_single_organisation_has_no_switcher(client_as, company_user):
    assert "switch-organisation" not in client_as(company_user).get("/tableau-de-bord/").content.decode()


def test_switching_shows_the_other_roles_dashboard(client_as, two_hats, company_org, siae_org):
    client = client_as(two_hats)
    assert "Espace entreprise" in client.get("/tableau-de-bord/").content.decode()

    response = switch(client, siae_org.pk)

    html = response.content.decode()
    assert "Espace SIAE" in html
    assert f"Vous agissez maintenant pour « {siae_org.name} »" in html
    assert client.get("/api/v1/me/").json()["current_organisation"] == siae_org.pk
    assert "Espace entreprise" in switch(client, company_org.pk).content.decode()


def test_switching_follows_next_on_this_site_only(client_as, two_hats, siae_org):
    client = client_as(two_hats)
    assert switch(client, siae_org.pk, next="/organisation/membres/").redirect_chain[-1][0] == "/organisation/membres/"
    assert switch(client, siae_org.pk, next="https://evil.example/").redirect_chain[-1][0] == "/tableau-de-bord/"


def test_switching_to_someone_elses_organisation_is_a_404(client_as, two_hats, other_company_org):
    client = client_as(two_hats)
    response = client.post("/organisation/changer/", {"organisation": other_company_org.pk})
    assert response.status_code == 404
    assert "Espace entreprise" in client.get("/tableau-de-bord/").content.decode()


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_switching_to_nothing_is_a_404(client_as, two_hats, value):
    assert client_as(two_hats).post("/organisation/changer/", {"organisation": value}).status_code == 404


def test_switching_needs_a_post(client_as, two_hats, siae_org):
    assert client_as(two_hats).get(f"/organisation/changer/?organisation={siae_org.pk}").status_code == 405
