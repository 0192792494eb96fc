"""The submission workflow, driven through the API as each role's client would."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.enums import PlacementState, PositionState, SubmissionState
from marketplace.models import Placement, Submission
from tests.marketplace.factories import CandidateFactory, SubmissionFactory
from tests.queue import run_queued_jobs

pytestmark = pytest.mark.django_db

S = SubmissionState


def hire_payload():
    return {"planned_end_date": (timezone.localdate() + datetime.timedelta(days=200)).isoformat()}


def test_the_whole_chain(api_as, prescriber, facilitator, company_user, position, candidate):
    mail.outbox.clear()
    created = api_as(prescriber).post(
        "/api/v1/submissions/",
        {"candidate": candidate.pk, "position": position.pk, "note": "Motivée"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    run_queued_jobs()
    assert [m.to for m in mail.outbox] == [[facilitator.email]]

    def move(user, to, **extra):
        response = api_as(user).post(f"/api/v1/submissions/{pk}/transition/", {"target": to, **extra}, format="json")
        assert response.status_code == 200, response.json()
        run_queued_jobs()
        return response.json()

    move(facilitator, "preselected")
    move(facilitator, "sent_to_company", reason="Profil solide")
    assert mail.outbox[-1].to == [company_user.email]
    move(company_user, "interview")
    move(company_user, "hired", **hire_payload())

    history = api_as(prescriber).get(f"/api/v1/submissions/{pk}/history/").json()
    assert [(h["from_state"], h["to_state"]) for h in history] == [
        ("", "submitted"),
        ("submitted", "preselected"),
        ("preselected", "sent_to_company"),
        ("sent_to_company", "interview"),
        ("interview", "hired"),
    ]
    placement = Placement.objects.get(submission_id=pk)
    assert placement.state == PlacementState.PENDING
    assert placement.contract_type == position.contract_type


def test_refusal_needs_a_reason_and_goes_back_to_the_prescriber(api_as, facilitator, prescriber, position, candidate):
    submission = SubmissionFactory(candidate=candidate, position=position)
    url = f"/api/v1/submissions/{submission.pk}/transition/"

    response = api_as(facilitator).post(url, {"target": "refused"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"refusal_reason": ["Choisissez le motif du refus dans la liste."]}

    mail.outbox.clear()
    response = api_as(facilitator).post(
        url, {"target": "refused", "refusal_reason": "missing_qualification", "reason": "CACES manquant"}, format="json"
    )
    assert response.status_code == 200
    run_queued_jobs()
    assert mail.outbox[0].to == [prescriber.email]
    assert "Qualification ou expérience insuffisante" in mail.outbox[0].body
    seen = api_as(prescriber).get(f"/api/v1/submissions/{submission.pk}/").json()
    assert (seen["state"], seen["refusal_reason"]) == ("refused", "missing_qualification")
    history = api_as(prescriber).get(f"/api/v1/submissions/{submission.pk}/history/").json()
    assert history[-1]["reason"] == "Qualification ou expérience insuffisante : CACES manquant"


def test_a_candidate_is_submitted_once_per_position(api_as, prescriber, position, candidate):
    payload = {"candidate": candidate.pk, "position": position.pk}
    assert api_as(prescriber).post("/api/v1/submissions/", payload, format="json").status_code == 201
    response = api_as(prescriber).post("/api/v1/submissions/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Ce candidat est déjà positionné sur cette offre."]}
    assert Submission.objects.count() == 1


def test_no_consent_no_submission(api_as, prescriber, prescriber_org, position):
    candidate = CandidateFactory(prescriber=prescriber_org, consent_at=None)
    response = api_as(prescriber).post(
        "/api/v1/submissions/", {"candidate": candidate.pk, "position": position.pk}, format="json"
    )
    assert response.status_code == 400
    assert "consentement" in response.json()["non_field_errors"][0]
    assert not Submission.objects.exists()


def test_a_prescriber_cannot_submit_another_pool(api_as, other_prescriber, position, candidate):
    response = api_as(other_prescriber).post(
        "/api/v1/submissions/", {"candidate": candidate.pk, "position": position.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"candidate": ["Candidat inconnu."]}
    assert not Submission.objects.exists()


def test_closed_positions_take_no_submission(api_as, prescriber, position, candidate):
    position.state = PositionState.CLOSED
    position.save()
    response = api_as(prescriber).post(
        "/api/v1/submissions/", {"candidate": candidate.pk, "position": position.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Cette offre n'est pas ouverte aux candidatures."]}


def test_other_company_and_other_prescriber_learn_nothing(
    api_as, other_company_user, other_prescriber, buyer, position, candidate
):
    submission = SubmissionFactory(candidate=candidate, position=position, sent=True)
    for user in (other_company_user, other_prescriber, buyer):
        client = api_as(user)
        assert client.get(f"/api/v1/submissions/{submission.pk}/").status_code == 404
        assert client.get(f"/api/v1/submissions/{submission.pk}/history/").status_code == 404
        response = client.post(
            f"/api/v1/submissions/{submission.pk}/transition/", {"target": "interview"}, format="json"
        )
        assert response.status_code == 404
        assert client.get("/api/v1/submissions/").json()["count"] == 0
    submission.refresh_from_db()
    assert submission.state == S.SENT_TO_COMPANY
