"""The search-as-you-type widget of reference/forms.py in a real browser: type, pick with the keyboard or
the mouse, submit (page in tests/reference/widget_page.py)."""

import pytest

from tests.reference.factories import JobTitleFactory, OccupationFactory, paris_arrondissement, real_commune

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.reference.widget_page")]


def test_pick_job_titles_and_a_commune_with_keyboard_and_mouse(tab):
    masonry = OccupationFactory(code_rome="F1703", label="Maçonnerie")
    mason = JobTitleFactory(label="Maçon / Maçonne", occupation=masonry)
    JobTitleFactory(label="Maçon / Maçonne du paysage", occupation=masonry)
    plumber = JobTitleFactory(label="Plombier / Plombière")
    real_commune("75056")
    paris_11 = paris_arrondissement(11)
    browser_tab = tab("widget")
    page = browser_tab.page
    browser_tab.goto("/essai-widget/")

    # Single field, keyboard: type, arrow down to the first suggestion, Enter.
    page.fill("#id_job_title", "MACON")
    page.wait_for_selector("#id_job_title-listbox [role=option]")
    assert page.get_attribute("#id_job_title", "aria-expanded") == "true"
    browser_tab.shot("suggestions")
    page.press("#id_job_title", "ArrowDown")
    assert page.get_attribute("#id_job_title", "aria-activedescendant") == "id_job_title-listbox-0"
    page.press("#id_job_title", "Enter")
    assert page.input_value("#id_job_title") == "Maçon / Maçonne"
    assert page.input_value("input[type=hidden][name=job_title]") == str(mason.pk)
    assert page.is_hidden("#id_job_title-listbox")

    # Commune, mouse.
    page.fill("#id_commune", "paris 11")
    page.click("#id_commune-listbox [role=option][data-value='75111']")
    assert page.input_value("#id_commune") == "Paris 11e (75011)"

    # Multiple field: two job titles become two checked boxes.
    for query, job_title in [("plomb", plumber), ("macon", mason)]:
        page.fill("#id_job_titles", query)
        page.click(f"#id_job_titles-listbox [role=option][data-value='{job_title.pk}']")
    assert page.input_value("#id_job_titles") == ""
    assert page.locator("input[type=checkbox][name=job_titles]:checked").count() == 2
    browser_tab.shot("choix")

    page.click("form button[type=submit]")
    page.wait_for_selector("#cleaned")
    titles = ", ".join(sorted([str(mason.pk), str(plumber.pk)]))
    assert page.inner_text("#cleaned") == f"{mason.pk} | {paris_11.pk} | {titles}"


def test_typing_again_drops_the_previous_choice(tab):
    JobTitleFactory(label="Maçon / Maçonne")
    paris_arrondissement(11)
    browser_tab = tab("widget")
    page = browser_tab.page
    browser_tab.goto("/essai-widget/")

    page.fill("#id_job_title", "macon")
    page.click("#id_job_title-listbox [role=option]")
    page.fill("#id_job_title", "Astronaute")
    assert page.input_value("input[type=hidden][name=job_title]") == ""
    page.press("#id_job_title", "Escape")
    page.fill("#id_commune", "75011")
    page.click("#id_commune-listbox [role=option]")
    page.fill("#id_job_titles", "macon")
    page.click("#id_job_titles-listbox [role=option]")
    page.click("form button[type=submit]")

    page.wait_for_load_state()
    assert "« Astronaute » ne correspond à aucun métier." in page.content()
    browser_tab.shot("erreur")
