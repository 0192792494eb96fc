import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation, Membership
from tests.accounts.factories import UserFactory, member_of
from tests.accounts.helpers import confirm_email, link_in_last_email, sign_up

pytestmark = pytest.mark.django_db


def invite(client, email):
    return client.post("/organisation/membres/", {"email": email}, follow=True)


@pytest.fixture
def invitation(company_user, company_org):
    return Invitation.objects.create(organisation=company_org, email="nouvelle@exemple.test", invited_by=company_user)


def test_an_admin_invites_by_email(client_as, company_user, company_org, django_capture_on_commit_callbacks):
    client = client_as(company_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, "Nouvelle@Exemple.test")

    assert "Invitation envoyée à nouvelle@exemple.test." in response.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.organisation, invitation.email, invitation.invited_by) == (
        company_org,
        "nouvelle@exemple.test",
        company_user,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nouvelle@exemple.test"]
    assert company_org.name in mail.outbox[0].subject
    assert link_in_last_email("nouvelle@exemple.test") == f"/invitations/{invitation.token}/"
    # Pending invitations are listed on the members page.
    assert "nouvelle@exemple.test – invitée le" in response.content.decode()


def test_a_member_who_is_not_admin_cannot_invite(client_as, company_org):
    client = client_as(member_of(company_org, is_admin=False))
    page = client.get("/organisation/membres/").content.decode()
    assert "Inviter une personne" not in page

    response = client.post("/organisation/membres/", {"email": "nouvelle@exemple.test"})

    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_a_member_or_a_bad_email_is_refused_inline(client_as, company_user, company_org):
    client = client_as(company_user)
    colleague = member_of(company_org)
    for email, error in [(colleague.email, "déjà membre"), ("pas-un-email", "adresse e-mail valide")]:
        html = invite(client, email).content.decode()
        assert "fr-input-group--error" in html
        assert error in html
    assert not Invitation.objects.exists()


def test_the_invitee_signs_up_with_the_invited_email_and_joins(client, invitation, company_org):
    link = f"/invitations/{invitation.token}/"

    # Anonymous: sent to sign up, with the way back.
    response = client.get(link, follow=True)
    assert response.redirect_chain[-1][0] == f"/comptes/signup/?next={link}"
    assert "créez votre compte avec l&#x27;adresse nouvelle@exemple.test" in response.content.decode()

    sign_up(client, "nouvelle@exemple.test", next_url=link)
    response = confirm_email(client, "nouvelle@exemple.test")

    assert response.redirect_chain[-1][0] == link
    assert "Accepter l'invitation" in response.content.decode()
    response = client.post(link, follow=True)

    user = response.wsgi_request.user
    assert Membership.objects.filter(user=user, organisation=company_org, is_admin=False).exists()
    assert "Espace entreprise" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_the_link_only_works_for_the_invited_email(client_as, invitation, company_org):
    someone_else = UserFactory()
    client = client_as(someone_else)
    link = f"/invitations/{invitation.token}/"

    page = client.get(link).content.decode()
    assert "Cette invitation a été envoyée à nouvelle@exemple.test" in page
    assert "Accepter l'invitation" not in page

    client.post(link)

    assert not Membership.objects.filter(user=someone_else, organisation=company_org).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_expired_invitation_cannot_be_accepted(client_as, invitation, company_org):
    invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    invitation.save()
    invitee = UserFactory(email="nouvelle@exemple.test")

    response = client_as(invitee).post(f"/invitations/{invitation.token}/")

    assert "expiré ou a déjà été utilisée" in response.content.decode()
    assert not Membership.objects.filter(user=invitee).exists()


def test_an_invitation_lasts_fourteen_days(invitation):
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)


def test_an_invitation_cannot_be_reused(client_as, invitation, company_org):
    invitee = UserFactory(email="nouvelle@exemple.test")
    client = client_as(invitee)
    link = f"/invitations/{invitation.token}/"
    client.post(link)
    Membership.objects.filter(user=invitee).delete()  # left the organisation since

    response = client.post(link)

    assert "expiré ou a déjà été utilisée" in response.content.decode()
    assert not Membership.objects.filter(user=invitee).exists()


def test_an_unknown_token_is_a_404(client):
    assert client.get("/invitations/inconnu/").status_code == 404
