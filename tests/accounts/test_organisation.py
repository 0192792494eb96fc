import pytest

from accounts.enums import OrganisationStatus
from accounts.models import Membership, Organisation
from tests.accounts.factories import UserFactory, make_siret

pytestmark = pytest.mark.django_db

VALID = {"kind": "company", "name": "Maçonnerie du Canal", "siret": make_siret(42), "address": "3 quai de Jemmapes"}


@pytest.fixture
def newcomer_client(client_as):
    return client_as(UserFactory())


def test_a_person_without_organisation_is_asked_to_create_one(newcomer_client):
    response = newcomer_client.get("/tableau-de-bord/", follow=True)
    assert response.redirect_chain == [("/organisation/creer/", 302)]
    assert "Créer mon organisation" in response.content.decode()


def test_creating_an_organisation_makes_its_creator_admin_of_an_organisation_waiting_for_approval(newcomer_client):
    response = newcomer_client.post("/organisation/creer/", VALID, follow=True)

    organisation = Organisation.objects.get()
    assert (organisation.kind, organisation.name, organisation.siret) == ("company", VALID["name"], VALID["siret"])
    assert organisation.status == OrganisationStatus.PENDING
    user = response.wsgi_request.user
    assert Membership.objects.get(organisation=organisation).user == user
    assert Membership.objects.get(organisation=organisation).is_admin
    assert response.redirect_chain[-1][0] == "/organisation/en-attente/"
    assert "elle pourra agir sur Passerelle dès que le facilitateur l&#x27;aura validée" in response.content.decode()


def test_a_siret_typed_with_spaces_is_accepted(newcomer_client):
    siret = make_siret(43)
    newcomer_client.post("/organisation/creer/", {**VALID, "siret": f"{siret[:3]} {siret[3:6]} {siret[6:]}"})
    assert Organisation.objects.get().siret == siret


@pytest.mark.parametrize("siret", ["12345678901234", "1234", "ABCDEFGHIJKLMN"])
def test_a_wrong_siret_is_refused_with_a_clear_french_error(newcomer_client, siret):
    response = newcomer_client.post("/organisation/creer/", {**VALID, "siret": siret})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce numéro SIRET n&#x27;est pas valide" in html
    assert 'id="id_siret"' in html and "fr-input-group--error" in html
    assert not Organisation.objects.exists()


def test_a_siret_already_registered_is_refused_and_joining_it_offered(newcomer_client, company_org):
    response = newcomer_client.post("/organisation/creer/", {**VALID, "siret": company_org.siret})
    html = response.content.decode()
    assert "Cette organisation existe déjà sur Passerelle : demandez à la rejoindre" in html
    assert f"Demander à rejoindre « {company_org.name} »" in html
    assert Organisation.objects.count() == 1


def test_a_prescriber_or_siae_must_say_which_kind(newcomer_client):
    html = newcomer_client.post("/organisation/creer/", {**VALID, "kind": "prescriber"}).content.decode()
    assert "Précisez le type de prescripteur." in html
    html = newcomer_client.post("/organisation/creer/", {**VALID, "kind": "siae"}).content.decode()
    assert "Précisez le type de SIAE." in html
    assert not Organisation.objects.exists()


def test_a_sub_kind_that_does_not_apply_is_dropped(newcomer_client):
    data = {**VALID, "kind": "siae", "siae_kind": "aci", "prescriber_kind": "plie"}
    newcomer_client.post("/organisation/creer/", data)
    organisation = Organisation.objects.get()
    assert (organisation.siae_kind, organisation.prescriber_kind) == ("aci", "")


def test_nobody_can_declare_a_facilitator(newcomer_client):
    page = newcomer_client.get("/organisation/creer/").content.decode()
    assert 'value="facilitator"' not in page

    response = newcomer_client.post("/organisation/creer/", {**VALID, "kind": "facilitator"})

    html = response.content.decode()
    assert "fr-select-group--error" in html
    assert "Sélectionnez un choix valide" in html
    assert not Organisation.objects.exists()


def test_members_page_lists_members_with_bounded_queries(
    client_as, company_user, company_org, django_assert_max_num_queries
):
    for _ in range(5):
        Membership.objects.create(user=UserFactory(), organisation=company_org)
    client = client_as(company_user)
    # session, user, memberships of the user, admin check, memberships with users, pending invitations
    with django_assert_max_num_queries(8):
        response = client.get("/organisation/membres/")
    assert response.content.decode().count("<tr><td>") == 6


def test_members_page_shows_only_the_current_organisation(client_as, company_user, other_company_user):
    html = client_as(company_user).get("/organisation/membres/").content.decode()
    assert company_user.email in html
    assert other_company_user.email not in html
