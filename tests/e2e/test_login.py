import pytest

from tests.accounts.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_buyer_logs_in_through_the_login_page_and_lands_on_its_dashboard(tab, buyer, buyer_org):
    browser_tab = tab("acheteur")
    browser_tab.goto("/")
    browser_tab.shot("accueil")
    browser_tab.login(buyer.email, DEFAULT_PASSWORD)
    browser_tab.shot("tableau-de-bord")
    assert browser_tab.page.locator("h1").inner_text() == "Espace donneur d'ordre"
    assert buyer_org.name in browser_tab.page.content()
