"""Every list and detail page runs a fixed number of SQL queries, whatever the data: each is counted exactly on a
world with several rows per related object (contracts with two awards, three sources of three statements each, their
histories; positions with three submissions; candidates with two job titles, three skills, two checks...), then
counted again, the same, once one more row of each kind is added. A comment names the queries of each page."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind
from audit.enums import AuditAction
from audit.services import record
from marketplace.enums import ContractType, PlacementState, SubmissionState
from marketplace.models import Placement, PlacementTransition, PositionTransition, SubmissionTransition
from notifications.models import Notification
from procurement.enums import AwardRole, OrderKind, StatementState
from procurement.models import Award, ContractTransition, SiaeOrder, StatementTransition
from tests.accounts.factories import OrganisationFactory, member_of
from tests.marketplace.factories import (
    CandidateFactory,
    CommuneFactory,
    EligibilityCheckFactory,
    JobTitleFactory,
    PositionFactory,
    SubmissionFactory,
)
from tests.procurement.factories import ContractFactory, HoursSourceFactory, HoursStatementFactory, SiaeProfileFactory
from tests.reference.factories import SkillFactory
from tests.shared import module_rows

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("query_counts")]

SEVERAL = 3


def add_contract(w, n):
    """A contract in progress held by the company with a co-contractor, with its history, three sources of three
    statements each (one an SIAE order) and the statements' histories."""
    o, u = w.organisations, w.users
    contract = ContractFactory(buyer=o["buyer"], in_progress=True, title=f"Marché {n}")
    Award.objects.create(contract=contract, company=o["company"], role=AwardRole.HOLDER, hours_share=600)
    Award.objects.create(contract=contract, company=o["company2"], role=AwardRole.CO_CONTRACTOR, hours_share=233)
    for source_state, target in [("", "draft"), ("draft", "submitted"), ("submitted", "confirmed")]:
        ContractTransition.objects.create(
            contract=contract, from_state=source_state, to_state=target, actor=u["buyer"], organisation=o["buyer"]
        )
    sources = [HoursSourceFactory(contract=contract, company=o["company"]) for _ in range(SEVERAL - 1)]
    order_source = HoursSourceFactory(contract=contract, company=o["company"], label=f"Commande {n}")
    SiaeOrder.objects.create(
        contract=contract,
        company=o["company"],
        siae=o["siae"],
        kind=OrderKind.SUBCONTRACTING,
        amount_excl_vat=Decimal("30000"),
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
        hours=1000,
        source=order_source,
    )
    for source in [*sources, order_source]:
        for month, state in zip((1, 2, 3), StatementState.values, strict=True):
            statement = HoursStatementFactory(
                source=source, month=datetime.date(2024, month, 1), state=state, declared_by=u["company"]
            )
            StatementTransition.objects.create(
                statement=statement, to_state="declared", actor=u["company"], organisation=o["company"]
            )
            if state != StatementState.DECLARED:
                StatementTransition.objects.create(
                    statement=statement,
                    from_state="declared",
                    to_state=state,
                    actor=u["facilitator"],
                    organisation=o["facilitator"],
                )
    return contract


def add_position(w, contract):
    position = PositionFactory(
        company=w.organisations["company"],
        contract=contract,
        job_title=w.job_titles[0],
        commune=w.commune,
        created_by=w.users["company"],
        openings=5,
    )
    for source_state, target in [("", "draft"), ("draft", "open")]:
        PositionTransition.objects.create(
            position=position,
            from_state=source_state,
            to_state=target,
            actor=w.users["company"],
            organisation=w.organisations["company"],
        )
    return position


def add_candidate(w, n):
    """A candidate of the prescriber seeking two jobs, with three skills and two eligibility checks."""
    candidate = CandidateFactory(
        prescriber=w.organisations["prescriber"], commune=w.commune, job_titles=w.job_titles, last_name=f"Nom{n}"
    )
    candidate.skills.set(w.skills)
    for _ in range(2):
        EligibilityCheckFactory(
            candidate=candidate,
            checked_by=w.users["facilitator"],
            checked_by_organisation=w.organisations["facilitator"],
        )
    return candidate


def add_submission(w, candidate, position, *, hired=False):
    """Sent to the company with its history; ``hired``: in interview, hired, and its placement pending."""
    o, u = w.organisations, w.users
    submission = SubmissionFactory(
        candidate=candidate,
        position=position,
        submitted_by=u["prescriber"],
        state=SubmissionState.HIRED if hired else SubmissionState.SENT_TO_COMPANY,
        reached_company_at=timezone.now() - datetime.timedelta(days=30),
        state_changed_at=timezone.now() - datetime.timedelta(days=30),
    )
    steps = [("", "submitted", "prescriber"), ("submitted", "preselected", "facilitator")]
    steps += [("preselected", "sent_to_company", "facilitator")]
    if hired:
        steps += [("sent_to_company", "interview", "company"), ("interview", "hired", "company")]
    for source_state, target, role in steps:
        SubmissionTransition.objects.create(
            submission=submission, from_state=source_state, to_state=target, actor=u[role], organisation=o[role]
        )
    if hired:
        placement = Placement.objects.create(
            submission=submission,
            position=position,
            contract_type=ContractType.CDD,
            hired_on=timezone.localdate() - datetime.timedelta(days=60),
            start_date=timezone.localdate() - datetime.timedelta(days=60),
            planned_end_date=timezone.localdate() - datetime.timedelta(days=1),
            weekly_hours=35,
            state=PlacementState.PENDING,
        )
        PlacementTransition.objects.create(
            placement=placement, to_state="pending", actor=u["company"], organisation=o["company"]
        )
    return submission


def add_news(w, n):
    """A notification to each organisation, audit events about the candidates and one about a contract."""
    for organisation in w.organisations.values():
        Notification.objects.create(recipient=organisation, text=f"Nouvelle n° {n}", link="/")
    for candidate in w.candidates:
        record(
            action=AuditAction.CANDIDATE_UPDATED,
            actor=w.users["prescriber"],
            organisation=w.organisations["prescriber"],
            target=candidate,
            candidate=candidate,
            concerned=w.organisations["prescriber"],
            details={"fields": ["phone"]},
        )
    contract = w.contracts[0]
    record(
        action=AuditAction.CONTRACT_MOVED,
        actor=w.users["buyer"],
        organisation=w.organisations["buyer"],
        target=contract,
        concerned=w.organisations["buyer"],
        contract=contract,
        details={"from": "draft", "to": "submitted"},
    )


def grow(w):
    """One more row of every kind the pages list (the world itself stays as built: the rows go with the test)."""
    n = len(w.contracts) + 1
    add_contract(w, n)
    position = add_position(w, w.contracts[0])
    candidate = add_candidate(w, n)
    add_submission(w, candidate, w.positions[0])
    add_submission(w, w.candidates[0], position, hired=True)
    add_news(w, n)


@module_rows
def world():
    """Several rows per related object (``SEVERAL``), for each kind of organisation."""
    organisations = {
        "buyer": OrganisationFactory(buyer=True),
        "company": OrganisationFactory(company=True),
        "company2": OrganisationFactory(company=True),
        "prescriber": OrganisationFactory(prescriber=True),
        "siae": OrganisationFactory(siae=True),
        "facilitator": OrganisationFactory(kind=OrganisationKind.FACILITATOR),
    }
    users = {role: member_of(organisation) for role, organisation in organisations.items()}
    member_of(organisations["company"])  # a colleague: the company has several members
    SiaeProfileFactory(organisation=organisations["siae"])
    skills = [SkillFactory() for _ in range(SEVERAL)]
    job_titles = [JobTitleFactory(), JobTitleFactory()]
    w = SimpleNamespace(
        organisations=organisations,
        users=users,
        skills=skills,
        job_titles=job_titles,
        commune=CommuneFactory(),
        contracts=[],
        positions=[],
        candidates=[],
    )
    w.contracts = [add_contract(w, n) for n in range(SEVERAL)]
    w.positions = [add_position(w, contract) for contract in w.contracts]
    w.candidates = [add_candidate(w, n) for n in range(SEVERAL)]
    for position in w.positions:
        for candidate in w.candidates:
            add_submission(w, candidate, position, hired=position is w.positions[0])
    w.submission = w.positions[0].submissions.order_by("pk").first()
    w.placement = Placement.objects.order_by("pk").first()
    for n in range(SEVERAL):
        add_news(w, n)
    return w


# Every logged-in page starts with the same three queries, then the header's unread notifications count:
LOGGED_IN = 4  # session, user, memberships with their organisations, unread notifications
# (page, role, URL from the world, exact number of queries: the comment names them after the four above)
PAGES = [
    # contracts: count, page with buyers
    ("contract_list", "buyer", lambda w: reverse("procurement:contract_list"), LOGGED_IN + 2),
    # contract with buyer, clause settings, progress by modality and month, SIAE turnover, awards with companies,
    # SIAE orders with SIAE and company, sources with company and order, their latest statements, history, the last
    # shortfall forecast
    ("contract_detail", "buyer", lambda w: reverse("procurement:contract_detail", args=[w.contracts[0].pk]), 14),
    ("contract_detail", "company", lambda w: reverse("procurement:contract_detail", args=[w.contracts[0].pk]), 14),
    # statements: count, page with contract, company and author (and for a company, its sources to declare from)
    ("statement_list", "facilitator", lambda w: reverse("procurement:statement_list"), LOGGED_IN + 2),
    ("statement_list", "company", lambda w: reverse("procurement:statement_list") + "?etat=validated", LOGGED_IN + 3),
    # profiles: count; the filter's sectors and communes; page with organisation and commune; their sectors and
    # communes
    ("siae_directory", "buyer", lambda w: reverse("procurement:siae_directory"), LOGGED_IN + 6),
    # anonymous: open positions count, the filter's arrondissements, page with job, commune, contract and company
    ("job_board", None, lambda w: reverse("marketplace:job_board"), 3),
    # position with job, commune, contract, buyer and company; its submissions counted
    ("position_detail", "company", lambda w: reverse("marketplace:position_detail", args=[w.positions[0].pk]), 6),
    # positions: count, page with job, commune, contract, buyer, company and submissions counted
    ("my_positions", "company", lambda w: reverse("marketplace:my_positions"), LOGGED_IN + 2),
    # candidates: count, page with commune and prescriber
    ("candidate_list", "prescriber", lambda w: reverse("marketplace:candidate_list"), LOGGED_IN + 2),
    # candidate; its checks with author and organisation; prescriber; commune; jobs with occupation; skills;
    # submissions with job and company
    (
        "candidate_detail",
        "prescriber",
        lambda w: reverse("marketplace:candidate_detail", args=[w.candidates[0].pk]),
        11,
    ),
    # submissions: count, page with candidate, prescriber, job, company and commune
    ("submission_list", "prescriber", lambda w: reverse("marketplace:submission_list"), LOGGED_IN + 2),
    ("submission_list", "company", lambda w: reverse("marketplace:submission_list"), LOGGED_IN + 2),
    # submission with candidate, prescriber, job, company and commune; placement; jobs; skills; history with actor
    # and organisation
    ("submission_detail", "facilitator", lambda w: reverse("marketplace:submission_detail", args=[w.submission.pk]), 9),
    # placements: count, page with candidate, job, company and contract
    ("placement_list", "company", lambda w: reverse("marketplace:placement_list"), LOGGED_IN + 2),
    # placement with candidate, job, company and contract; a valid eligibility check on the hiring date (what blocks
    # its validation); history with actor and organisation
    ("placement_detail", "facilitator", lambda w: reverse("marketplace:placement_detail", args=[w.placement.pk]), 7),
    # waiting submissions: count, page with candidate, job and company; ended placements with no outcome
    ("follow_up", "facilitator", lambda w: reverse("marketplace:follow_up"), LOGGED_IN + 3),
    # notifications: count, page
    ("notification_list", "prescriber", lambda w: reverse("notifications:notification_list"), LOGGED_IN + 2),
    # events: count; the filter's organisations; page with actor, organisations and content type; their candidates;
    # their contracts
    ("audit_log", "facilitator", lambda w: reverse("audit:event_list"), LOGGED_IN + 5),
    # whether the member is an admin; members with their users
    ("members", "company", lambda w: reverse("accounts:members"), LOGGED_IN + 2),
]


@pytest.mark.parametrize(("page", "role", "url", "queries"), [pytest.param(*p, id=f"{p[0]}-{p[1]}") for p in PAGES])
def test_a_page_runs_the_same_queries_whatever_the_data(
    world, client, django_assert_num_queries, page, role, url, queries
):
    if role is not None:
        client.force_login(world.users[role])
    with django_assert_num_queries(queries):
        response = client.get(url(world))
    assert response.status_code == 200
    grow(world)
    with django_assert_num_queries(queries):
        response = client.get(url(world))
    assert response.status_code == 200
