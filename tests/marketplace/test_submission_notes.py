"""The prescriber's words about a person (its message, the notes before the submission reached the company) are
read by the facilitator and that prescriber only: on the submission page as in the API, decided once."""

import datetime

import pytest
from django.utils import timezone

from marketplace.enums import SubmissionState
from marketplace.models import SubmissionTransition
from tests.marketplace.factories import CandidateFactory, PositionFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Personne en situation de handicap, suivie pour le RSA"
EARLY_NOTE = "Préférer un poste sans port de charges (RQTH)"
COMPANY_NOTE = "Entretien fixé au 12 mars"


@pytest.fixture
def submission(prescriber_org, company_org, prescriber, facilitator, facilitator_org, company_user):
    sent_at = timezone.now() - datetime.timedelta(days=1)
    submission = SubmissionFactory(
        candidate=CandidateFactory(prescriber=prescriber_org),
        position=PositionFactory(company=company_org),
        note=MESSAGE,
        state=SubmissionState.INTERVIEW,
        reached_company_at=sent_at,
    )
    for at, actor, organisation, to_state, note in [
        (sent_at - datetime.timedelta(hours=2), facilitator, facilitator_org, SubmissionState.PRESELECTED, EARLY_NOTE),
        (sent_at, facilitator, facilitator_org, SubmissionState.SENT_TO_COMPANY, ""),
        (sent_at + datetime.timedelta(hours=1), company_user, company_org, SubmissionState.INTERVIEW, COMPANY_NOTE),
    ]:
        SubmissionTransition.objects.create(
            submission=submission, to_state=to_state, actor=actor, actor_organisation=organisation, at=at, note=note
        )
    return submission


def test_the_company_reads_neither_the_message_nor_the_earlier_notes_on_the_page(client_as, company_user, submission):
    """The door found open: the page showed « Message du prescripteur » and the whole history, the API did not."""
    html = client_as(company_user).get(f"/candidatures/{submission.pk}/").content.decode()

    assert MESSAGE not in html and "Message du prescripteur" not in html
    assert EARLY_NOTE not in html
    assert COMPANY_NOTE in html  # the history from the moment it reached the company stays


def test_the_api_shows_the_company_what_the_page_shows(api_as, company_user, submission):
    client = api_as(company_user)
    assert "note" not in client.get(f"/api/v1/submissions/{submission.pk}/").json()
    notes = [step["note"] for step in client.get(f"/api/v1/submissions/{submission.pk}/history/").json()]
    assert notes == ["", COMPANY_NOTE]


@pytest.mark.parametrize("role", ["prescriber", "facilitator"])
def test_the_prescriber_and_the_facilitator_read_everything(role, request, client_as, api_as, submission):
    user = request.getfixturevalue(role)
    html = client_as(user).get(f"/candidatures/{submission.pk}/").content.decode()
    assert MESSAGE in html and EARLY_NOTE in html and COMPANY_NOTE in html
    assert api_as(user).get(f"/api/v1/submissions/{submission.pk}/").json()["note"] == MESSAGE
    history = api_as(user).get(f"/api/v1/submissions/{submission.pk}/history/").json()
    assert [step["note"] for step in history] == [EARLY_NOTE, "", COMPANY_NOTE]
