"""Each role's dashboard leads with its work: every item a count linking to the list it counts, the age of the
oldest item of a queue, boundary cases left out, and the same number of queries with 3 or 30 rows of each."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.enums import ContractType, PlacementOutcome, PlacementState, PositionState, SubmissionState
from marketplace.models import Placement
from procurement.enums import ContractState, OrderKind, StatementState
from procurement.models import ContractForecast, ContractTransition, HoursSource, SiaeOrder, ValidatedHours
from tests.dashboards import work_items
from tests.marketplace.factories import (
    CandidateFactory,
    EligibilityCheckFactory,
    PositionFactory,
    SubmissionFactory,
)
from tests.procurement.factories import AwardFactory, ContractFactory, HoursSourceFactory, HoursStatementFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def first_of_month(months_back):
    """The first day of the month ``months_back`` months before this one."""
    month = timezone.localdate().replace(day=1)
    for _ in range(months_back):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def build(n, *, buyer_org, company_org, prescriber_org, siae_org, facilitator):
    """``n`` items in each queue of each role, the oldest ``n`` days old, beside rows no queue should count."""
    today = timezone.localdate()
    # The buyer's contracts: n drafts, n submitted to the facilitator (the oldest n days ago), n in progress with
    # hours validated at a good pace but one without any (late), and a closed one it no longer follows.
    for i in range(n):
        ContractFactory(buyer=buyer_org, created_at=days_ago(i + 1))
        submitted = ContractFactory(buyer=buyer_org, submitted=True)
        ContractTransition.objects.create(
            contract=submitted,
            from_state=ContractState.DRAFT,
            to_state=ContractState.SUBMITTED,
            actor=facilitator,
            organisation=buyer_org,
            at=days_ago(i + 1),
        )
    running = []
    for i in range(n):
        contract = AwardFactory(company=company_org, contract__buyer=buyer_org, contract__in_progress=True).contract
        contract.ends_on = today + datetime.timedelta(days=365)
        contract.save(update_fields=["ends_on"])
        running.append(contract)
        if i:
            ValidatedHours.objects.create(
                contract=contract, company=company_org, modality="direct_hire", month=first_of_month(2), hours=800
            )
    closed = ContractFactory(buyer=buyer_org, state=ContractState.CLOSED)
    # The last monthly check: every running contract but the last short of its hours (100 h more for each, the
    # later the worse), at risk for i + 1 days; the closed one was at risk when it closed (no longer anyone's work).
    for i, contract in enumerate([*running, closed]):
        at_risk = i < n - 1 or contract is closed
        ContractForecast.objects.create(
            contract=contract,
            checked_on=today,
            hours_due=1000,
            hours_validated=800,
            hours_projected=1000 - 100 * (i + 1) if at_risk else 1000,
            hours_at_risk=100 * (i + 1) if at_risk else 0,
            at_risk=at_risk,
            at_risk_since=today - datetime.timedelta(days=i + 1) if at_risk else None,
        )

    # The company's sources, each started three months ago with one month declared and one refused: two months
    # to declare each (this month is not over).
    for i in range(n):
        source = HoursSourceFactory(contract=running[i], company=company_org, created_at=days_ago(0))
        HoursSource.objects.filter(pk=source.pk).update(
            created_at=timezone.make_aware(datetime.datetime.combine(first_of_month(3), datetime.time(12)))
        )
        HoursStatementFactory(source=source, month=first_of_month(2), declared_at=days_ago(i + 1))
        HoursStatementFactory(source=source, month=first_of_month(1), state=StatementState.REJECTED)
    # Positions: n open, one draft; submissions that reached it, n of each stage.
    position = PositionFactory(company=company_org, contract=running[0], state=PositionState.OPEN)
    PositionFactory(company=company_org, contract=running[0], state=PositionState.DRAFT)
    for _ in range(n - 1):
        PositionFactory(company=company_org, contract=running[0], state=PositionState.OPEN, created_at=days_ago(8))
    for i in range(n):
        for trait in ("sent", "interview"):
            SubmissionFactory(
                candidate=CandidateFactory(prescriber=prescriber_org),
                position=position,
                state_changed_at=days_ago(i + 1),
                **{trait: True},
            )

    # The prescriber's people: n whose eligibility runs out within 30 days (the last one exactly in 30 days),
    # one in 31 days, one that ran out yesterday, and n submitted (no valid eligibility: the facilitator's
    # queue too, the oldest n days ago).
    for i in range(n):
        days = 30 if i == n - 1 else i
        EligibilityCheckFactory(
            candidate=CandidateFactory(prescriber=prescriber_org), valid_until=today + datetime.timedelta(days=days)
        )
    EligibilityCheckFactory(
        candidate=CandidateFactory(prescriber=prescriber_org), valid_until=today + datetime.timedelta(days=31)
    )
    EligibilityCheckFactory(
        candidate=CandidateFactory(prescriber=prescriber_org), valid_until=today - datetime.timedelta(days=1)
    )
    for i in range(n):
        SubmissionFactory(
            candidate=CandidateFactory(prescriber=prescriber_org),
            position=position,
            created_at=days_ago(i + 1),
            state_changed_at=days_ago(i + 1),
        )
    # Hires: n waiting for the facilitator, n ended without outcome, one with its outcome.
    for i in range(2 * n + 1):
        submission = SubmissionFactory(
            candidate=CandidateFactory(prescriber=prescriber_org), position=position, state=SubmissionState.HIRED
        )
        waiting = i < n
        Placement.objects.create(
            submission=submission,
            position=position,
            contract_type=ContractType.CDD,
            hired_on=today - datetime.timedelta(days=200),
            start_date=today - datetime.timedelta(days=200),
            planned_end_date=today - datetime.timedelta(days=i + 1),
            weekly_hours=35,
            state=PlacementState.PENDING if waiting else PlacementState.VALIDATED,
            outcome=PlacementOutcome.CDI if i == 2 * n else "",
            created_at=days_ago(i + 1),
        )

    # The SIAE's orders, each with 100 h validated and 50 h declared.
    for i in range(n):
        source = HoursSourceFactory(contract=running[0], company=company_org, modality="siae_subcontracting")
        SiaeOrder.objects.create(
            contract=running[0],
            company=company_org,
            siae=siae_org,
            kind=OrderKind.SUBCONTRACTING,
            amount_excl_vat=Decimal("3000"),
            starts_on=today.replace(day=1),
            ends_on=today.replace(day=1),
            hours=100,
            source=source,
        )
        HoursStatementFactory(source=source, month=today.replace(day=1), hours=100, state=StatementState.VALIDATED)
        HoursStatementFactory(source=source, month=today.replace(day=1), hours=50, declared_at=days_ago(i + 1))


@pytest.fixture
def world(buyer_org, company_org, prescriber_org, siae_org, facilitator):
    def make(n):
        build(
            n,
            buyer_org=buyer_org,
            company_org=company_org,
            prescriber_org=prescriber_org,
            siae_org=siae_org,
            facilitator=facilitator,
        )

    return make


def test_the_facilitator_sees_its_queues_with_the_age_of_the_oldest(client_as, facilitator, world):
    world(3)
    items = work_items(client_as(facilitator).get("/tableau-de-bord/").content.decode())

    assert items["marchés aux heures à confirmer"] == (
        "3",
        "/marches/?etat=submitted",
        "Le plus ancien attend depuis 3 jours.",
    )
    # 3 people submitted and the 6 whose submission reached the company have no valid check; those hired
    # have left the queue, and so have those whose check is valid today.
    assert items["éligibilités à vérifier"][:2] == ("9", "/candidats/?eligibilite=a-verifier")
    assert items["candidatures à présélectionner"] == (
        "3",
        "/candidatures/?etat=submitted",
        "Le plus ancien attend depuis 3 jours.",
    )
    assert items["candidature présélectionnée à transmettre"][:2] == ("0", "/candidatures/?etat=preselected")
    assert items["mises à l'emploi à valider"] == (
        "3",
        "/mises-a-l-emploi/?etat=pending",
        "Le plus ancien attend depuis 3 jours.",
    )
    assert items["relevés d'heures à valider"][:2] == ("6", "/marches/heures/?etat=declared")
    # Ended 4 to 6 days ago; the seventh has its outcome.
    assert items["sorties à enregistrer"] == ("3", "/suivi/", "Le plus ancien attend depuis 6 jours.")
    # Two of the three running contracts, not the closed one, from the monthly check (procurement.forecast).
    worse, bad = (ContractForecast.objects.get(hours_at_risk=h).contract.reference for h in (200, 100))
    assert items["marchés à risque"] == (
        "2",
        "/marches/a-risque/",
        f"Le plus ancien attend depuis 2 jours. 300 h à risque au rythme actuel. Les plus en retard : {worse} (200 h), "
        f"{bad} (100 h).",
    )
    assert list(items).index("marchés aux heures à confirmer") < list(items).index("relevés d'heures à valider")


def test_the_card_of_contracts_at_risk_names_the_three_worst(client_as, facilitator, buyer, world):
    world(5)
    # Four running contracts short by 100, 200, 300 and 400 h: the three worst by name, the fourth in the list only.
    reference = {f.hours_at_risk: f.contract.reference for f in ContractForecast.objects.select_related("contract")}
    for user in (facilitator, buyer):
        count, url, detail = work_items(client_as(user).get("/tableau-de-bord/").content.decode())["marchés à risque"]
        assert count == "4"
        assert detail.endswith(
            f"1 000 h à risque au rythme actuel. Les plus en retard : {reference[400]} (400 h), "
            f"{reference[300]} (300 h), {reference[200]} (200 h)."
        )
        assert reference[100] in client_as(user).get(url).content.decode()


def test_a_single_contract_at_risk_is_named_alone(client_as, facilitator, world):
    world(2)
    reference = ContractForecast.objects.get(at_risk=True, contract__state="in_progress").contract.reference
    count, _, detail = work_items(client_as(facilitator).get("/tableau-de-bord/").content.decode())["marché à risque"]
    assert (count, detail) == (
        "1",
        "Le plus ancien attend depuis 1 jour. 100 h à risque au rythme actuel. "
        f"Le plus en retard : {reference} (100 h).",
    )


def test_each_count_is_the_list_it_links_to(client_as, facilitator, prescriber, world):
    world(3)
    items = work_items(client_as(facilitator).get("/tableau-de-bord/").content.decode())
    for label in ["éligibilités à vérifier", "candidatures à présélectionner", "mises à l'emploi à valider"]:
        count, url, _ = items[label]
        page = client_as(facilitator).get(url).content.decode()
        assert f"<caption>{count} " in page, label
    page = client_as(facilitator).get("/candidats/?eligibilite=a-verifier").content.decode()
    assert page.count("Vérifier l'éligibilité<span") == 9

    items = work_items(client_as(prescriber).get("/tableau-de-bord/").content.decode())
    count, url, _ = items["éligibilités expirent bientôt"]
    assert count == "3"
    assert "<caption>3 candidats</caption>" in client_as(prescriber).get(url).content.decode()


def test_the_buyer_sees_its_contracts_late_first(client_as, buyer, world):
    world(3)
    page = client_as(buyer).get("/tableau-de-bord/").content.decode()
    items = work_items(page)

    assert items["marchés en brouillon à soumettre"] == (
        "3",
        "/marches/?etat=draft",
        "Le plus ancien attend depuis 3 jours.",
    )
    assert items["marchés en cours de vérification"][:2] == ("3", "/marches/?etat=submitted")
    # Those of the company's sources and of the SIAE's orders.
    assert items["relevés d'heures en attente"][:2] == ("6", "/marches/heures/?etat=declared")
    assert items["marchés à risque"][:2] == ("2", "/marches/a-risque/")
    assert "2 marchés à risque" in client_as(buyer).get("/marches/a-risque/").content.decode()
    table = page[page.index('id="heures-par-marche"') :]
    rows = table.split("<tr>")[2:]
    # The contract with no validated hours first, then those at 96 % (800 of 833 h).
    assert "Pas encore commencé" in rows[0] or "En retard" in rows[0]
    assert "800 h (96 %)" in rows[1] or "800 h (96,0 %)" in rows[1]
    assert len(rows) == 3


def test_the_company_sees_months_to_declare_and_submissions_to_process(
    client_as, company_user, other_company_user, world
):
    world(3)
    items = work_items(client_as(company_user).get("/tableau-de-bord/").content.decode())

    oldest = first_of_month(3)
    assert items["mois d'heures à déclarer"][:2] == ("6", "/marches/heures/#declare")
    assert items["mois d'heures à déclarer"][2] == (
        f"Le plus ancien attend depuis {(timezone.localdate() - oldest).days} jours."
    )
    assert items["candidatures à examiner"] == (
        "3",
        "/candidatures/?etat=sent_to_company",
        "Le plus ancien attend depuis 3 jours.",
    )
    assert items["entretiens à conclure"][:2] == ("3", "/candidatures/?etat=interview")
    assert items["offres ouvertes"][:2] == ("3", "/offres/gestion/?etat=open")
    assert items["offre en brouillon à publier"][:2] == ("1", "/offres/gestion/?etat=draft")
    page = client_as(company_user).get("/offres/gestion/?etat=open").content.decode()
    assert "<caption>3 offres</caption>" in page
    # The two contracts it holds that fall behind, the worst first, right after the hours it has to declare.
    worse, bad = (ContractForecast.objects.get(hours_at_risk=h).contract.reference for h in (200, 100))
    assert items["marchés à risque"][1:] == (
        "/marches/a-risque/",
        f"Le plus ancien attend depuis 2 jours. 300 h à risque au rythme actuel. Les plus en retard : {worse} (200 h), "
        f"{bad} (100 h).",
    )
    assert list(items).index("marchés à risque") == list(items).index("mois d'heures à déclarer") + 1
    assert "2 marchés à risque" in client_as(company_user).get("/marches/a-risque/").content.decode()
    # Another company holds none of them.
    other = work_items(client_as(other_company_user).get("/tableau-de-bord/").content.decode())
    assert other["marché à risque"] == ("0", "/marches/a-risque/", "")


def test_the_prescriber_sees_expiring_eligibility_stages_and_new_positions(client_as, prescriber, world):
    world(3)
    today = timezone.localdate()
    items = work_items(client_as(prescriber).get("/tableau-de-bord/").content.decode())

    # Today, tomorrow and in 30 days; not in 31 days, not yesterday.
    assert items["éligibilités expirent bientôt"] == (
        "3",
        "/candidats/?eligibilite=expire-bientot",
        f"Dans les 30 jours ; la première le {today:%d/%m/%Y}.",
    )
    assert items["candidatures proposées au facilitateur"] == (
        "3",
        "/candidatures/?etat=submitted",
        "Le plus ancien attend depuis 3 jours.",
    )
    assert items["candidatures transmises à l'entreprise"][:2] == ("3", "/candidatures/?etat=sent_to_company")
    assert items["candidats en entretien"][:2] == ("3", "/candidatures/?etat=interview")
    # The position opened today; the others 8 days ago.
    assert items["nouvelle offre"][:2] == ("1", "/offres/?depuis=7")
    assert "1 offre" in client_as(prescriber).get("/offres/?depuis=7").content.decode()


def test_the_siae_sees_its_orders_and_hours(client_as, siae_user, world):
    world(3)
    items = work_items(client_as(siae_user).get("/tableau-de-bord/").content.decode())

    assert items["commandes reçues"] == ("3", "/marches/commandes-siae/", "300 h d'insertion apportées aux marchés.")
    assert items["relevés d'heures en attente"] == (
        "3",
        "/marches/heures/?etat=declared",
        "Le plus ancien attend depuis 3 jours. 300 h validées sur vos commandes.",
    )


def test_an_empty_queue_shows_zero_without_an_age(client_as, facilitator):
    items = work_items(client_as(facilitator).get("/tableau-de-bord/").content.decode())
    assert items["mise à l'emploi à valider"] == ("0", "/mises-a-l-emploi/?etat=pending", "")


# Session, user, memberships and organisation, then each role's items and overview, named below.
QUERIES = {
    # contracts to confirm, statements to validate, contracts at risk and the worst of them; eligibility to
    # check, submissions, placements; overview: submissions, contracts by state; its two-factor authenticators
    # (recommended to facilitators)
    "facilitator": 4 + 4 + 3 + 2 + 1,
    # contracts by state, statements waiting, contracts at risk and the worst of them; the contracts followed and
    # their validated totals; overview: positions, submissions, placements, contracts by state
    "buyer": 4 + 4 + 2 + 4,
    # contracts at risk and the worst of them; sources, months declared, submissions, positions, placements;
    # overview: positions, submissions, contracts
    "company_user": 4 + 2 + 5 + 3,
    # expiring eligibility, submissions by stage, new positions; overview: candidates, submissions
    "prescriber": 4 + 3 + 2,
    # orders, statements; overview: contracts
    "siae_user": 4 + 2 + 1,
}


@pytest.mark.parametrize("user_fixture", list(QUERIES))
@pytest.mark.parametrize("n", [3, 30])
def test_a_dashboard_runs_the_same_queries_whatever_the_data(
    request, client_as, world, user_fixture, n, django_assert_num_queries
):
    world(n)
    client = client_as(request.getfixturevalue(user_fixture))
    client.get("/tableau-de-bord/")  # caches: content types, the site's settings
    with django_assert_num_queries(QUERIES[user_fixture]):
        assert client.get("/tableau-de-bord/").status_code == 200
