import pytest
from django.core import mail

from tests.accounts.helpers import link_in_last_email
from tests.accounts.test_login import log_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-tout-nouveau-mot-de-passe"


def ask_for_reset(client, email):
    return client.post("/comptes/password/reset/", {"email": email}, follow=True)


def test_reset_by_email_link_then_log_in_with_the_new_password(client, prescriber):
    page = client.get("/comptes/password/reset/")
    assert 'class="fr-input"' in page.content.decode()

    response = ask_for_reset(client, prescriber.email)

    assert response.redirect_chain[-1][0] == "/comptes/password/reset/done/"
    assert len(mail.outbox) == 1
    assert "nouveau mot de passe" in mail.outbox[0].body
    # allauth moves the key out of the URL into the session, then shows the form.
    form = client.get(link_in_last_email(prescriber.email), follow=True)
    assert 'name="password1"' in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert done.redirect_chain[-1][0] == "/comptes/password/reset/key/done/"

    assert log_in(client, prescriber.email, password=NEW_PASSWORD).wsgi_request.user == prescriber
    client.post("/comptes/logout/")
    assert not log_in(client, prescriber.email).wsgi_request.user.is_authenticated


def test_the_link_works_once(client, prescriber):
    ask_for_reset(client, prescriber.email)
    link = link_in_last_email(prescriber.email)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    again = client.get(link, follow=True).content.decode()

    assert 'name="password1"' not in again
    assert "invalide" in again


def test_a_weak_new_password_is_refused_inline(client, prescriber):
    ask_for_reset(client, prescriber.email)
    form = client.get(link_in_last_email(prescriber.email), follow=True)
    response = client.post(form.redirect_chain[-1][0], {"password1": "court", "password2": "court"})
    html = response.content.decode()
    assert "fr-input-group--error" in html
    assert "au minimum 12 caractères" in html


def test_an_unknown_email_reveals_nothing(client):
    response = ask_for_reset(client, "inconnu@exemple.test")
    assert response.redirect_chain[-1][0] == "/comptes/password/reset/done/"
    # The message sent says there is no account; the page is the same as for a known email.
    assert "/comptes/password/reset/key/" not in mail.outbox[0].body
