import pytest
from django.core.management import CommandError, call_command
from knox.models import AuthToken

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


def user_form(user, **extra):
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        **extra,
    }


def test_staff_cannot_make_themselves_superuser(staff_client, facilitator):
    """The door found open: the staff group held every permission of accounts, and the form showed is_superuser."""
    url = f"/admin/accounts/user/{facilitator.pk}/change/"

    response = staff_client.post(url, user_form(facilitator, is_staff="on", is_superuser="on"))

    assert response.status_code == 403
    facilitator.refresh_from_db()
    assert not facilitator.is_superuser
    assert not facilitator.has_perm("auth.change_group")


def test_staff_edit_a_person_but_not_their_privileges_nor_password(staff_client, company_user):
    url = f"/admin/accounts/user/{company_user.pk}/change/"
    html = staff_client.get(url).content.decode()
    assert 'name="first_name"' in html and 'name="is_active"' in html
    for field in ["is_superuser", "is_staff", "groups", "user_permissions"]:
        assert f'name="{field}"' not in html, field

    response = staff_client.post(
        url, user_form(company_user, first_name="Léa", is_staff="on", is_superuser="on", groups=["1"])
    )

    assert response.status_code == 302
    company_user.refresh_from_db()
    assert company_user.first_name == "Léa"
    assert not company_user.is_staff and not company_user.is_superuser and not company_user.groups.exists()
    assert staff_client.get(f"/admin/accounts/user/{company_user.pk}/password/").status_code == 403


def test_staff_cannot_add_themselves_to_an_organisation(staff_client, facilitator, company_org, company_user):
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
        "memberships-1-user": facilitator.pk,
        "memberships-1-is_admin": "on",
        "memberships-1-joined_at_0": "02/01/2026",
        "memberships-1-joined_at_1": "10:00:00",
    }

    response = staff_client.post(f"/admin/accounts/organisation/{company_org.pk}/change/", data)

    assert "Vos propres appartenances sont modifiées par un superutilisateur." in response.content.decode()
    assert not Membership.objects.filter(organisation=company_org, user=facilitator).exists()


def test_staff_have_no_say_on_groups_permissions_or_tokens(staff_client):
    for url in ["/admin/auth/group/", "/admin/auth/group/add/", "/admin/knox/authtoken/"]:
        assert staff_client.get(url).status_code == 403, url


def test_superusers_see_tokens_by_their_first_characters_only(client, company_user):
    admin = UserFactory(is_staff=True, is_superuser=True)
    _, token = AuthToken.objects.create(user=company_user)
    client.force_login(admin)

    listing = client.get("/admin/knox/authtoken/").content.decode()

    assert f"{token[:8]}…" in listing and str(company_user) in listing
    assert token not in listing and token[8:15] not in listing
    assert client.get("/admin/knox/authtoken/add/").status_code == 403


def test_make_staff_opens_the_admin_with_the_staffs_permissions_only(client, facilitator):
    call_command("make_staff", facilitator.email.upper())

    facilitator = User.objects.get(pk=facilitator.pk)
    assert facilitator.is_staff and not facilitator.is_superuser
    assert facilitator.has_perm("accounts.change_organisation") and facilitator.has_perm("audit.view_auditevent")
    assert not facilitator.has_perm("accounts.delete_user")
    assert not any(p.split(".")[0] in {"auth", "knox"} for p in facilitator.get_all_permissions())
    with pytest.raises(CommandError, match="Aucun compte n'a l'adresse inconnu@exemple.test."):
        call_command("make_staff", "inconnu@exemple.test")
