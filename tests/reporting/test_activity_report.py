"""A year of activity (2025), lived month by month through the services as the facilitator, two buyers, two
companies, an SIAE and a prescriber live it, then read back in the activity report. Every figure expected below
is worked out by hand in the comments, not by the report's code: the MEP's own shape (3 operations, 470 M€,
700,000 h negotiated, 402.1 FTE at 1,741 h per FTE), hours by buyer, sector, company, modality and month, SIAE,
people hired and their profile, durable jobs, exits, contracts at risk and closed with their penalty; small
counts masked for the buyers."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from marketplace import services as marketplace
from marketplace.enums import ContractType, PositionState, SubmissionState
from procurement import services
from procurement.enums import AwardRole, ContractState, OrderKind
from procurement.models import ClauseSettings, Contract
from tests.clock import moment
from tests.marketplace.factories import CandidateFactory, CommuneFactory, JobTitleFactory, PositionFactory
from tests.procurement.factories import pdf_upload
from tests.queue import run_queued_jobs

D = datetime.date


class Year:
    """The parties of the year, and each step as the person in charge takes it."""

    def __init__(self, clock, users, orgs):
        self.clock, self.users, self.orgs = clock, users, orgs
        self.commune, self.job_title = CommuneFactory(), JobTitleFactory()

    def at(self, day):
        self.clock.move_to(moment(day))

    def contract(self, buyer, reference, sector, amount, hours, notified_on, ends_on, penalty, awards, state):
        contract = Contract(
            reference=reference,
            title=f"Marché {reference}",
            sector=sector,
            amount_excl_vat=Decimal(amount),
            hours_entered=hours,
            notified_on=notified_on,
            ends_on=ends_on,
            penalty_per_missing_hour=Decimal(penalty),
        )
        contract = services.save_contract(contract=contract, actor=self.users[buyer], organisation=self.orgs[buyer])
        steps = [
            (ContractState.SUBMITTED, buyer),
            (ContractState.CONFIRMED, "facilitator"),
            (ContractState.AWARDED, buyer),
            (ContractState.IN_PROGRESS, buyer),
        ]
        # The steps up to ``state``, each taken by whom the contract's workflow expects.
        for target, who in steps[: [ContractState.DRAFT, *(target for target, _ in steps)].index(state)]:
            if target == ContractState.AWARDED:
                contract = services.award_contract(
                    contract=contract,
                    awards=[
                        {"siret": self.orgs[company].siret, "role": role, "hours_share": share}
                        for company, role, share in awards
                    ],
                    actor=self.users[who],
                    organisation=self.orgs[who],
                )
            else:
                contract = services.transition_contract(
                    contract=contract, target=target, actor=self.users[who], organisation=self.orgs[who]
                )
        return contract

    def position(self, company, contract, openings):
        position = PositionFactory.build(
            company=self.orgs[company],
            contract=contract,
            job_title=self.job_title,
            commune=self.commune,
            start_date=D(2024, 11, 1),
            openings=openings,
            state=PositionState.DRAFT,
            created_by=self.users[company],
        )
        position = marketplace.save_position(
            position=position, actor=self.users[company], organisation=self.orgs[company]
        )
        return marketplace.transition_position(
            position=position, target=PositionState.OPEN, actor=self.users[company], organisation=self.orgs[company]
        )

    def person(self, last_name, birth_date, sex, level1, level2):
        candidate = CandidateFactory.build(
            prescriber=self.orgs["prescriber"],
            last_name=last_name,
            birth_date=birth_date,
            sex=sex,
            level1_criteria=level1,
            level2_criteria=level2,
            commune=self.commune,
        )
        return marketplace.save_candidate(
            candidate=candidate,
            actor=self.users["prescriber"],
            organisation=self.orgs["prescriber"],
            job_titles=[self.job_title],
        )

    def check(self, candidate):
        marketplace.record_eligibility_check(
            candidate=candidate,
            criteria=[
                {"criterion": code, "proof": "prescriber_certificate"}
                for code in candidate.level1_criteria + candidate.level2_criteria
            ],
            actor=self.users["facilitator"],
            organisation=self.orgs["facilitator"],
        )

    def hire(self, candidate, position, contract_type, start_date, planned_end_date=None):
        """Proposed by the prescriber, preselected and sent by the facilitator, interviewed and hired by the
        company, validated by the facilitator: the placement and its line in the hours ledger."""
        company = "company" if position.company == self.orgs["company"] else "other_company"
        submission = marketplace.submit_candidate(
            candidate=candidate, position=position, actor=self.users["prescriber"], organisation=self.orgs["prescriber"]
        )
        for target, who in [
            (SubmissionState.PRESELECTED, "facilitator"),
            (SubmissionState.SENT_TO_COMPANY, "facilitator"),
            (SubmissionState.INTERVIEW, company),
        ]:
            submission = marketplace.transition_submission(
                submission=submission, target=target, actor=self.users[who], organisation=self.orgs[who]
            )
        marketplace.transition_submission(
            submission=submission,
            target=SubmissionState.HIRED,
            actor=self.users[company],
            organisation=self.orgs[company],
            hire={
                "contract_type": contract_type,
                "start_date": start_date,
                "planned_end_date": planned_end_date,
                "weekly_hours": Decimal("35"),
            },
        )
        return marketplace.validate_placement(
            placement=submission.placement, actor=self.users["facilitator"], organisation=self.orgs["facilitator"]
        )

    def outcome(self, placement, outcome):
        marketplace.record_outcome(
            placement=placement, outcome=outcome, actor=self.users["facilitator"], organisation=self.orgs["facilitator"]
        )

    def hours(self, source, month, hours, *, decision="validate"):
        company = "company" if source.company == self.orgs["company"] else "other_company"
        statement = services.declare_hours(
            source=source,
            month=month,
            hours=Decimal(hours),
            proof=pdf_upload(),
            proof_kind="payslip",
            actor=self.users[company],
            organisation=self.orgs[company],
        )
        who = {"actor": self.users["facilitator"], "organisation": self.orgs["facilitator"]}
        if decision == "validate":
            services.validate_statement(statement=statement, **who)
        elif decision == "reject":
            services.reject_statement(statement=statement, reason="Justificatif illisible", **who)


@pytest.fixture
def year(clock, organisations, other_company_org, buyer, other_buyer, company_user, other_company_user, prescriber,
         facilitator):  # fmt: skip
    users = {
        "buyer": buyer,
        "other_buyer": other_buyer,
        "company": company_user,
        "other_company": other_company_user,
        "prescriber": prescriber,
        "facilitator": facilitator,
    }
    y = Year(clock, users, {**organisations, "other_company": other_company_org})
    settings_row = ClauseSettings.current()
    settings_row.fte_divisor = 1741  # the MEP's own count: 700,000 h made 402 FTE
    settings_row.save()

    y.at(D(2024, 7, 1))
    holder, co = AwardRole.HOLDER, AwardRole.CO_CONTRACTOR
    # C1, Ville de Paris, building: 300 M€, 400,000 h split 300,000 / 100,000, 20 € per missing hour.
    c1 = y.contract("buyer", "2024-VDP-C1", "building", 300_000_000, 400_000, D(2024, 7, 1), D(2027, 6, 30), 20,
                    [("company", holder, 300_000), ("other_company", co, 100_000)],
                    ContractState.IN_PROGRESS)  # fmt: skip
    # C3, the other buyer, green spaces: 1 M€, 1,000 h, 30 € per missing hour, ends 30 June 2025.
    c3 = y.contract("other_buyer", "2024-AUT-C3", "green_spaces", 1_000_000, 1_000, D(2024, 1, 1), D(2025, 6, 30),
                    30, [("company", holder, 1_000)], ContractState.IN_PROGRESS)  # fmt: skip
    # C5 ended before 2025: not in the year.
    y.contract("buyer", "2023-VDP-C5", "catering", 5_000_000, 3_000, D(2023, 1, 1), D(2024, 6, 30), 20, [],
               ContractState.CONFIRMED)  # fmt: skip
    pos_c1, pos_c3 = y.position("company", c1, 10), y.position("company", c3, 2)

    y.at(D(2024, 10, 1))
    # An order started in 2024: its turnover is 2024's, not 2025's.
    services.create_siae_order(contract=c1, siae=y.orgs["siae"], kind=OrderKind.SUBCONTRACTING,
                               amount_excl_vat=Decimal("10000"), starts_on=D(2024, 10, 1), ends_on=D(2024, 12, 31),
                               hours=300, actor=company_user, organisation=y.orgs["company"])  # fmt: skip
    y.at(D(2024, 10, 20))
    p8 = y.person("Huit", D(1985, 2, 1), "m", ["rsa"], [])
    y.check(p8)
    p8_cdd = y.hire(p8, pos_c1, ContractType.CDD, D(2024, 11, 4), D(2025, 3, 31))  # hired in 2024: not a 2025 hire
    y.at(D(2024, 12, 5))
    y.hours(p8_cdd.hours_source, D(2024, 11, 1), 100)  # 2024's hours
    y.at(D(2025, 1, 6))
    y.hours(p8_cdd.hours_source, D(2024, 12, 1), 100)

    y.at(D(2025, 1, 10))
    p1 = y.person("Un", D(2001, 5, 10), "f", ["rsa"], ["qpv_zrr", "under_26"])
    p6 = y.person("Six", D(1995, 1, 1), "m", ["very_long_term_job_seeker"], ["qpv_zrr"])
    y.check(p1)
    y.check(p6)
    p1_cdi = y.hire(p1, pos_c1, ContractType.CDI, D(2025, 2, 3))
    p6_cdd = y.hire(p6, pos_c3, ContractType.CDD, D(2025, 2, 3), D(2025, 6, 30))

    y.at(D(2025, 2, 5))
    y.hours(p8_cdd.hours_source, D(2025, 1, 1), 90)

    y.at(D(2025, 2, 15))
    # C2, Ville de Paris, cleaning: 169 M€, 299,000 h to other_company, 15 € per missing hour.
    c2 = y.contract("buyer", "2025-VDP-C2", "cleaning", 169_000_000, 299_000, D(2025, 3, 1), D(2026, 12, 31), 15,
                    [("other_company", holder, 299_000)], ContractState.IN_PROGRESS)  # fmt: skip
    # C4 is still a draft: its hours are not negotiated yet.
    y.contract("buyer", "2025-VDP-C4", "building", 2_000_000, 5_000, D(2025, 2, 1), D(2026, 1, 31), 20, [],
               ContractState.DRAFT)  # fmt: skip
    pos_c2 = y.position("other_company", c2, 10)
    p2 = y.person("Deux", D(1970, 1, 15), "m", [], ["over_50", "long_term_job_seeker"])
    y.check(p2)
    # 3 March to 2 September: six months exactly, a durable job.
    p2_cdd = y.hire(p2, pos_c1, ContractType.CDD, D(2025, 3, 3), D(2025, 9, 2))
    order = services.create_siae_order(contract=c1, siae=y.orgs["siae"], kind=OrderKind.SUBCONTRACTING,
                                       amount_excl_vat=Decimal("60000"), starts_on=D(2025, 3, 1),
                                       ends_on=D(2025, 12, 31), hours=2000, actor=company_user,
                                       organisation=y.orgs["company"])  # fmt: skip

    y.at(D(2025, 3, 5))
    y.hours(p1_cdi.hours_source, D(2025, 2, 1), 100)
    y.hours(p8_cdd.hours_source, D(2025, 2, 1), 80)
    y.hours(p6_cdd.hours_source, D(2025, 2, 1), 100)

    y.at(D(2025, 3, 20))
    p3 = y.person("Trois", D(1990, 6, 1), "f", ["ass"], ["qpv_zrr"])
    y.check(p3)
    p3_interim = y.hire(p3, pos_c1, ContractType.TEMPORARY, D(2025, 4, 1), D(2025, 5, 31))

    y.at(D(2025, 4, 5))
    y.hours(p1_cdi.hours_source, D(2025, 3, 1), 120)
    y.hours(p2_cdd.hours_source, D(2025, 3, 1), 100)
    y.hours(order.source, D(2025, 3, 1), 200)
    y.hours(p6_cdd.hours_source, D(2025, 3, 1), 100)
    y.outcome(p8_cdd, "job_seeking")

    y.at(D(2025, 4, 25))
    p4 = y.person("Quatre", D(2000, 12, 31), "m", [], ["under_26", "low_qualification"])
    p5 = y.person("Cinq", D(1974, 3, 1), "f", ["aah"], [])
    y.check(p4)
    y.check(p5)
    # 5 May to 3 November: one day short of six months, not a durable job.
    p4_cdd = y.hire(p4, pos_c2, ContractType.CDD, D(2025, 5, 5), D(2025, 11, 3))
    p5_pro = y.hire(p5, pos_c2, ContractType.PROFESSIONALISATION, D(2025, 6, 2), D(2026, 6, 1))

    y.at(D(2025, 5, 5))
    y.hours(p1_cdi.hours_source, D(2025, 4, 1), 130, decision=None)  # still waiting at the end of the year
    y.hours(p2_cdd.hours_source, D(2025, 4, 1), 110)
    y.hours(p3_interim.hours_source, D(2025, 4, 1), 90)
    y.hours(order.source, D(2025, 4, 1), 150)
    y.hours(p6_cdd.hours_source, D(2025, 4, 1), 100)

    y.at(D(2025, 6, 5))
    y.hours(p3_interim.hours_source, D(2025, 5, 1), 80)
    y.hours(p6_cdd.hours_source, D(2025, 5, 1), 100)
    y.hours(p2_cdd.hours_source, D(2025, 5, 1), 50, decision="reject")

    y.at(D(2025, 7, 5))
    y.hours(p4_cdd.hours_source, D(2025, 6, 1), 100)
    y.hours(p6_cdd.hours_source, D(2025, 6, 1), 100)
    y.outcome(p6_cdd, "qualifying_training")
    services.transition_contract(contract=c3, target=ContractState.CLOSED, actor=other_buyer,
                                 organisation=y.orgs["other_buyer"])  # fmt: skip

    y.at(D(2025, 8, 5))
    y.hours(p4_cdd.hours_source, D(2025, 7, 1), 100)
    y.hours(p5_pro.hours_source, D(2025, 7, 1), 80)

    y.at(D(2025, 9, 20))
    y.outcome(p2_cdd, "cdi")
    y.check(p2)  # the first check is over six months old
    p2_cdi = y.hire(p2, pos_c2, ContractType.CDI, D(2025, 10, 1))

    y.at(D(2025, 11, 5))
    y.hours(p2_cdi.hours_source, D(2025, 10, 1), 120)

    y.at(D(2025, 12, 15))
    call_command("check_shortfalls", "--background", stdout=io.StringIO())
    run_queued_jobs()
    return y


def sheets(response):
    """{sheet title: rows of cell values} of a workbook, the header row left out and empty cells as None."""
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return {
        sheet.title: [[None if c.value == "" else c.value for c in row] for row in sheet.iter_rows(min_row=2)]
        for sheet in book.worksheets
    }


def cells(page, slug):
    """The rows of one table of the page, as lists of cell texts."""
    table = page.split(f'id="{slug}"')[1].split("</tbody>")[0].split("<tbody>")[1]
    return [[cell.split("</td>")[0] for cell in row.split("<td>")[1:]] for row in table.split("</tr>") if "<td>" in row]


approx = pytest.approx
NBSP = "\xa0"


def test_the_facilitators_year(year, client_as, facilitator, django_assert_num_queries):
    client = client_as(facilitator)
    # The current year by default (the clock is on 15 December 2025).
    page = client.get(reverse("reporting:report_dashboard")).content.decode()
    workbook = sheets(client.get(reverse("reporting:report_dashboard"), {"export": "xlsx"}))
    assert workbook == sheets(client.get(reverse("reporting:annual_report", args=[2025])))

    # Contracts of 2025: C1, C2 and C3 (not C4, a draft, nor C5, over before 2025).
    # Validated hours for 2025's months, by contract, company and modality:
    #   C1, Bâtiment Durable: P1 100 + 120 (direct), P2 100 + 110 (direct), P8 90 + 80 (direct, not its 2024 200),
    #       P3 90 + 80 (interim: ETTI), SIAE order 200 + 150 (subcontracting)       = 1,120
    #   C2, Autre entreprise: P4 100 + 100, P5 80, P2 again 120 (direct)            =   400
    #   C3, Bâtiment Durable: P6 5 × 100 (direct)                                   =   500
    #   total 2,020 h; direct 220 + 210 + 170 + 400 + 500 = 1,500; ETTI 170; SIAE subcontracting 350
    assert workbook["Synthèse"] == [
        ["Opérations suivies", 3, None, None],
        ["Montant HT des opérations", 470_000_000, None, None],  # 300 + 169 + 1 M€
        ["Heures d'insertion négociées", 700_000, None, None],  # 400,000 + 299,000 + 1,000
        [f"Équivalents temps plein négociés (1{NBSP}741 h par ETP)", approx(700_000 / 1741), None, None],
        ["Heures d'insertion réalisées (validées) sur les heures négociées", 2020, 700_000, approx(2020 / 700_000)],
        [f"Équivalents temps plein réalisés (1{NBSP}741 h par ETP)", approx(2020 / 1741), None, None],
        ["Heures déclarées en attente de validation", 130, None, None],  # P1's April
        ["Secteurs concernés", 3, None, None],
        ["Donneurs d'ordre partenaires", 2, None, None],
        ["Entreprises partenaires", 2, None, None],
        ["Heures réalisées par des SIAE sur les heures réalisées", 520, 2020, approx(520 / 2020)],  # 170 + 350
        ["Chiffre d'affaires apporté aux SIAE (commandes commencées)", 60_000, None, None],  # not 2024's 10,000
        ["SIAE ayant reçu une commande", 1, None, None],
        ["Personnes embauchées", 6, None, None],  # P1 to P6 (P8 was hired in 2024)
    ]
    assert workbook["Par donneur d'ordre"] == [
        ["Autre acheteur (test)", 1, 1_000_000, 1_000, 500, 0.5],
        ["Ville de Paris (test)", 2, 469_000_000, 699_000, 1520, approx(1520 / 699_000)],
    ]
    assert workbook["Par secteur"] == [
        ["Bâtiment", 1, 300_000_000, 400_000, 1120, approx(1120 / 400_000)],
        ["Espaces verts", 1, 1_000_000, 1_000, 500, 0.5],
        ["Propreté et nettoyage", 1, 169_000_000, 299_000, 400, approx(400 / 299_000)],
    ]
    assert workbook["Par entreprise"] == [
        ["Autre entreprise (test)", 2, 399_000, 400, approx(400 / 399_000)],  # C1's 100,000 + C2's 299,000
        ["Bâtiment Durable (test)", 2, 301_000, 1620, approx(1620 / 301_000)],  # C1's 300,000 + C3's 1,000
    ]
    assert workbook["Par modalité"] == [
        ["Embauche directe", 1500, approx(1500 / 2020)],
        ["Mise à disposition par une ETTI", 170, approx(170 / 2020)],
        ["Mise à disposition par une AI / un GEIQ", 0, 0],
        ["Sous-traitance / co-traitance avec une SIAE", 350, approx(350 / 2020)],
        ["Formation préalable à l'embauche", 0, 0],
    ]
    assert workbook["Par mois"] == [
        ["01/2025", 90, 90],  # P8
        ["02/2025", 280, 370],  # P1 100, P8 80, P6 100
        ["03/2025", 520, 890],  # P1 120, P2 100, SIAE 200, P6 100
        ["04/2025", 450, 1340],  # P2 110, P3 90, SIAE 150, P6 100 (P1's 130 waits)
        ["05/2025", 180, 1520],  # P3 80, P6 100 (P2's 50 refused)
        ["06/2025", 200, 1720],  # P4 100, P6 100
        ["07/2025", 180, 1900],  # P4 100, P5 80
        ["10/2025", 120, 2020],  # P2's CDI
    ]
    assert workbook["SIAE"] == [["EI Rebond (test)", 1, 60_000]]
    # People hired in 2025 (validated placements starting in 2025), each once, aged on their first start:
    #   P1 woman 23, RSA, QPV, CDI | P2 man 55, CDD of exactly 6 months then a CDI | P3 woman 34, ASS, QPV, interim
    #   P4 man 24, CDD a day short of 6 months | P5 woman 51, AAH, professionalisation | P6 man 30, VLTJS, QPV, CDD
    assert workbook["Personnes embauchées"] == [
        ["Personnes embauchées", 6, None, None],
        ["Embauches validées", 7, None, None],  # P2 twice
        ["Résidents d'un QPV ou d'une ZRR", 3, 6, 0.5],  # P1, P3, P6
        ["Moins de 26 ans", 2, 6, approx(2 / 6)],  # P1, P4
        ["Plus de 50 ans", 2, 6, approx(2 / 6)],  # P2, P5
        ["Femmes", 3, 6, 0.5],  # P1, P3, P5
        ["Au moins un critère de niveau 1", 4, 6, approx(4 / 6)],  # P1, P3, P5, P6
        ["Critère de niveau 1 : Bénéficiaire du RSA", 1, 6, approx(1 / 6)],
        ["Critère de niveau 1 : Bénéficiaire de l'ASS", 1, 6, approx(1 / 6)],
        ["Critère de niveau 1 : Bénéficiaire de l'AAH", 1, 6, approx(1 / 6)],
        ["Critère de niveau 1 : Demandeur d'emploi de très longue durée (24 mois et plus)", 1, 6, approx(1 / 6)],
        ["Embauches directes par les entreprises", 6, 7, approx(6 / 7)],  # all but P3's interim
        # P1's CDI, P2's 6-month CDD and CDI, P5's professionalisation; not P3, P4 (a day short), P6 (5 months)
        ["Emplois durables (CDI, CDD de 6 mois et plus, contrat en alternance)", 4, 7, approx(4 / 7)],
    ]
    assert workbook["Embauches par type de contrat"] == [
        ["CDI", 2, approx(2 / 7)],
        ["CDD", 3, approx(3 / 7)],
        ["Intérim", 1, approx(1 / 7)],
        ["Contrat d'apprentissage", 0, 0],
        ["Contrat de professionnalisation", 1, approx(1 / 7)],
        ["CDDI", 0, 0],
    ]
    # Paths planned to end in 2025: P8 (job seeking), P3 (no outcome), P6 (qualifying training), P2's CDD (CDI),
    # P4 (no outcome).
    assert workbook["Sorties de parcours"] == [
        ["Parcours terminés", 5, None, None],
        ["Sorties renseignées", 3, 5, 0.6],
        ["Sorties dynamiques (CDI, CDD de 6 mois et plus, formation qualifiante)", 2, 3, approx(2 / 3)],
    ]
    # No information session this year (tests/reporting/test_recruitment_drives.py holds some).
    assert workbook["Recrutement en nombre"][:4] == [
        ["Informations collectives tenues", 0, None, None],
        ["Personnes présentées aux entreprises", 0, None, None],
        ["Embauchées", 0, 0, None],
        ["Réorientées (emploi, formation, autre dispositif)", 0, None, None],
    ]
    # The check of 15 December 2025 (last month counted: November):
    #   C1: 1,320 h validated (200 in 2024) from November 2024: 13 months, 19 left to June 2027:
    #       1,320 + 1,320 / 13 × 19 = 3,249.2 → 3,249 h; 400,000 − 3,249 = 396,751 h at risk; × 20 € = 7,935,020 €
    #   C2: 400 h from June 2025: 6 months, 13 left to December 2026: 400 + 400 / 6 × 13 = 1,266.7 → 1,267 h;
    #       299,000 − 1,267 = 297,733 h at risk; × 15 € = 4,465,995 €
    assert workbook["Marchés en cours à risque"] == [
        ["2024-VDP-C1", "Ville de Paris (test)", "30/06/2027", 400_000, 1320, 3249, 396_751,
         approx(396_751 / 400_000), 7_935_020],
        ["2025-VDP-C2", "Ville de Paris (test)", "31/12/2026", 299_000, 400, 1267, 297_733,
         approx(297_733 / 299_000), 4_465_995],
    ]  # fmt: skip
    # C3 closed in July with 500 h of 1,000: 500 h missing × 30 € = 15,000 €.
    assert workbook["Marchés clos"] == [
        ["2024-AUT-C3", "Autre acheteur (test)", "30/06/2025", 1_000, 500, 500, 30, 15_000],
    ]

    # The page says the same, the French way.
    synthesis = cells(page, "synthese")
    assert synthesis[1] == ["Montant HT des opérations", f"470{NBSP}000{NBSP}000 €", "", ""]
    assert synthesis[3][1] == "402,1"  # 700,000 / 1,741 = 402.07
    assert synthesis[4][1:] == [f"2{NBSP}020", f"700{NBSP}000", "0,3 %"]
    assert cells(page, "personnes")[2] == ["Résidents d&#x27;un QPV ou d&#x27;une ZRR", "3", "6", "50 %"]
    assert cells(page, "personnes")[3][-1] == "33,3 %"  # 2 of 6
    assert cells(page, "marches-clos")[0][-2:] == ["30 €", f"15{NBSP}000 €"]

    # A fixed number of queries whatever the data: session, user, memberships with their organisation (3); the
    # report's 17: its contracts, validated hours grouped by contract, company and modality, and by month, the
    # settings row (FTE divisor), hours waiting for validation, awards grouped by company, SIAE orders grouped by
    # SIAE, hires, the organisations' names, exits grouped by outcome, information sessions (their funnel's
    # counts, the sessions held, redirections by kind and by outcome), contracts at risk, closed contracts and
    # their validated hours; then the header's count of unread notifications.
    with django_assert_num_queries(21):
        client.get(reverse("reporting:report_dashboard"))


def test_each_buyer_reads_its_own_contracts_with_small_counts_masked(year, client_as, buyer, other_buyer):
    client = client_as(buyer)
    workbook = sheets(client.get(reverse("reporting:report_dashboard"), {"export": "xlsx"}))
    # Ville de Paris: C1 and C2. Hires on them: P1, P2 (twice), P3, P4, P5: 5 people, 6 hires; every profile count
    # is below 5, so it is masked, and so is each share computed from it.
    assert workbook["Synthèse"][:3] == [
        ["Opérations suivies", 2, None, None],
        ["Montant HT des opérations", 469_000_000, None, None],
        ["Heures d'insertion négociées", 699_000, None, None],
    ]
    assert workbook["Personnes embauchées"] == [
        ["Personnes embauchées", 5, None, None],
        ["Embauches validées", 6, None, None],
        ["Résidents d'un QPV ou d'une ZRR", "moins de 5", 5, None],  # P1, P3
        ["Moins de 26 ans", "moins de 5", 5, None],  # P1, P4
        ["Plus de 50 ans", "moins de 5", 5, None],  # P2, P5
        ["Femmes", "moins de 5", 5, None],  # P1, P3, P5
        ["Au moins un critère de niveau 1", "moins de 5", 5, None],  # P1, P3, P5
        ["Critère de niveau 1 : Bénéficiaire du RSA", "moins de 5", 5, None],
        ["Critère de niveau 1 : Bénéficiaire de l'ASS", "moins de 5", 5, None],
        ["Critère de niveau 1 : Bénéficiaire de l'AAH", "moins de 5", 5, None],
        ["Critère de niveau 1 : Demandeur d'emploi de très longue durée (24 mois et plus)", 0, 5, 0],  # nobody
        ["Embauches directes par les entreprises", 5, 6, approx(5 / 6)],  # all but P3
        ["Emplois durables (CDI, CDD de 6 mois et plus, contrat en alternance)", "moins de 5", 6, None],
    ]
    assert [row[0] for row in workbook["Marchés en cours à risque"]] == ["2024-VDP-C1", "2025-VDP-C2"]
    assert workbook["Marchés clos"] == []
    page = client.get(reverse("reporting:report_dashboard")).content.decode()
    assert cells(page, "personnes")[5] == ["Femmes", "moins de 5", "5", ""]
    assert "les effectifs de moins de 5 personnes sont masqués" in page
    assert "Autre acheteur" not in page and "2024-AUT-C3" not in page

    # The other buyer: C3 only, one person hired (P6), its closing and penalty.
    workbook = sheets(client_as(other_buyer).get(reverse("reporting:report_dashboard"), {"export": "xlsx"}))
    assert workbook["Personnes embauchées"][0] == ["Personnes embauchées", "moins de 5", None, None]
    assert workbook["Marchés clos"] == [
        ["2024-AUT-C3", "Autre acheteur (test)", "30/06/2025", 1_000, 500, 500, 30, 15_000],
    ]
    assert workbook["Par donneur d'ordre"] == [["Autre acheteur (test)", 1, 1_000_000, 1_000, 500, 0.5]]


def test_half_hours_stay_so_that_missing_hours_and_the_penalty_agree(
    clock, organisations, other_company_org, buyer, other_buyer, company_user, other_company_user, prescriber,
    facilitator, client_as,
):  # fmt: skip
    users = {"buyer": buyer, "company": company_user, "facilitator": facilitator}
    y = Year(clock, users, organisations)
    y.at(D(2025, 1, 2))
    # 10 h due, 20 € per missing hour; 6.5 h delivered through an SIAE: 3.5 h missing, 70 € (not 4 h, nor 6 + 4).
    contract = y.contract("buyer", "2025-VDP-DEMI", "cleaning", 100_000, 10, D(2025, 1, 1), D(2025, 3, 31), 20,
                          [("company", AwardRole.HOLDER, 10)], ContractState.IN_PROGRESS)  # fmt: skip
    order = services.create_siae_order(contract=contract, siae=y.orgs["siae"], kind=OrderKind.SUBCONTRACTING,
                                       amount_excl_vat=Decimal("300"), starts_on=D(2025, 1, 1),
                                       ends_on=D(2025, 3, 31), hours=10, actor=company_user,
                                       organisation=y.orgs["company"])  # fmt: skip
    y.at(D(2025, 2, 5))
    y.hours(order.source, D(2025, 1, 1), "6.5")
    y.at(D(2025, 4, 10))
    services.transition_contract(
        contract=contract, target=ContractState.CLOSED, actor=buyer, organisation=y.orgs["buyer"]
    )
    period = {"du": "2025-01-01", "au": "2025-12-31"}
    client = client_as(facilitator)

    page = client.get(reverse("reporting:report_dashboard"), period).content.decode()
    assert cells(page, "marches-clos") == [
        ["2025-VDP-DEMI", "Ville de Paris (test)", "31/03/2025", "10", "6,5", "3,5", "20 €", "70 €"]
    ]
    assert cells(page, "synthese")[4][1:3] == ["6,5", "10"]

    response = client.get(reverse("reporting:report_dashboard"), {**period, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Marchés clos"]
    assert [cell.value for cell in sheet[2]] == ["2025-VDP-DEMI", "Ville de Paris (test)", "31/03/2025", 10, 6.5, 3.5,
                                                 20, 70]  # fmt: skip
    # Whole hours show whole, half hours with their decimals, in the reader's spreadsheet.
    assert [cell.number_format for cell in sheet[2][3:6]] == ["#,##0", "#,##0.00", "#,##0.00"]
