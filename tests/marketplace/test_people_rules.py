"""Rules about people, through the pages, the API and the import: age criteria follow the birth date, a person
works at most 48 h a week across placements (one full-time job at a time), a placement's modality must be one
the contract allows, and a validated placement hands its dates and weekly hours to the ledger."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from marketplace.enums import ContractType, PlacementState
from marketplace.models import Candidate, EligibilityCheck, Placement
from procurement.enums import Modality
from tests.marketplace.factories import (
    CandidateFactory,
    EligibilityCheckFactory,
    JobTitleFactory,
    PositionFactory,
    SubmissionFactory,
)
from tests.marketplace.test_import import csv_upload, row
from tests.procurement.factories import AwardFactory

TODAY = timezone.localdate()


def born(years_ago, days=0):
    return TODAY.replace(year=TODAY.year - years_ago) - datetime.timedelta(days=days)


# --- Age criteria ---------------------------------------------------------------------------------------------


def test_the_facilitator_verifies_over_50_only_for_someone_50_or_more(client_as, facilitator, prescriber_org):
    younger = CandidateFactory(prescriber=prescriber_org, birth_date=born(50, days=-1))  # 50 tomorrow
    fifty = CandidateFactory(prescriber=prescriber_org, birth_date=born(50))
    client = client_as(facilitator)
    response = client.post(f"/candidats/{younger.pk}/eligibilite/", {"proof_over_50": "identity_document"})
    assert response.status_code == 200
    assert (
        f"Le critère « Senior (plus de 50 ans) » suppose 50 ans ou plus : la personne a 49 ans au "
        f"{TODAY:%d/%m/%Y}." in unescape(response.content.decode())
    )
    assert not EligibilityCheck.objects.exists()
    response = client.post(f"/candidats/{fifty.pk}/eligibilite/", {"proof_over_50": "identity_document"})
    assert response.status_code == 302
    assert EligibilityCheck.objects.get().candidate == fifty


def test_the_api_verifies_under_26_only_for_someone_under_26(api_as, facilitator, prescriber_org):
    older = CandidateFactory(prescriber=prescriber_org, birth_date=born(26))
    younger = CandidateFactory(prescriber=prescriber_org, birth_date=born(26, days=-1))
    criteria = [{"criterion": "under_26", "proof": "identity_document"}]
    client = api_as(facilitator)
    response = client.post("/api/v1/eligibility-checks/", {"candidate": older.pk, "criteria": criteria}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "criteria": [
            "Le critère « Jeune (moins de 26 ans) » suppose moins de 26 ans : "
            f"la personne a 26 ans au {TODAY:%d/%m/%Y}."
        ]
    }
    response = client.post(
        "/api/v1/eligibility-checks/", {"candidate": younger.pk, "criteria": criteria}, format="json"
    )
    assert response.status_code == 201


def candidate_form(**changes):
    return {
        "first_name": "Inès",
        "last_name": "Exemple",
        "birth_date": born(30).isoformat(),
        "sex": "f",
        "commune": changes.pop("commune"),
        "situation": "job_seeker",
        "level2_criteria": ["under_26", "qpv_zrr"],
        "job_titles": [changes.pop("job_title")],
        "qualification_level": "3",
        "french_level": "3",
        "max_commute_km": "10",
        "available_from": "2026-01-05",
        "consent": "on",
        **changes,
    }


def test_a_prescriber_declares_age_criteria_consistent_with_the_birth_date(client_as, prescriber):
    from tests.marketplace.factories import CommuneFactory

    job_title, commune = JobTitleFactory(), CommuneFactory()
    client = client_as(prescriber)
    response = client.post("/candidats/nouveau/", candidate_form(job_title=job_title.pk, commune=commune.pk))
    assert response.status_code == 200
    assert "suppose moins de 26 ans : la personne a 30 ans" in unescape(response.content.decode())
    assert not Candidate.objects.exists()
    form = candidate_form(job_title=job_title.pk, commune=commune.pk, birth_date=born(25).isoformat())
    assert client.post("/candidats/nouveau/", form).status_code == 302


def test_the_import_reports_age_criteria_against_the_birth_date(api_as, prescriber):
    from tests.marketplace.factories import CommuneFactory

    CommuneFactory()  # Paris 19e, the rows' commune
    job_title = JobTitleFactory()
    rows = [
        row(job_title, criteres_niveau2="over_50", date_naissance=born(40).strftime("%d/%m/%Y")),
        row(job_title, nom="Senior", criteres_niveau2="over_50", date_naissance=born(55).strftime("%d/%m/%Y")),
    ]
    response = api_as(prescriber).post("/api/v1/candidates/import/", {"file": csv_upload(rows)}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {
        "rows": [
            f"Ligne 2 : le critère « Senior (plus de 50 ans) » suppose 50 ans ou plus : la personne a 40 ans au "
            f"{TODAY:%d/%m/%Y}."
        ]
    }
    response = api_as(prescriber).post("/api/v1/candidates/import/", {"file": csv_upload(rows[1:])}, format="multipart")
    assert response.status_code == 201, response.json()


# --- One full-time job at a time; modality; the ledger's limits ------------------------------------------------


@pytest.fixture
def contract(company_org):
    return AwardFactory(company=company_org, contract__in_progress=True).contract


def pending_placement(candidate, contract, company, *, weekly_hours, start, end=None, facilitator_org):
    position = PositionFactory(company=company, contract=contract)
    EligibilityCheckFactory(candidate=candidate, checked_by_organisation=facilitator_org)
    return Placement.objects.create(
        submission=SubmissionFactory(candidate=candidate, position=position, sent=True),
        position=position,
        contract_type=ContractType.CDD,
        hired_on=TODAY,
        start_date=start,
        planned_end_date=end,
        weekly_hours=weekly_hours,
        state=PlacementState.PENDING,
    )


def test_a_person_is_in_one_full_time_placement_at_a_time(
    api_as, facilitator, facilitator_org, prescriber_org, company_org, contract
):
    person = CandidateFactory(prescriber=prescriber_org)
    client = api_as(facilitator)
    first = pending_placement(
        person,
        contract,
        company_org,
        weekly_hours=35,
        start=TODAY,
        end=TODAY + datetime.timedelta(days=180),
        facilitator_org=facilitator_org,
    )
    assert client.post(f"/api/v1/placements/{first.pk}/validate/", {}, format="json").status_code == 200
    overlapping = pending_placement(
        person,
        contract,
        company_org,
        weekly_hours=35,
        start=TODAY + datetime.timedelta(days=30),
        end=TODAY + datetime.timedelta(days=90),
        facilitator_org=facilitator_org,
    )
    response = client.post(f"/api/v1/placements/{overlapping.pk}/validate/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        f"Cette personne travaille déjà 35 h par semaine sur la même période (mise à l'emploi n° {first.pk}) : "
        "avec 35 h de plus, elle dépasserait la durée maximale légale de 48 h par semaine."
    ]
    # 13 h more stays within 48 h; a job after the first one ends is another matter.
    part_time = pending_placement(
        person, contract, company_org, weekly_hours=13, start=TODAY, facilitator_org=facilitator_org
    )
    assert client.post(f"/api/v1/placements/{part_time.pk}/validate/", {}, format="json").status_code == 200
    other = CandidateFactory(prescriber=prescriber_org)
    later = pending_placement(
        other, contract, company_org, weekly_hours=35, start=TODAY, facilitator_org=facilitator_org
    )
    assert client.post(f"/api/v1/placements/{later.pk}/validate/", {}, format="json").status_code == 200


def test_the_placement_modality_must_be_one_the_contract_allows(
    client_as, facilitator, facilitator_org, prescriber_org, company_org
):
    contract = AwardFactory(
        company=company_org, contract__in_progress=True, contract__allowed_modalities=[Modality.ETTI]
    ).contract
    placement = pending_placement(
        CandidateFactory(prescriber=prescriber_org),
        contract,
        company_org,
        weekly_hours=35,
        start=TODAY,
        facilitator_org=facilitator_org,
    )
    response = client_as(facilitator).post(
        f"/mises-a-l-emploi/{placement.pk}/decision/", {"decision": "validate"}, follow=True
    )
    assert (
        "Le marché n'autorise pas la modalité « Embauche directe » (modalités autorisées : Mise à disposition par "
        "une ETTI)." in unescape(response.content.decode())
    )
    placement.refresh_from_db()
    assert placement.state == PlacementState.PENDING
    contract.allowed_modalities = [Modality.ETTI, Modality.DIRECT_HIRE]
    contract.save()
    client_as(facilitator).post(f"/mises-a-l-emploi/{placement.pk}/decision/", {"decision": "validate"})
    placement.refresh_from_db()
    assert placement.state == PlacementState.VALIDATED
    source = placement.hours_source
    assert (source.starts_on, source.ends_on, source.weekly_hours) == (TODAY, None, Decimal("35"))
