import pytest

from accounts.models import Invitation, Membership, User
from demo import accounts as demo
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, facilitator):
    """A member of the facilitator's team, with the staff rights the demo gives."""
    facilitator.is_staff = True
    facilitator.save()
    demo.give_staff_rights(facilitator)
    client.force_login(facilitator)
    return client


def test_staff_see_every_accounts_list(staff_client, company_user, company_org):
    Invitation.objects.create(organisation=company_org, email="x@exemple.test", invited_by=company_user)
    for url, expected in [
        ("/admin/accounts/user/", company_user.email),
        ("/admin/accounts/organisation/", company_org.name),
        ("/admin/accounts/invitation/", "x@exemple.test"),
    ]:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content.decode(), url


def test_user_list_searches_by_email(staff_client, company_user, prescriber):
    html = staff_client.get("/admin/accounts/user/", {"q": company_user.email}).content.decode()
    assert company_user.email in html
    assert prescriber.email not in html


def test_staff_create_a_user_by_email(staff_client):
    response = staff_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "nouvel.agent@exemple.test",
            "usable_password": "true",
            "password1": "un-mot-de-passe-solide-2026",
            "password2": "un-mot-de-passe-solide-2026",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert User.objects.get(email="nouvel.agent@exemple.test").check_password("un-mot-de-passe-solide-2026")


def test_organisation_page_shows_and_edits_its_members(staff_client, company_org, company_user):
    url = f"/admin/accounts/organisation/{company_org.pk}/change/"
    html = staff_client.get(url).content.decode()
    assert "Appartenances" in html
    assert f'value="{company_user.pk}"' in html

    newcomer = UserFactory()
    membership = Membership.objects.get(organisation=company_org)
    data = {
        "kind": company_org.kind,
        "name": company_org.name,
        "siret": company_org.siret,
        "address": company_org.address,
        "created_at_0": "01/01/2026",
        "created_at_1": "10:00:00",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": membership.pk,
        "memberships-0-organisation": company_org.pk,
        "memberships-0-user": company_user.pk,
        "memberships-0-is_admin": "on",
        "memberships-0-joined_at_0": "01/01/2026",
        "memberships-0-joined_at_1": "10:00:00",
        "memberships-1-organisation": company_org.pk,
        "memberships-1-user": newcomer.pk,
        "memberships-1-joined_at_0": "02/01/2026",
        "memberships-1-joined_at_1": "10:00:00",
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].errors if response.context else response
    assert Membership.objects.filter(organisation=company_org, user=newcomer, is_admin=False).exists()


def test_a_wrong_siret_is_refused_in_the_admin_too(staff_client, company_org):
    response = staff_client.post(
        f"/admin/accounts/organisation/{company_org.pk}/change/",
        {"kind": "company", "name": "X", "siret": "12345678901234", "memberships-TOTAL_FORMS": "0"},
    )
    assert "Ce numéro SIRET n&#x27;est pas valide" in response.content.decode()


def test_people_outside_the_staff_cannot_enter(client_as, company_user):
    response = client_as(company_user).get("/admin/accounts/organisation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
