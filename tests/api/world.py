"""A small but complete world, so that every API operation and every export has objects to work on:
a contract in progress with its awards, hours and SIAE order, positions, candidates of two pools with an
eligibility check, a submission and a placement. ``text`` goes into every free-text field (the export test
passes spreadsheet formulas)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from marketplace.enums import ContractType, PlacementState
from marketplace.models import CandidateImport, Placement
from procurement.enums import OrderKind, StatementState
from procurement.models import Award, SiaeOrder
from tests.marketplace.factories import (
    CandidateFactory,
    EligibilityCheckFactory,
    InformationSessionFactory,
    PositionFactory,
    SessionInvitationFactory,
    SubmissionFactory,
)
from tests.procurement.factories import (
    ContractFactory,
    HoursSourceFactory,
    HoursStatementFactory,
    SiaeProfileFactory,
)
from tests.reference.factories import JobTitleFactory, OccupationFactory, SkillFactory, paris_arrondissement


def build_world(orgs, *, text="Rénovation du groupe scolaire"):
    """``orgs``: the role organisations of ``tests/conftest.py`` by role name."""
    skills = [SkillFactory(label=f"{text} compétence {n}") for n in range(4)]
    masonry = OccupationFactory(code_rome="F9701", label=f"{text} maçonnerie", skills=skills[:3])
    OccupationFactory(code_rome="F9702", label=f"{text} coffrage", skills=skills[1:])
    job_title = JobTitleFactory(label=f"{text} maçon", occupation=masonry)
    paris_19 = paris_arrondissement(19)

    contract = ContractFactory(buyer=orgs["buyer"], in_progress=True, title=f"{text} contrat", lot=text)
    ContractFactory(buyer=orgs["buyer"], title=f"{text} brouillon")
    ContractFactory(buyer=orgs["other_buyer"], submitted=True, title=f"{text} autre acheteur")
    Award.objects.create(contract=contract, company=orgs["company"], hours_share=contract.clause_hours)
    source = HoursSourceFactory(contract=contract, company=orgs["company"], label=f"{text} salarié")
    HoursStatementFactory(source=source, month=datetime.date(2024, 3, 1))
    HoursStatementFactory(
        source=source, month=datetime.date(2024, 4, 1), state=StatementState.VALIDATED, hours=Decimal("35")
    )
    HoursStatementFactory(source=source, month=datetime.date(2024, 5, 1), state=StatementState.REJECTED, reason=text)
    SiaeProfileFactory(organisation=orgs["siae"], contact_name=text, description=text)
    order_source = HoursSourceFactory(contract=contract, company=orgs["company"], label=f"{text} commande")
    SiaeOrder.objects.create(
        contract=contract,
        company=orgs["company"],
        siae=orgs["siae"],
        kind=OrderKind.SUBCONTRACTING,
        amount_excl_vat=Decimal("60000"),
        starts_on=datetime.date(2024, 2, 1),
        ends_on=datetime.date(2024, 12, 31),
        hours=2000,
        source=order_source,
    )

    position = PositionFactory(
        company=orgs["company"], contract=contract, job_title=job_title, commune=paris_19, description=text
    )
    PositionFactory(company=orgs["company"], contract=contract, job_title=job_title, commune=paris_19, state="draft")
    candidates = [
        CandidateFactory(
            prescriber=orgs[pool], job_titles=[job_title], commune=paris_19, first_name=text, last_name=f"{text} {n}"
        )
        for n, pool in enumerate(["prescriber", "prescriber", "other_prescriber"])
    ]
    EligibilityCheckFactory(candidate=candidates[0], checked_by_organisation=orgs["facilitator"], note=text)
    submission = SubmissionFactory(candidate=candidates[0], position=position, sent=True, note=text)
    SubmissionFactory(candidate=candidates[1], position=position)
    Placement.objects.create(
        submission=submission,
        position=position,
        contract_type=ContractType.CDD,
        hired_on=timezone.localdate(),
        start_date=timezone.localdate() + datetime.timedelta(days=7),
        planned_end_date=timezone.localdate() + datetime.timedelta(days=200),
        weekly_hours=35,
        state=PlacementState.PENDING,
    )
    # An information session for the open position, one of the prescriber's people invited to it.
    session = InformationSessionFactory(
        organiser=orgs["facilitator"], positions=[position], title=text, address=text, commune=paris_19
    )
    SessionInvitationFactory(session=session, candidate=candidates[1], invited_by=submission.submitted_by)
    # A large import of each pool, one still queued and one refused with the lines at fault.
    for pool, state, errors in [("prescriber", "queued", []), ("other_prescriber", "refused", [f"Ligne 2 : {text}"])]:
        CandidateImport.objects.create(
            organisation=orgs[pool], actor=submission.submitted_by, file_name=f"{text}.csv", state=state, errors=errors
        )
    return {"contract": contract, "position": position, "candidates": candidates, "submission": submission}
