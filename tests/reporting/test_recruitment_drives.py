"""The activity report's recruitment drives (*recrutement en nombre*): the information sessions held in the year,
read from ``marketplace.sessions.activity`` through ``reporting.recruitment.drives``, as the facilitator and the
buyers download them."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.enums import InvitationState, SessionState, SubmissionState
from tests.marketplace.factories import InformationSessionFactory, PositionFactory, SessionInvitationFactory
from tests.procurement.factories import AwardFactory

pytestmark = pytest.mark.django_db

IS = InvitationState


def held_on(day, positions):
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return InformationSessionFactory(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), positions=positions, state=SessionState.HELD
    )


def invite(session, position, state, **fields):
    invitation = SessionInvitationFactory(session=session, position=position, state=state, **fields)
    if state == IS.SENT:
        invitation.submission = invitation.candidate.submissions.create(
            position=position, state=fields.pop("submission_state", SubmissionState.SENT_TO_COMPANY),
            submitted_by=invitation.invited_by,
        )  # fmt: skip
        invitation.save()
    return invitation


@pytest.fixture
def drives(buyer_org, company_org):
    """One session held in March 2025 for a position on the buyer's contract and one on another buyer's; another
    held in May for the other buyer's position only, and one held in 2024: the facilitator's 2025 report counts
    the first two; the buyer's, the first and the people invited for its contract's position."""
    contract = AwardFactory(contract__buyer=buyer_org, contract__in_progress=True).contract
    ours, theirs = PositionFactory(company=company_org, contract=contract), PositionFactory()
    march = held_on(datetime.date(2025, 3, 12), [ours, theirs])
    hired = invite(march, ours, IS.SENT)
    hired.submission.state = SubmissionState.HIRED
    hired.submission.save()
    invite(march, ours, IS.SENT)
    invite(march, ours, IS.REDIRECTED, redirection="training", redirection_outcome="training")
    invite(march, ours, IS.REDIRECTED, redirection="other_offer")
    invite(march, ours, IS.NOT_RETAINED)
    invite(march, ours, IS.ABSENT)
    invite(march, theirs, IS.SENT)  # on another buyer's contract
    invite(held_on(datetime.date(2025, 5, 20), [theirs]), theirs, IS.SENT)
    invite(held_on(datetime.date(2024, 12, 31), [ours]), ours, IS.SENT)


def recruitment_sheet(client):
    response = client.get(
        reverse("reporting:report_dashboard"), {"from": "2025-01-01", "to": "2025-12-31", "export": "xlsx"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Recrutement en nombre"]
    return [[None if c.value == "" else c.value for c in row] for row in sheet.iter_rows(min_row=2)]


def test_the_facilitator_reads_the_sessions_held_and_what_came_of_them(drives, client_as, facilitator):
    assert recruitment_sheet(client_as(facilitator)) == [
        ["Informations collectives tenues", 2, None, None],
        ["Personnes présentées aux entreprises", 4, None, None],  # 3 in March, 1 in May
        ["Embauchées", 1, 4, 0.25],
        ["Réorientées (emploi, formation, autre dispositif)", 2, None, None],
        ["Réorientées vers : Formation", 1, 2, 0.5],
        ["Réorientées vers : Autre offre d'emploi", 1, 2, 0.5],
        ["Réorientées vers : Autre dispositif d'accompagnement", 0, 2, 0],
        ["Suite de la réorientation : Emploi", 0, 2, 0],
        ["Suite de la réorientation : Formation", 1, 2, 0.5],
        ["Suite de la réorientation : Validation des acquis de l'expérience (VAE)", 0, 2, 0],
        ["Suite de la réorientation : Toujours accompagnée", 0, 2, 0],
        ["Suite de la réorientation : Sans suite", 0, 2, 0],
    ]


def test_a_buyer_reads_its_contracts_sessions_with_people_counts_masked(drives, client_as, buyer, other_buyer):
    rows = recruitment_sheet(client_as(buyer))
    assert rows[:3] == [
        ["Informations collectives tenues", 1, None, None],
        ["Personnes présentées aux entreprises", "moins de 5", None, None],
        ["Embauchées", "moins de 5", "moins de 5", None],
    ]
    assert recruitment_sheet(client_as(other_buyer))[:2] == [
        ["Informations collectives tenues", 0, None, None],
        ["Personnes présentées aux entreprises", 0, None, None],
    ]
