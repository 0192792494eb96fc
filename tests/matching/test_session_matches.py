"""The facilitator invites people to an information session from the matcher's proposals for its positions."""

import pytest
from django.urls import reverse

from marketplace.enums import InvitationState, SessionState
from marketplace.models import SessionInvitation
from matching import index as matching_index
from notifications.models import Notification
from tests.marketplace.factories import InformationSessionFactory, SessionInvitationFactory

pytestmark = pytest.mark.django_db


def proposed(page, candidate):
    return f'href="{reverse("marketplace:candidate_detail", args=[candidate.pk])}"' in page


@pytest.fixture
def session(mason_position, facilitator_org):
    return InformationSessionFactory(organiser=facilitator_org, positions=[mason_position])


def test_the_facilitator_invites_from_every_pool(
    client_as, facilitator, session, pool, prescriber_org, other_prescriber_org, django_assert_num_queries
):
    client = client_as(facilitator)
    matching_index.current()
    SessionInvitationFactory(session=session, candidate=pool["formworker"])
    url = reverse("matching:session_matches", args=[session.pk])
    # session, user, memberships, unread notifications; the session, its positions (with job titles, communes,
    # contracts, buyers and companies), the people holding a seat; for the position: submitted ids and the change
    # log (the ranking); the proposed candidates with communes and prescribers, their eligibility checks.
    with django_assert_num_queries(11):
        response = client.get(url)
    page = response.content.decode()
    assert proposed(page, pool["best"]) and proposed(page, pool["other_pool"])
    assert not proposed(page, pool["formworker"])  # already holds a seat
    assert not proposed(page, pool["no_consent"]) and not proposed(page, pool["too_far"])

    response = client.post(
        reverse("matching:session_matches_invite", args=[session.pk]),
        {"candidate": pool["other_pool"].pk, "position": session.positions.get().pk},
    )

    assert response.status_code == 302 and response.url == url
    invitation = SessionInvitation.objects.get(candidate=pool["other_pool"])
    assert (invitation.state, invitation.submission) == (InvitationState.INVITED, None)
    notification = Notification.objects.get(recipient=other_prescriber_org)
    assert pool["other_pool"].full_name in notification.details and "confirmez ou déclinez" in notification.text
    assert not proposed(client.get(url).content.decode(), pool["other_pool"])


def test_the_session_page_links_to_the_proposals_while_planned(client_as, facilitator, session):
    link = reverse("matching:session_matches", args=[session.pk])
    assert link in client_as(facilitator).get(f"/informations-collectives/{session.pk}/").content.decode()
    session.state = SessionState.HELD
    session.save()
    assert link not in client_as(facilitator).get(f"/informations-collectives/{session.pk}/").content.decode()
    page = client_as(facilitator).get(link).content.decode()
    assert "elle ne reçoit plus d'invitations" in page and ">Inviter</button>" not in page


def test_only_the_facilitator_invites_from_the_proposals(client_as, prescriber, company_user, buyer, session, pool):
    for user in (prescriber, company_user, buyer):
        client = client_as(user)
        assert client.get(reverse("matching:session_matches", args=[session.pk])).status_code == 403
        response = client.post(
            reverse("matching:session_matches_invite", args=[session.pk]),
            {"candidate": pool["best"].pk, "position": session.positions.get().pk},
        )
        assert response.status_code == 403
    assert not SessionInvitation.objects.exists()
