import datetime
import io

import openpyxl
import pytest

from marketplace.enums import ContractType, PlacementState, SubmissionState
from marketplace.models import Placement
from procurement.models import Contract
from reporting import participants
from tests.accounts.factories import OrganisationFactory
from tests.marketplace.factories import CandidateFactory, PositionFactory, SubmissionFactory
from tests.procurement.factories import AwardFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def placement(position, candidate, *, start, contract_type=ContractType.CDD, state=PlacementState.VALIDATED, **kw):
    submission = SubmissionFactory(candidate=candidate, position=position, state=SubmissionState.HIRED)
    return Placement.objects.create(
        submission=submission,
        position=position,
        contract_type=contract_type,
        hired_on=start,
        start_date=start,
        weekly_hours=35,
        state=state,
        **kw,
    )


def test_profiles_contract_types_and_durable_exits(company_org, prescriber_org):
    buyer = OrganisationFactory(buyer=True)
    contract = AwardFactory(company=company_org, contract__buyer=buyer).contract
    ours = PositionFactory(company=company_org, contract=contract)
    elsewhere = PositionFactory(company=company_org)
    young_woman = CandidateFactory(
        prescriber=prescriber_org, birth_date=datetime.date(2002, 1, 1), sex="f", level1_criteria=["rsa"]
    )
    senior_man = CandidateFactory(
        prescriber=prescriber_org,
        birth_date=datetime.date(1970, 1, 1),
        sex="m",
        level1_criteria=[],
        level2_criteria=["over_50"],
    )
    june = datetime.date(2026, 6, 1)
    placement(ours, young_woman, start=june, planned_end_date=datetime.date(2026, 12, 1), outcome="cdi")
    placement(elsewhere, senior_man, start=june, contract_type=ContractType.CDI)
    placement(ours, senior_man, start=june, planned_end_date=datetime.date(2026, 9, 1), outcome="job_seeking")
    placement(ours, CandidateFactory(prescriber=prescriber_org), start=june, state=PlacementState.PENDING)
    placement(ours, CandidateFactory(prescriber=prescriber_org), start=datetime.date(2025, 6, 1))

    everything = participants.summary(start=START, end=END)
    assert everything["participants"] == {
        "count": 2,
        "under_26": 1,
        "over_50": 1,
        "women": 1,
        "qpv": 1,  # the young woman's factory criteria include QPV
        "level1": {
            "Bénéficiaire du RSA": 1,
            "Bénéficiaire de l'ASS": 0,
            "Bénéficiaire de l'AAH": 0,
            "Demandeur d'emploi de très longue durée (24 mois et plus)": 0,
        },
    }
    assert everything["placements_by_contract_type"]["CDD"] == 2
    assert everything["placements_by_contract_type"]["CDI"] == 1
    assert everything["durable_exits"] == {"ended": 2, "with_outcome": 2, "durable": 1, "rate": 0.5}

    for_buyer = participants.summary(start=START, end=END, contracts=Contract.objects.filter(buyer=buyer))
    assert for_buyer["participants"]["count"] == 2
    assert for_buyer["placements_by_contract_type"]["CDI"] == 0


def test_report_pages_show_participant_profiles_to_the_facilitator_and_each_buyer_its_own(
    client_as, facilitator, buyer, buyer_org, company_org, prescriber_org
):
    ours = PositionFactory(
        company=company_org, contract=AwardFactory(company=company_org, contract__buyer=buyer_org).contract
    )
    elsewhere = PositionFactory(company=company_org)
    june = datetime.date(2026, 6, 1)
    placement(ours, CandidateFactory(prescriber=prescriber_org, sex="f", last_name="Visible"), start=june)
    placement(elsewhere, CandidateFactory(prescriber=prescriber_org, sex="f", last_name="Ailleurs"), start=june)
    url = "/marches/rapports/?from=2026-01-01&to=2026-12-31"

    page = client_as(facilitator).get(url).content.decode()
    assert "Participants par profil" in page
    assert "<td>Femmes</td><td>2</td>" in page.replace("\n", "").replace("  ", "")

    page = client_as(buyer).get(url).content.decode()
    # One woman on the buyer's contracts: too few to show without pointing at her.
    assert "<td>Femmes</td><td>moins de 5</td>" in page.replace("\n", "").replace("  ", "")
    assert "les effectifs de moins de 5 participants sont masqués" in page
    # Aggregates only: no one's name reaches the buyer.
    assert "Visible" not in page and "Ailleurs" not in page

    workbook = client_as(buyer).get(url + "&export=xlsx")
    assert workbook.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content))["Participants par profil"]
    assert ["Femmes", "moins de 5"] in [[c.value for c in row] for row in sheet.iter_rows()]


def test_buyers_see_profile_counts_once_there_are_enough_people(
    client_as, buyer, buyer_org, company_org, prescriber_org
):
    ours = PositionFactory(
        company=company_org, contract=AwardFactory(company=company_org, contract__buyer=buyer_org).contract
    )
    for _ in range(5):
        placement(ours, CandidateFactory(prescriber=prescriber_org, sex="f"), start=datetime.date(2026, 6, 1))

    page = client_as(buyer).get("/marches/rapports/?from=2026-01-01&to=2026-12-31").content.decode()

    flat = page.replace("\n", "").replace("  ", "")
    assert "<td>Femmes</td><td>5</td>" in flat
    assert "ASS</td><td>0</td>" in flat  # nobody: nothing to hide
