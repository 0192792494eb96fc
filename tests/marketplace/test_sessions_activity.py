"""``marketplace.sessions.activity``: what the activity report counts of the information sessions over a period."""

import datetime

import pytest
from django.utils import timezone

from marketplace.enums import InvitationState, SessionState, SubmissionState
from marketplace.sessions import SessionActivity, activity
from tests.marketplace.factories import InformationSessionFactory, PositionFactory, SessionInvitationFactory
from tests.procurement.factories import AwardFactory

pytestmark = pytest.mark.django_db

IS = InvitationState


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def held_on(day, positions, **kwargs):
    return InformationSessionFactory(
        starts_at=at(day), ends_at=at(day, 11), positions=positions, state=SessionState.HELD, **kwargs
    )


def people(session, position, *states, **kwargs):
    return [SessionInvitationFactory(session=session, position=position, state=state, **kwargs) for state in states]


@pytest.fixture
def year(buyer_org, company_org):
    """Two sessions held in 2025 (the second with a position on the buyer's contract), one held in 2024, one
    cancelled and one planned in 2025: only the first two count for 2025."""
    ours = PositionFactory(company=company_org, contract=AwardFactory(contract__buyer=buyer_org).contract)
    theirs = PositionFactory()
    first = held_on(datetime.date(2025, 3, 12), [theirs])
    people(first, theirs, IS.DECLINED, IS.ABSENT, IS.PRESENT, IS.NOT_RETAINED, IS.WITHDRAWN)
    sent = people(first, theirs, IS.SENT, IS.SENT)
    sent[0].submission = sent[0].candidate.submissions.create(
        position=theirs, state=SubmissionState.HIRED, submitted_by=sent[0].invited_by
    )
    sent[0].save()
    redirected = people(first, theirs, IS.REDIRECTED, IS.REDIRECTED)
    for invitation, (kind, outcome) in zip(redirected, [("training", "training"), ("other_offer", "")], strict=True):
        invitation.redirection, invitation.redirection_outcome = kind, outcome
        invitation.save()
    second = held_on(datetime.date(2025, 12, 31), [ours, theirs])
    people(second, ours, IS.PRESELECTED, IS.SENT)
    people(second, theirs, IS.CONFIRMED)
    # Out of the period or not held.
    people(held_on(datetime.date(2024, 12, 31), [theirs]), theirs, IS.SENT)
    cancelled = InformationSessionFactory(starts_at=at(datetime.date(2025, 6, 1)), positions=[theirs])
    cancelled.state = SessionState.CANCELLED
    cancelled.save()
    people(cancelled, theirs, IS.WITHDRAWN)
    planned = InformationSessionFactory(starts_at=at(datetime.date(2025, 7, 1)), positions=[theirs])
    people(planned, theirs, IS.CONFIRMED)


def test_the_facilitator_counts_every_session_held_in_the_period(year, facilitator_org):
    expected = SessionActivity(
        sessions_held=2,
        # 9 in the first session (the withdrawn one is not counted), 3 in the second
        invited=11,
        # all but the declined one
        confirmed=10,
        # present, not retained, 2 sent, 2 redirected; preselected, sent
        present=8,
        preselected=4,
        presented=3,
        hired=1,
        redirected=2,
        redirections={"training": 1, "other_offer": 1},
        redirection_outcomes={"training": 1, "": 1},
    )
    assert activity(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)) == expected
    assert activity(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31), organisation=facilitator_org) == (
        expected
    )


def test_the_period_s_days_are_both_included(year):
    assert activity(start=datetime.date(2025, 12, 31), end=datetime.date(2025, 12, 31)).sessions_held == 1
    assert activity(start=datetime.date(2025, 3, 13), end=datetime.date(2025, 12, 30)).sessions_held == 0
    assert activity(start=datetime.date(2024, 12, 31), end=datetime.date(2025, 3, 12)).sessions_held == 2


def test_a_buyer_counts_the_people_invited_for_positions_on_its_contracts(year, buyer_org, other_buyer_org):
    counts = activity(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31), organisation=buyer_org)
    assert (counts.sessions_held, counts.invited, counts.present, counts.presented, counts.hired) == (1, 2, 2, 1, 0)
    nothing = activity(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31), organisation=other_buyer_org)
    assert (nothing.sessions_held, nothing.invited) == (0, 0)


def test_four_queries_whatever_the_number_of_sessions(year, django_assert_num_queries):
    # the funnel's counts, the sessions held, the redirections by kind and by outcome
    with django_assert_num_queries(4):
        activity(start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31))
