"""The five state machines (``accounts.workflows``), through the API each role's client uses: one parametrised
test per object walks every (transition, source state, organisation kind). An allowed move answers 200, changes the
state and writes one log row saying who moved it, for whom, from and to which state; a refused one changes nothing,
writes nothing, and says why in French (400 or 403), or answers 404 to an organisation that does not see the
object. Who may take a move is read from ``accounts.perms.RULES``, the table the workflows name."""

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts import perms
from accounts.enums import OrganisationKind as Kind
from marketplace import workflows as marketplace_workflows
from marketplace.enums import PlacementState, PositionState, SubmissionState
from marketplace.models import Placement, Position, Submission
from procurement import workflows as procurement_workflows
from procurement.enums import ContractState, StatementState
from procurement.models import Contract, HoursStatement
from tests.accounts.factories import OrganisationFactory, member_of
from tests.marketplace.factories import (
    CandidateFactory,
    CommuneFactory,
    EligibilityCheckFactory,
    JobTitleFactory,
    PositionFactory,
    SubmissionFactory,
)
from tests.procurement.factories import AwardFactory, ContractFactory, HoursSourceFactory, HoursStatementFactory
from tests.shared import module_rows

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("state_machines")]

KINDS = [Kind.BUYER, Kind.COMPANY, Kind.PRESCRIBER, Kind.SIAE, Kind.FACILITATOR]
# The messages a refusal may begin with: the workflow's, a service's own rule, or the API's permission check.
FRENCH_REFUSALS = (
    "Un ",
    "Une ",
    "« ",
    "Ce ",
    "Cette ",
    "Votre organisation",
    "Les heures",
    "Attribuez",
    "La répartition",
    "Tous les postes",
)


@module_rows
def world():
    """One organisation of each kind, each with a member and an API client; a contract in progress awarded to
    the company, with a position, and what positions and candidates are made of."""
    organisations = {
        Kind.BUYER: OrganisationFactory(buyer=True),
        Kind.COMPANY: OrganisationFactory(company=True),
        Kind.PRESCRIBER: OrganisationFactory(prescriber=True),
        Kind.SIAE: OrganisationFactory(siae=True),
        Kind.FACILITATOR: OrganisationFactory(facilitator=True),
    }
    users, clients = {}, {}
    for kind, organisation in organisations.items():
        users[kind] = member_of(organisation)
        clients[kind] = APIClient()
        clients[kind].credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=users[kind])[1]}")
    contract = AwardFactory(
        company=organisations[Kind.COMPANY], contract__buyer=organisations[Kind.BUYER], contract__in_progress=True
    ).contract
    job_title, commune = JobTitleFactory(), CommuneFactory()
    position = PositionFactory(
        company=organisations[Kind.COMPANY],
        contract=contract,
        job_title=job_title,
        commune=commune,
        created_by=users[Kind.COMPANY],
    )
    return SimpleNamespace(
        organisations=organisations,
        users=users,
        clients=clients,
        contract=contract,
        position=position,
        job_title=job_title,
        commune=commune,
    )


def cases(workflow, states):
    """(transition, source, kind) for every move a person may ask for."""
    moves = [t for t in workflow.transitions if not t.creates and not t.automatic]
    return [
        pytest.param(t, source, kind, id=f"{t.name}-{source}-{kind}")
        for t, source, kind in itertools.product(moves, states, KINDS)
    ]


def allowed(workflow, transition, source, kind):
    """The table's answer. The API asks for a target state: the move taken is the table's from ``source`` to that
    target (closing a draft or an open position are one ``close``; reopening a closed one is ``reopen``, whichever
    transition the case is named after). It is allowed when ``perms.RULES`` lets this kind take it (each organisation
    of the world is a party to the objects it acts on)."""
    taken = workflow.between(source, transition.target)
    return taken is not None and not taken.automatic and kind in perms.RULES[taken.rule]


def move(world, kind, url, payload, obj, *, workflow, transition, source, visible):
    """Posts the move as ``kind``'s client and checks the answer against the table. Allowed: done and logged once.
    Refused: 404 when the organisation does not see the object, otherwise a French reason, and nothing changed or
    logged."""
    logged = obj.transitions.count()
    response = world.clients[kind].post(url, payload, format="json")
    obj.refresh_from_db()
    if allowed(workflow, transition, source, kind):
        assert response.status_code == 200, response.json()
        assert obj.state == transition.target
        assert obj.transitions.count() == logged + 1
        log = obj.transitions.order_by("pk").last()
        assert (log.from_state, log.to_state, log.actor, log.organisation) == (
            source,
            transition.target,
            world.users[kind],
            world.organisations[kind],
        )
        return
    assert obj.state == source
    assert obj.transitions.count() == logged
    if not visible:
        assert response.status_code == 404
        return
    assert response.status_code in (400, 403), response.content
    body = response.json()
    messages = [body["detail"]] if "detail" in body else [m for found in body.values() for m in found]
    assert messages and all(message.startswith(FRENCH_REFUSALS) for message in messages), messages


@pytest.mark.parametrize(("transition", "source", "kind"), cases(procurement_workflows.CONTRACT, ContractState.values))
def test_contract(world, transition, source, kind):
    contract = ContractFactory(buyer=world.organisations[Kind.BUYER], state=source)
    # Awarded to the company whatever its state, so that the company sees it and is told why it may not move it.
    AwardFactory(contract=contract, company=world.organisations[Kind.COMPANY])
    if transition.name == "award":
        url = f"/api/v1/contracts/{contract.pk}/award/"
        siret = world.organisations[Kind.COMPANY].siret
        payload = {"awards": [{"siret": siret, "role": "holder", "hours_share": contract.clause_hours}]}
    else:
        url, payload = f"/api/v1/contracts/{contract.pk}/transition/", {"target": transition.target}
    visible = Contract.objects.visible_to(world.organisations[kind]).filter(pk=contract.pk).exists()

    move(
        world,
        kind,
        url,
        payload,
        contract,
        workflow=procurement_workflows.CONTRACT,
        transition=transition,
        source=source,
        visible=visible,
    )


@pytest.mark.parametrize(("transition", "source", "kind"), cases(marketplace_workflows.POSITION, PositionState.values))
def test_position(world, transition, source, kind):
    position = PositionFactory(
        company=world.organisations[Kind.COMPANY],
        contract=world.contract,
        job_title=world.job_title,
        commune=world.commune,
        created_by=world.users[Kind.COMPANY],
        state=source,
    )
    visible = Position.objects.visible_to(world.organisations[kind]).filter(pk=position.pk).exists()

    url = f"/api/v1/positions/{position.pk}/transition/"
    payload = {"target": transition.target}
    move(
        world,
        kind,
        url,
        payload,
        position,
        workflow=marketplace_workflows.POSITION,
        transition=transition,
        source=source,
        visible=visible,
    )


REACHED_COMPANY = {SubmissionState.SENT_TO_COMPANY, SubmissionState.INTERVIEW, SubmissionState.HIRED}


@pytest.mark.parametrize(
    ("transition", "source", "kind"), cases(marketplace_workflows.SUBMISSION, SubmissionState.values)
)
def test_submission(world, transition, source, kind):
    candidate = CandidateFactory(
        prescriber=world.organisations[Kind.PRESCRIBER], commune=world.commune, job_titles=[world.job_title]
    )
    submission = SubmissionFactory(
        candidate=candidate,
        position=world.position,
        submitted_by=world.users[Kind.PRESCRIBER],
        state=source,
        reached_company_at=timezone.now() if source in REACHED_COMPANY else None,
    )
    payload = {
        "target": transition.target,
        "refusal_reason": "profile_mismatch" if transition.target == SubmissionState.REFUSED else "",
        "planned_end_date": (timezone.localdate() + datetime.timedelta(days=200)).isoformat(),
    }
    visible = Submission.objects.visible_to(world.organisations[kind]).filter(pk=submission.pk).exists()

    url = f"/api/v1/submissions/{submission.pk}/transition/"
    move(
        world,
        kind,
        url,
        payload,
        submission,
        workflow=marketplace_workflows.SUBMISSION,
        transition=transition,
        source=source,
        visible=visible,
    )


@pytest.mark.parametrize(
    ("transition", "source", "kind"), cases(marketplace_workflows.PLACEMENT, PlacementState.values)
)
def test_placement(world, transition, source, kind):
    candidate = CandidateFactory(
        prescriber=world.organisations[Kind.PRESCRIBER], commune=world.commune, job_titles=[world.job_title]
    )
    EligibilityCheckFactory(candidate=candidate, checked_by_organisation=world.organisations[Kind.FACILITATOR])
    submission = SubmissionFactory(
        candidate=candidate,
        position=world.position,
        submitted_by=world.users[Kind.PRESCRIBER],
        state=SubmissionState.HIRED,
        reached_company_at=timezone.now(),
    )
    placement = Placement.objects.create(
        submission=submission,
        position=world.position,
        contract_type=world.position.contract_type,
        hired_on=timezone.localdate(),
        start_date=timezone.localdate(),
        planned_end_date=timezone.localdate() + datetime.timedelta(days=200),
        weekly_hours=world.position.weekly_hours,
        state=source,
    )
    visible = Placement.objects.visible_to(world.organisations[kind]).filter(pk=placement.pk).exists()

    url = f"/api/v1/placements/{placement.pk}/transition/"
    payload = {"target": transition.target, "reason": "Vérifié avec le prescripteur"}
    move(
        world,
        kind,
        url,
        payload,
        placement,
        workflow=marketplace_workflows.PLACEMENT,
        transition=transition,
        source=source,
        visible=visible,
    )


@pytest.mark.parametrize(
    ("transition", "source", "kind"), cases(procurement_workflows.STATEMENT, StatementState.values)
)
def test_statement(world, transition, source, kind):
    source_row = HoursSourceFactory(contract=world.contract, company=world.organisations[Kind.COMPANY])
    statement = HoursStatementFactory(source=source_row, state=source)
    visible = HoursStatement.objects.visible_to(world.organisations[kind]).filter(pk=statement.pk).exists()

    url = f"/api/v1/hours/{statement.pk}/transition/"
    payload = {"target": transition.target, "reason": "Bulletin illisible"}
    move(
        world,
        kind,
        url,
        payload,
        statement,
        workflow=procurement_workflows.STATEMENT,
        transition=transition,
        source=source,
        visible=visible,
    )
