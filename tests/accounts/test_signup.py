import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from tests.accounts.helpers import confirm_email, sign_up

pytestmark = pytest.mark.django_db


def test_signup_page_is_in_french_with_dsfr_fields(client):
    response = client.get("/comptes/signup/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Créer un compte" in html
    for field, label in [("first_name", "Prénom"), ("last_name", "Nom"), ("email", "Courriel")]:
        assert re.search(rf'<label class="fr-label" for="id_{field}">\s*{label}', html), field
    assert html.count('class="fr-input-group') == 5
    assert 'class="fr-input"' in html
    assert html.index("id_first_name") < html.index("id_email")


def test_signup_verification_then_organisation_creation(client):
    response = sign_up(client, "lea.martin@exemple.test")

    assert "Vérifiez votre adresse e-mail" in response.content.decode()
    user = User.objects.get(email="lea.martin@exemple.test")
    assert (user.first_name, user.last_name) == ("Léa", "Martin")
    assert user.check_password("un-mot-de-passe-solide-2026")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("[Passerelle]")
    assert "activer votre compte" in mail.outbox[0].body
    # Not logged in before the email is verified.
    assert client.get("/tableau-de-bord/").status_code == 302
    assert "_auth_user_id" not in client.session

    response = confirm_email(client, "lea.martin@exemple.test")

    assert EmailAddress.objects.get(user=user).verified
    assert response.wsgi_request.user == user
    # No organisation yet: asked to create one.
    assert response.redirect_chain[-1][0] == "/organisation/creer/"
    assert "Créer mon organisation" in response.content.decode()


def test_signup_errors_are_shown_inline_and_nothing_is_created(client):
    response = client.post(
        "/comptes/signup/",
        {"first_name": "", "last_name": "Martin", "email": "pas-un-email", "password1": "court", "password2": "court"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("fr-input-group--error") == 3
    assert "Saisissez une adresse e-mail valide." in html
    assert "Ce champ est obligatoire." in html
    assert "au minimum 12 caractères" in html
    assert not User.objects.exists()
    assert mail.outbox == []


def test_an_email_already_registered_cannot_sign_up_again(client, buyer):
    sign_up(client, buyer.email.upper())
    assert User.objects.filter(email__iexact=buyer.email).count() == 1


def test_login_before_verification_sends_the_link_again(client):
    sign_up(client, "lea.martin@exemple.test")
    response = client.post(
        "/comptes/login/",
        {"login": "lea.martin@exemple.test", "password": "un-mot-de-passe-solide-2026"},
        follow=True,
    )
    assert "Vérifiez votre adresse e-mail" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # allauth does not resend within its 3-minute cooldown: the first link still works.
    assert len(mail.outbox) == 1
