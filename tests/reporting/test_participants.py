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


def test_people_are_counted_once_with_their_profile_on_their_first_hire(company_org, prescriber_org):
    buyer = OrganisationFactory(buyer=True)
    contract = AwardFactory(company=company_org, contract__buyer=buyer).contract
    ours = PositionFactory(company=company_org, contract=contract)
    elsewhere = PositionFactory(company=company_org)
    young_woman = CandidateFactory(
        prescriber=prescriber_org, birth_date=datetime.date(2002, 1, 1), sex="f", level1_criteria=["rsa"]
    )
    senior_man = CandidateFactory(
        prescriber=prescriber_org,
        birth_date=datetime.date(1975, 6, 1),
        sex="m",
        level1_criteria=[],
        level2_criteria=["over_50"],
    )
    june = datetime.date(2026, 6, 1)
    placement(ours, young_woman, start=june, planned_end_date=datetime.date(2026, 11, 29), outcome="cdi")
    # 51 on his birthday in June, 50 in March: his first hire of the year says 50, so not over 50.
    placement(elsewhere, senior_man, start=datetime.date(2026, 3, 1), contract_type=ContractType.CDI)
    placement(ours, senior_man, start=june, planned_end_date=datetime.date(2026, 9, 1), outcome="job_seeking")
    placement(ours, CandidateFactory(prescriber=prescriber_org), start=june, state=PlacementState.PENDING)
    placement(ours, CandidateFactory(prescriber=prescriber_org), start=datetime.date(2025, 6, 1))

    everything = participants.hired(start=START, end=END)
    assert (everything.people, everything.hires) == (2, 3)
    assert (everything.under_26, everything.over_50, everything.women, everything.qpv) == (1, 0, 1, 1)
    assert everything.level1["Bénéficiaire du RSA"] == 1 and everything.level1_any == 1
    assert (everything.by_contract_type["CDD"], everything.by_contract_type["CDI"]) == (2, 1)
    # The CDI; not the CDD of 6 months minus a day (1 June to 29 November), nor that of 3 months.
    assert everything.durable_hires == 1
    assert participants.durable_exits(start=START, end=END) == {"ended": 2, "with_outcome": 2, "durable": 1}

    for_buyer = participants.hired(start=START, end=END, contracts=Contract.objects.filter(buyer=buyer))
    assert (for_buyer.people, for_buyer.hires, for_buyer.by_contract_type["CDI"]) == (2, 2, 0)


@pytest.mark.parametrize(
    ("contract_type", "start", "end", "durable"),
    [
        (ContractType.CDD, datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), True),  # six months exactly
        (ContractType.CDD, datetime.date(2026, 1, 1), datetime.date(2026, 6, 29), False),  # a day short
        (ContractType.CDD, datetime.date(2025, 8, 31), datetime.date(2026, 2, 27), True),  # to 28 February, less a day
        (ContractType.CDD, datetime.date(2025, 8, 31), datetime.date(2026, 2, 26), False),
        (ContractType.CDD, datetime.date(2026, 1, 1), None, False),
        (ContractType.CDI, datetime.date(2026, 1, 1), None, True),
        (ContractType.APPRENTICESHIP, datetime.date(2026, 1, 1), datetime.date(2026, 3, 1), True),
        (ContractType.PROFESSIONALISATION, datetime.date(2026, 1, 1), datetime.date(2026, 3, 1), True),
        (ContractType.TEMPORARY, datetime.date(2026, 1, 1), datetime.date(2027, 1, 1), False),
        (ContractType.CDDI, datetime.date(2026, 1, 1), datetime.date(2027, 1, 1), False),
    ],
)
def test_durable_jobs_are_cdi_cdd_of_six_months_and_qualifying_training(contract_type, start, end, durable):
    assert participants.is_durable_hire(contract_type, start, end) is durable


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
    assert "Personnes embauchées" in page
    assert "<td>Femmes</td><td>2</td><td>2</td><td>100 %</td>" in page

    page = client_as(buyer).get(url).content.decode()
    # One woman on the buyer's contracts: too few to show without pointing at her, nor her share.
    assert "<td>Femmes</td><td>moins de 5</td><td>moins de 5</td><td></td>" in page
    assert "les effectifs de moins de 5 personnes sont masqués" in page
    # Aggregates only: no one's name reaches the buyer.
    assert "Visible" not in page and "Ailleurs" not in page

    workbook = client_as(buyer).get(url + "&export=xlsx")
    assert workbook.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content))["Personnes embauchées"]
    assert ["Femmes", "moins de 5", "moins de 5", None] in [[c.value for c in row] for row in sheet.iter_rows()]


def test_buyers_see_profile_counts_once_there_are_enough_people(
    client_as, buyer, buyer_org, company_org, prescriber_org
):
    ours = PositionFactory(
        company=company_org, contract=AwardFactory(company=company_org, contract__buyer=buyer_org).contract
    )
    for _ in range(5):
        placement(ours, CandidateFactory(prescriber=prescriber_org, sex="f"), start=datetime.date(2026, 6, 1))

    page = client_as(buyer).get("/marches/rapports/?from=2026-01-01&to=2026-12-31").content.decode()

    assert "<td>Femmes</td><td>5</td><td>5</td><td>100 %</td>" in page
    assert "ASS</td><td>0</td><td>5</td><td>0 %</td>" in page  # nobody: nothing to hide
