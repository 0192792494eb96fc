"""What each role sees of candidates and submissions, on pages and through the API."""

import pytest

from marketplace.serializers import COMPANY_CANDIDATE_FIELDS
from tests.marketplace.factories import CandidateFactory, PositionFactory, SubmissionFactory
from tests.procurement.factories import AwardFactory, ContractFactory

pytestmark = pytest.mark.django_db


def test_company_sees_a_submission_only_once_sent_and_never_eligibility(
    api_as, client_as, company_user, position, candidate
):
    submission = SubmissionFactory(candidate=candidate, position=position, note="Au RSA depuis 2 ans")
    api = api_as(company_user)
    assert api.get(f"/api/v1/submissions/{submission.pk}/").status_code == 404
    assert client_as(company_user).get(f"/candidatures/{submission.pk}/").status_code == 404

    submission.state, submission.reached_company_at = "sent_to_company", submission.created_at
    submission.save()
    data = api.get(f"/api/v1/submissions/{submission.pk}/").json()

    assert sorted(data["candidate_details"]) == sorted(COMPANY_CANDIDATE_FIELDS)
    assert "note" not in data
    page = client_as(company_user).get(f"/candidatures/{submission.pk}/").content.decode()
    assert candidate.email in page
    assert "Bénéficiaire du RSA" not in page and "Demandeur d'emploi" not in page
    assert client_as(company_user).get(f"/candidats/{candidate.pk}/").status_code == 404


def test_prescriber_sees_its_candidates_in_full(api_as, prescriber, position, candidate):
    submission = SubmissionFactory(candidate=candidate, position=position)
    data = api_as(prescriber).get(f"/api/v1/submissions/{submission.pk}/").json()
    assert data["candidate_details"]["level1_criteria"] == ["rsa"]
    assert data["candidate_details"]["situation"] == "job_seeker"


def test_pools_are_private(api_as, client_as, prescriber, other_prescriber, facilitator, company_user, candidate):
    assert api_as(other_prescriber).get(f"/api/v1/candidates/{candidate.pk}/").status_code == 404
    assert api_as(other_prescriber).get("/api/v1/candidates/").json()["count"] == 0
    assert client_as(other_prescriber).get(f"/candidats/{candidate.pk}/").status_code == 404
    response = api_as(other_prescriber).patch(f"/api/v1/candidates/{candidate.pk}/", {"last_name": "X"}, format="json")
    assert response.status_code == 404
    assert api_as(company_user).get("/api/v1/candidates/").json()["count"] == 0
    assert api_as(facilitator).get(f"/api/v1/candidates/{candidate.pk}/").status_code == 200
    assert api_as(facilitator).patch(f"/api/v1/candidates/{candidate.pk}/", {"last_name": "X"}).status_code == 403


def test_candidate_list_is_bounded_and_paginated(
    client_as, api_as, prescriber, prescriber_org, django_assert_num_queries
):
    for _ in range(25):
        CandidateFactory(prescriber=prescriber_org)
    client = client_as(prescriber)
    # session, user, memberships, count, unread notifications, page of candidates with communes and prescribers
    with django_assert_num_queries(6):
        response = client.get("/candidats/")
    assert response.context["page_obj"].paginator.num_pages == 2
    api = api_as(prescriber)
    # token with user, memberships, count, page, job titles, skills
    with django_assert_num_queries(6):
        data = api.get("/api/v1/candidates/").json()
    assert data["count"] == 25


def test_submission_lists_are_bounded(
    client_as, api_as, facilitator, position, prescriber_org, django_assert_num_queries
):
    for _ in range(12):
        SubmissionFactory(candidate=CandidateFactory(prescriber=prescriber_org), position=position)
    client, api = client_as(facilitator), api_as(facilitator)
    # session, user, memberships, count, unread notifications, page with candidates, prescribers and positions
    with django_assert_num_queries(6):
        response = client.get("/candidatures/")
    assert len(response.context["page_obj"]) == 12
    # token with user, memberships, count, page with candidates and positions, job titles, skills
    with django_assert_num_queries(6):
        assert api.get("/api/v1/submissions/").json()["count"] == 12


def test_buyers_get_counts_only(api_as, client_as, buyer, buyer_org, company_org, prescriber_org):
    contract = ContractFactory(buyer=buyer_org, in_progress=True)
    AwardFactory(contract=contract, company=company_org)
    position = PositionFactory(company=company_org, contract=contract)
    candidate = CandidateFactory(prescriber=prescriber_org)
    SubmissionFactory(candidate=candidate, position=position, sent=True)
    assert api_as(buyer).get("/api/v1/submissions/").json()["count"] == 0
    page = client_as(buyer).get("/tableau-de-bord/").content.decode()
    assert "1 en cours · 0 embauche · 1 au total" in page
    # The last name is unique to this candidate (a user's random first name may be "Camille" too).
    assert candidate.last_name not in page
