import pytest
from django.urls import reverse

from marketplace.enums import SubmissionState
from marketplace.models import Submission
from matching import index as matching_index
from notifications.models import Notification


@pytest.mark.django_db
def test_facilitator_sees_every_pool_and_asks_the_prescriber(
    client_as, facilitator, mason_position, pool, prescriber_org, django_assert_max_num_queries
):
    client = client_as(facilitator)
    matching_index.current()
    url = reverse("matching:position_matches", args=[mason_position.pk])
    # session, user, organisation (2), position, submitted ids, change log, candidates, eligibility (2)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    page = response.content.decode()
    assert pool["best"].full_name in page and pool["other_pool"].full_name in page
    assert "même métier recherché" in page and "Demander au prescripteur" in page
    assert pool["no_consent"].full_name not in page
    assert "Classement : score de contenu (poids fixes)." in page

    response = client.post(
        reverse("matching:position_matches_ask", args=[mason_position.pk]), {"candidate": pool["best"].pk}
    )
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=prescriber_org)
    assert pool["best"].full_name in notification.details and pool["best"].full_name not in notification.text
    assert notification.subject == pool["best"]
    assert notification.link == reverse("matching:candidate_matches", args=[pool["best"].pk])
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_prescriber_submits_in_one_click(client_as, prescriber, mason_position, pool):
    client = client_as(prescriber)
    page = client.get(reverse("matching:position_matches", args=[mason_position.pk])).content.decode()
    assert pool["other_pool"].full_name not in page
    response = client.post(
        reverse("matching:position_matches_submit", args=[mason_position.pk]), {"candidate": pool["best"].pk}
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert (submission.candidate, submission.state) == (pool["best"], SubmissionState.SUBMITTED)
    page = client.get(reverse("matching:position_matches", args=[mason_position.pk])).content.decode()
    assert "transmise au facilitateur" in page
    assert reverse("marketplace:candidate_detail", args=[pool["best"].pk]) not in page


@pytest.mark.django_db
def test_prescriber_cannot_submit_another_pools_candidate_or_ask(client_as, prescriber, mason_position, pool):
    client = client_as(prescriber)
    url = reverse("matching:position_matches_submit", args=[mason_position.pk])
    assert client.post(url, {"candidate": pool["other_pool"].pk}).status_code == 404
    ask = reverse("matching:position_matches_ask", args=[mason_position.pk])
    assert client.post(ask, {"candidate": pool["best"].pk}).status_code == 403
    assert not Submission.objects.exists() and not Notification.objects.exists()


@pytest.mark.django_db
def test_company_and_buyer_get_403(client_as, company_user, buyer, mason_position, pool):
    for user in (company_user, buyer):
        client = client_as(user)
        assert client.get(reverse("matching:position_matches", args=[mason_position.pk])).status_code == 403
        assert client.get(reverse("matching:candidate_matches", args=[pool["best"].pk])).status_code == 403
        assert client.get(reverse("matching:matching_fairness")).status_code == 403


@pytest.mark.django_db
def test_candidate_page_lists_positions_and_similar_occupations(
    client_as, prescriber, other_prescriber, mason_position, pool, django_assert_max_num_queries
):
    client = client_as(prescriber)
    matching_index.current()
    url = reverse("matching:candidate_matches", args=[pool["best"].pk])
    # session, user, organisation (2), candidate, submitted ids, change log, positions, job titles
    with django_assert_max_num_queries(11):
        response = client.get(url)
    page = response.content.decode()
    assert mason_position.company.name in page
    assert "Coffrage (F9702)" in page
    assert client_as(other_prescriber).get(url).status_code == 404


@pytest.mark.django_db
def test_position_and_candidate_pages_link_to_proposals(client_as, prescriber, mason_position, pool):
    client = client_as(prescriber)
    position_page = client.get(reverse("marketplace:position_detail", args=[mason_position.pk])).content.decode()
    assert reverse("matching:position_matches", args=[mason_position.pk]) in position_page
    candidate_page = client.get(reverse("marketplace:candidate_detail", args=[pool["best"].pk])).content.decode()
    assert reverse("matching:candidate_matches", args=[pool["best"].pk]) in candidate_page


@pytest.mark.django_db
def test_fairness_page_for_the_facilitator(client_as, facilitator, mason_position, pool):
    response = client_as(facilitator).get(reverse("matching:matching_fairness"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Femmes" in page and "moins de 26 ans" in page
