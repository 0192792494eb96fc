"""The htmx partials behind the search-as-you-type fields: public, limited, one query."""

import pytest
from django.urls import reverse

from reference import typos
from reference.models import JobTitle
from reference.views import SEARCH_LIMIT
from tests.reference.factories import CommuneFactory, JobTitleFactory, OccupationFactory, paris_arrondissement

pytestmark = pytest.mark.django_db

JOB_TITLES_URL = reverse("reference:job_title_search")
COMMUNES_URL = reverse("reference:commune_search")


@pytest.fixture
def masonry():
    occupation = OccupationFactory(code_rome="F1703", label="Maçonnerie")
    return [
        JobTitleFactory(label="Maçon / Maçonne du paysage", occupation=occupation),
        JobTitleFactory(label="Maçon / Maçonne", occupation=occupation),
    ]


def test_job_title_options_for_anyone(client, masonry, django_assert_num_queries):
    # The words of the labels, which a process reads once (reference.typos): not counted below.
    typos.vocabulary(JobTitle.objects.all(), check=True)
    # One query: the job titles with their occupation; no session, no user.
    with django_assert_num_queries(1):
        response = client.get(JOB_TITLES_URL, {"q": "MACON"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    mason = masonry[1]
    assert f'data-value="{mason.pk}"' in html
    assert 'data-label="Maçon / Maçonne"' in html
    assert 'role="option"' in html
    assert "Maçonnerie · F1703" in html
    assert html.index(f'data-value="{mason.pk}"') < html.index(f'data-value="{masonry[0].pk}"')


def test_a_typo_costs_one_query_more(client, masonry, django_assert_num_queries):
    typos.vocabulary(JobTitle.objects.all(), check=True)
    # Are the words in memory still those of the job titles (count and codes), then the job titles.
    with django_assert_num_queries(2):
        response = client.get(JOB_TITLES_URL, {"q": "mcaon"}, headers={"HX-Request": "true"})
    assert 'data-label="Maçon / Maçonne"' in response.content.decode()


def test_the_widget_sends_its_own_input_name(client, masonry):
    # htmx sends the text input under its name, "<field>_search".
    response = client.get(JOB_TITLES_URL, {"job_title_search": "paysage"})
    assert response.content.decode().count('role="option"') == 1


def test_options_are_limited(client):
    occupation = OccupationFactory()
    for n in range(SEARCH_LIMIT + 5):
        JobTitleFactory(label=f"Peintre {n}", occupation=occupation)

    html = client.get(JOB_TITLES_URL, {"q": "peintre"}).content.decode()

    assert html.count('role="option"') == SEARCH_LIMIT


def test_no_query_no_options(client, masonry, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(JOB_TITLES_URL, {"q": " "})
    assert response.content.decode().strip() == ""


def test_nothing_found_says_so(client, masonry):
    html = client.get(JOB_TITLES_URL, {"q": "astronaute"}).content.decode()
    assert "Aucun métier ne correspond à « astronaute »." in html
    assert "data-value" not in html


def test_commune_options_for_anyone(client, django_assert_num_queries):
    paris_arrondissement(11)
    paris_arrondissement(12)
    # Outside Île-de-France: never offered.
    CommuneFactory(name="Paris-l'Hôpital", code_insee="71343", postcodes="71150")

    with django_assert_num_queries(1):
        response = client.get(COMMUNES_URL, {"q": "paris 11"})

    html = response.content.decode()
    assert html.count('role="option"') == 1
    assert 'data-value="75111"' in html
    assert 'data-label="Paris 11e (75011)"' in html
    assert "l&#x27;Hôpital" not in client.get(COMMUNES_URL, {"q": "paris"}).content.decode()


def test_logged_in_users_get_the_same_options(client_as, company_user, masonry):
    html = client_as(company_user).get(JOB_TITLES_URL, {"q": "macon"}).content.decode()
    assert html.count('role="option"') == 2


def test_post_is_refused(client):
    assert client.post(JOB_TITLES_URL, {"q": "macon"}).status_code == 405
