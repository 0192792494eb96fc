"""A person's information sessions under the GDPR: in the export of their data, erased with it (comments and
what notifications say), and counted as activity by the retention period."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from marketplace import sessions
from marketplace.enums import InvitationState, SessionState
from marketplace.models import Candidate, SessionInvitation, SessionInvitationTransition
from notifications.models import Notification
from tests.marketplace.factories import CandidateFactory, InformationSessionFactory, PositionFactory

pytestmark = pytest.mark.django_db

IS = InvitationState


@pytest.fixture
def redirected(prescriber_org, prescriber, facilitator, facilitator_org):
    """Aïcha, invited by the facilitator to a session today, confirmed by her prescriber, present, then redirected to
    a training with comments about her; through the services, so with their logs and notifications."""
    candidate = CandidateFactory(prescriber=prescriber_org, first_name="Aïcha", last_name="Diallo")
    session = InformationSessionFactory(today=True, organiser=facilitator_org, positions=[PositionFactory()])
    invitation = sessions.invite(
        session=session,
        candidate=candidate,
        position=session.positions.get(),
        actor=facilitator,
        organisation=facilitator_org,
    )
    for target, actor, organisation, extra in [
        (IS.CONFIRMED, prescriber, prescriber_org, {"reason": "Mme Diallo viendra avec sa fille"}),
        (IS.PRESENT, facilitator, facilitator_org, {}),
        (
            IS.REDIRECTED,
            facilitator,
            facilitator_org,
            {"redirection": "training", "reason": "Mme Diallo vise le CACES"},
        ),
    ]:
        invitation = sessions.move_invitation(
            invitation=invitation, target=target, actor=actor, organisation=organisation, **extra
        )
    Notification.objects.filter(subject_id=invitation.pk).update(details="Personne invitée : Aïcha Diallo.")
    return invitation


def test_the_export_holds_the_person_s_sessions_and_their_history(client_as, prescriber, redirected):
    data = json.loads(client_as(prescriber).get(f"/candidats/{redirected.candidate_id}/donnees.json").content)
    [row] = data["informations-collectives"]["lignes"]
    assert (row["Invitation n°"], row["État"], row["Réorientation"]) == (redirected.pk, "Réorientée", "Formation")
    history = data["informations-collectives-historique"]["lignes"]
    assert [step["Vers"] for step in history] == [
        "En attente de réponse",
        "Venue confirmée",
        "Présente",
        "Réorientée",
    ]
    assert "Mme Diallo vise le CACES" in [step["Commentaire"] for step in history]


def test_anonymisation_erases_what_was_written_about_the_person_and_keeps_the_counts(
    client_as, facilitator, redirected
):
    notified = Notification.objects.filter(subject_id=redirected.pk).exclude(details="")
    assert notified.exists()

    response = client_as(facilitator).post(
        f"/candidats/{redirected.candidate_id}/anonymiser/", {"reason": "request", "confirm": "on"}
    )

    assert response.status_code == 302
    assert not SessionInvitationTransition.objects.filter(invitation=redirected).exclude(reason="").exists()
    assert not notified.exists()
    redirected.refresh_from_db()
    assert (redirected.state, redirected.redirection) == (IS.REDIRECTED, "training")


def test_a_person_expected_at_a_session_is_anonymised_once_the_invitation_is_closed(
    client_as, facilitator, facilitator_org, prescriber_org
):
    candidate = CandidateFactory(prescriber=prescriber_org)
    session = InformationSessionFactory(organiser=facilitator_org, positions=[PositionFactory()])
    invitation = sessions.invite(
        session=session,
        candidate=candidate,
        position=session.positions.get(),
        actor=facilitator,
        organisation=facilitator_org,
    )
    url = f"/candidats/{candidate.pk}/anonymiser/"
    response = client_as(facilitator).post(url, {"reason": "request", "confirm": "on"})
    assert "une invitation à une information collective en attente" in response.content.decode()
    candidate.refresh_from_db()
    assert not candidate.is_anonymised

    sessions.move_invitation(
        invitation=invitation, target=IS.WITHDRAWN, actor=facilitator, organisation=facilitator_org
    )
    assert client_as(facilitator).post(url, {"reason": "request", "confirm": "on"}).status_code == 302
    candidate.refresh_from_db()
    assert candidate.is_anonymised


def test_an_invitation_counts_as_activity_for_the_retention_period(prescriber_org, facilitator_org, facilitator):
    """Invited long ago, marked absent last month: not inactive."""
    long_ago = timezone.now() - datetime.timedelta(days=3 * 365)
    invited, forgotten = (CandidateFactory(prescriber=prescriber_org) for _ in range(2))
    Candidate.objects.update(created_at=long_ago, updated_at=long_ago)
    session = InformationSessionFactory(organiser=facilitator_org, state=SessionState.HELD)
    SessionInvitation.objects.create(
        session=session,
        candidate=invited,
        position=session.positions.get(),
        state=IS.ABSENT,
        invited_by=facilitator,
        created_at=long_ago,
        state_changed_at=timezone.now() - datetime.timedelta(days=30),
    )

    call_command("anonymise_inactive_candidates", stdout=io.StringIO())

    assert list(Candidate.objects.exclude(anonymised_at=None)) == [forgotten]
