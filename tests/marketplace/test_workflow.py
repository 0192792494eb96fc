"""The submission workflow, driven through the API as each role's client would."""

import datetime
import itertools

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.enums import PlacementState, PositionState, SubmissionState
from marketplace.models import Placement, Submission, SubmissionTransition
from marketplace.workflows import TRANSITIONS
from tests.marketplace.factories import CandidateFactory, SubmissionFactory
from tests.queue import run_queued_jobs

pytestmark = pytest.mark.django_db

S = SubmissionState
REACHED_COMPANY = {S.SENT_TO_COMPANY, S.INTERVIEW, S.HIRED}
ROLES = ["facilitator", "company_user", "prescriber"]
KIND_OF_ROLE = {"facilitator": "facilitator", "company_user": "company", "prescriber": "prescriber"}


def hire_payload():
    return {"planned_end_date": (timezone.localdate() + datetime.timedelta(days=200)).isoformat()}


@pytest.mark.parametrize(("source", "target", "role"), list(itertools.product(S.values, S.values, ROLES)))
def test_every_move_by_every_role(request, api_as, position, candidate, source, target, role):
    """One case per (source, target, role): allowed moves succeed and are logged; others change nothing."""
    reached = timezone.now() if source in REACHED_COMPANY else None
    submission = SubmissionFactory(candidate=candidate, position=position, state=source, reached_company_at=reached)
    user = request.getfixturevalue(role)
    payload = {"to": target, "reason": "profile_mismatch" if target == S.REFUSED else "", **hire_payload()}

    response = api_as(user).post(f"/api/v1/submissions/{submission.pk}/transition/", payload, format="json")

    allowed = KIND_OF_ROLE[role] in TRANSITIONS.get((source, target), set())
    submission.refresh_from_db()
    if allowed:
        assert response.status_code == 200, response.json()
        assert submission.state == target
        log = SubmissionTransition.objects.get(submission=submission)
        assert (log.from_state, log.to_state, log.actor, log.actor_organisation.kind) == (
            source,
            target,
            user,
            KIND_OF_ROLE[role],
        )
    else:
        # The company does not even see a submission before it reaches it.
        expected = 404 if role == "company_user" and reached is None else 400
        assert response.status_code == expected
        if expected == 400:
            assert response.json()["non_field_errors"][0].startswith(("Une candidature", "Passer de"))
        assert submission.state == source
        assert not SubmissionTransition.objects.filter(submission=submission).exists()


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
        response = api_as(user).post(f"/api/v1/submissions/{pk}/transition/", {"to": to, **extra}, format="json")
        assert response.status_code == 200, response.json()
        run_queued_jobs()
        return response.json()

    move(facilitator, "preselected")
    move(facilitator, "sent_to_company", note="Profil solide")
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

    response = api_as(facilitator).post(url, {"to": "refused"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["Choisissez le motif du refus dans la liste."]}

    mail.outbox.clear()
    response = api_as(facilitator).post(
        url, {"to": "refused", "reason": "missing_qualification", "note": "CACES manquant"}, format="json"
    )
    assert response.status_code == 200
    run_queued_jobs()
    assert mail.outbox[0].to == [prescriber.email]
    assert "Qualification ou expérience insuffisante" in mail.outbox[0].body
    seen = api_as(prescriber).get(f"/api/v1/submissions/{submission.pk}/").json()
    assert (seen["state"], seen["refusal_reason"]) == ("refused", "missing_qualification")
    assert (
        api_as(prescriber).get(f"/api/v1/submissions/{submission.pk}/history/").json()[-1]["note"] == "CACES manquant"
    )


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
        response = client.post(f"/api/v1/submissions/{submission.pk}/transition/", {"to": "interview"}, format="json")
        assert response.status_code == 404
        assert client.get("/api/v1/submissions/").json()["count"] == 0
    submission.refresh_from_db()
    assert submission.state == S.SENT_TO_COMPANY
