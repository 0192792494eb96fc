"""Every allauth page Passerelle uses sits in the DSFR layout, in French."""

import re

import pytest

from tests.accounts.helpers import link_in_last_email

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"\b(Sign In|Sign Up|Sign Out|Password|Email|Forgot|Confirm|Remember)\b")


def assert_dsfr_in_french(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="fr-header"' in html and 'id="footer"' in html
    assert re.search(r'<h1 class="fr-h2">\s*\S', html)
    main = html[html.index("<main") : html.index("</main>")]
    assert not ENGLISH.search(main), ENGLISH.search(main)
    return main


@pytest.mark.parametrize(
    "path",
    [
        "/comptes/login/",
        "/comptes/signup/",
        "/comptes/password/reset/",
        "/comptes/password/reset/done/",
        "/comptes/confirm-email/inconnue/",
        "/comptes/password/reset/key/inconnue-cle/",
    ],
)
def test_anonymous_account_pages(client, path):
    assert_dsfr_in_french(client.get(path, follow=True))


def test_logout_page(client_as, buyer):
    main = assert_dsfr_in_french(client_as(buyer).get("/comptes/logout/"))
    assert 'class="fr-btn"' in main


def test_set_new_password_page(client, buyer):
    client.post("/comptes/password/reset/", {"email": buyer.email})
    response = client.get(link_in_last_email(buyer.email), follow=True)
    main = assert_dsfr_in_french(response)
    assert 'class="fr-input"' in main
    assert re.search(r'class="fr-btn fr-btn--secondary"[^>]*>\s*Annuler', main)
