"""The pages of information sessions: a fixed number of queries whatever the data, and what each role reads."""

import pytest

from marketplace.enums import InvitationState
from tests.marketplace.factories import (
    InformationSessionFactory,
    PositionFactory,
    SessionInvitationFactory,
    SubmissionFactory,
)
from tests.procurement.factories import AwardFactory

pytestmark = pytest.mark.django_db

IS = InvitationState


@pytest.fixture
def make_sessions(facilitator_org, company_org, buyer_org, prescriber_org, other_prescriber_org):
    """``make_sessions(n)``: n sessions today, each for a position of the company on the buyer's contract and one of
    another company, with a confirmed person of each prescriber per position, one person sent to the company, and
    a submission to each position still waiting to be invited."""

    def make(n):
        made = []
        for _ in range(n):
            contract = AwardFactory(company=company_org, contract__buyer=buyer_org).contract
            positions = [PositionFactory(company=company_org, contract=contract), PositionFactory()]
            session = InformationSessionFactory(organiser=facilitator_org, positions=positions, today=True)
            for position in positions:
                for prescriber in (prescriber_org, other_prescriber_org):
                    SessionInvitationFactory(
                        session=session, position=position, candidate__prescriber=prescriber, confirmed=True
                    )
                    SubmissionFactory(position=position, candidate__prescriber=prescriber)
            SessionInvitationFactory(
                session=session, position=positions[0], candidate__prescriber=prescriber_org, state=IS.SENT
            )
            made.append(session)
        return made

    return make


# Every page: the login session, the user, their memberships (with the current organisation), and the header's
# count of unread notifications.
BASE = 4


@pytest.mark.parametrize("role", ["facilitator", "prescriber", "company_user", "buyer"])
def test_the_list_runs_the_same_queries_whatever_the_number_of_sessions(
    request, client_as, make_sessions, django_assert_num_queries, role
):
    client = client_as(request.getfixturevalue(role))
    make_sessions(2)
    # + the count of the sessions it sees, the page of sessions with their funnel (one grouped join on their
    # invitations and submissions) and their commune, and their positions with job titles, communes, contracts,
    # buyers and companies.
    with django_assert_num_queries(BASE + 3):
        response = client.get("/informations-collectives/")
    assert response.status_code == 200
    make_sessions(3)
    with django_assert_num_queries(BASE + 3):
        response = client.get("/informations-collectives/")
    assert len(response.context["page_obj"]) == 5


@pytest.mark.parametrize(
    ("role", "queries"),
    [
        # + the submissions still to invite (whether there are any, then the list), and the session's history.
        ("facilitator", 3),
        # + its people it may still sign up, and the session's positions to choose from.
        ("prescriber", 2),
        ("company_user", 0),
        # (a buyer is shown no one: no query for invitations)
        ("buyer", -1),
    ],
)
def test_the_detail_runs_the_same_queries_whatever_the_number_of_people(
    request, client_as, make_sessions, django_assert_num_queries, role, queries, prescriber_org
):
    client = client_as(request.getfixturevalue(role))
    session = make_sessions(1)[0]
    # + the session with its funnel and its place, its positions (with job titles, communes, contracts, buyers and
    # companies), the people the organisation sees (with their prescribers, positions, submissions).
    with django_assert_num_queries(BASE + 3 + queries):
        response = client.get(f"/informations-collectives/{session.pk}/")
    assert response.status_code == 200
    for position in session.positions.all():
        for _ in range(3):
            SessionInvitationFactory(session=session, position=position, candidate__prescriber=prescriber_org)
            SubmissionFactory(position=position, candidate__prescriber=prescriber_org)
    with django_assert_num_queries(BASE + 3 + queries):
        response = client.get(f"/informations-collectives/{session.pk}/")
    assert response.status_code == 200


def test_each_role_reads_the_people_it_may(
    client_as, make_sessions, facilitator, prescriber, company_user, buyer, prescriber_org, siae_user
):
    session = make_sessions(1)[0]
    invitations = {i.pk: i for i in session.invitations.select_related("candidate")}

    def shown(user):
        return {i.pk for i in client_as(user).get(f"/informations-collectives/{session.pk}/").context["invitations"]}

    assert shown(facilitator) == set(invitations)
    assert shown(prescriber) == {pk for pk, i in invitations.items() if i.candidate.prescriber_id == prescriber_org.pk}
    assert shown(company_user) == {pk for pk, i in invitations.items() if i.state == IS.SENT}
    assert shown(buyer) == set()
    assert client_as(siae_user).get(f"/informations-collectives/{session.pk}/").status_code == 404


def test_the_facilitator_s_page_offers_each_person_s_next_moves(client_as, facilitator, make_sessions):
    session = make_sessions(1)[0]
    rows = client_as(facilitator).get(f"/informations-collectives/{session.pk}/").context["invitations"]
    moves = {i.state: [m.name for m in i.quick_moves] for i in rows}
    assert moves == {IS.CONFIRMED: ["attend", "miss"], IS.SENT: []}


def test_a_prescriber_s_page_offers_to_confirm_its_own_people(client_as, prescriber, prescriber_org, facilitator_org):
    session = InformationSessionFactory(organiser=facilitator_org)
    SessionInvitationFactory(session=session, candidate__prescriber=prescriber_org)
    page = client_as(prescriber).get(f"/informations-collectives/{session.pk}/")
    assert [[m.name for m in i.quick_moves] for i in page.context["invitations"]] == [["confirm"]]
    assert "Confirmer la venue" in page.content.decode()
