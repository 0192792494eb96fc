"""The facilitator's "Journal d'audit" page: newest first, filtered by person, organisation or
contract, in French, with a bounded number of queries."""

import datetime

import pytest
from django.utils import timezone

from audit.enums import AuditAction as A
from audit.services import record
from tests.marketplace.factories import CandidateFactory, SubmissionFactory
from tests.procurement.factories import ContractFactory

pytestmark = pytest.mark.django_db

URL = "/journal-d-audit/"


@pytest.fixture
def events(facilitator, facilitator_org, prescriber, prescriber_org, company_org, buyer_org):
    """Three events: a candidate edited by its prescriber, a submission of theirs moved by the
    facilitator on a contract, and a contract of another buyer moved."""
    candidate = CandidateFactory(prescriber=prescriber_org, last_name="Suivie")
    submission = SubmissionFactory(candidate=candidate, position__company=company_org)
    other = ContractFactory(reference="AUTRE-2024")
    return {
        "candidate": candidate,
        "contract": submission.position.contract,
        "other_contract": other,
        "edit": record(
            action=A.CANDIDATE_UPDATED,
            actor=prescriber,
            organisation=prescriber_org,
            target=candidate,
            candidate=candidate,
            concerned=prescriber_org,
            details={"fields": ["last_name", "phone"]},
        ),
        "move": record(
            action=A.SUBMISSION_MOVED,
            actor=facilitator,
            organisation=facilitator_org,
            target=submission,
            candidate=candidate,
            concerned=company_org,
            contract=submission.position.contract,
            details={"from": "submitted", "to": "preselected"},
        ),
        "contract_move": record(
            action=A.CONTRACT_MOVED,
            actor=facilitator,
            organisation=facilitator_org,
            target=other,
            concerned=other.buyer,
            contract=other,
            details={"from": "draft", "to": "submitted"},
        ),
    }


def shown(response):
    return [event.pk for event in response.context["page_obj"]]


def test_the_facilitator_reads_the_log_newest_first_in_french(client_as, facilitator, events):
    response = client_as(facilitator).get(URL)
    assert response.status_code == 200
    assert shown(response) == [events["contract_move"].pk, events["move"].pk, events["edit"].pk]
    page = response.content.decode()
    assert "champs modifiés : nom, téléphone" in page
    assert "Proposée → Présélectionnée" in page
    assert "Brouillon → Soumis au facilitateur" in page
    assert f"Candidat n° {events['candidate'].pk}" in page


def test_filters_by_person_organisation_and_contract(client_as, facilitator, events, prescriber_org, company_org):
    client = client_as(facilitator)
    candidate, contract = events["candidate"], events["contract"]
    assert shown(client.get(URL, {"candidat": candidate.pk})) == [events["move"].pk, events["edit"].pk]
    # An organisation's events: those it did and those about it.
    assert shown(client.get(URL, {"organisation": prescriber_org.pk})) == [events["edit"].pk]
    assert shown(client.get(URL, {"organisation": company_org.pk})) == [events["move"].pk]
    assert shown(client.get(URL, {"marche": contract.pk})) == [events["move"].pk]
    assert shown(client.get(URL, {"marche": "autre-2024"})) == [events["contract_move"].pk]
    assert shown(client.get(URL, {"action": A.CANDIDATE_UPDATED})) == [events["edit"].pk]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert shown(client.get(URL, {"du": tomorrow})) == []


def test_bad_filters_are_explained_not_crashing(client_as, facilitator, events):
    response = client_as(facilitator).get(URL, {"candidat": "abc", "organisation": "999999", "du": "hier"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saisissez un nombre." in page
    assert "Sélectionnez un choix valide" in page
    assert "Saisissez une date valide." in page


def test_queries_do_not_grow_with_the_log(
    client_as, facilitator, facilitator_org, events, django_assert_max_num_queries
):
    client = client_as(facilitator)
    # session, user, memberships, unread notifications; count, page of events with actors and organisations,
    # their candidates, their contracts; organisations for the filter
    with django_assert_max_num_queries(9) as few:
        client.get(URL)
    for _ in range(60):
        record(
            action=A.CONTRACT_MOVED,
            actor=facilitator,
            organisation=facilitator_org,
            target=events["other_contract"],
            contract=events["other_contract"],
            details={"from": "draft", "to": "submitted"},
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(response.context["page_obj"]) == 50


def test_the_candidate_page_links_the_facilitator_to_the_person_s_trail(client_as, facilitator, prescriber, events):
    candidate = events["candidate"]
    link = f"{URL}?candidat={candidate.pk}"
    assert link in client_as(facilitator).get(f"/candidats/{candidate.pk}/").content.decode()
    assert link not in client_as(prescriber).get(f"/candidats/{candidate.pk}/").content.decode()


def test_only_the_facilitator_has_the_page_in_its_menu(client_as, facilitator, prescriber):
    assert 'href="/journal-d-audit/"' in client_as(facilitator).get("/tableau-de-bord/").content.decode()
    assert 'href="/journal-d-audit/"' not in client_as(prescriber).get("/tableau-de-bord/").content.decode()
