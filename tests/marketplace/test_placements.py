import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace import services
from marketplace.enums import ContractType, PlacementState, PositionState, SubmissionState
from marketplace.models import Placement
from procurement.enums import Modality
from tests.marketplace.factories import CandidateFactory, EligibilityCheckFactory, SubmissionFactory

pytestmark = pytest.mark.django_db

END = (timezone.localdate() + datetime.timedelta(days=200)).isoformat()


def hire(api_as, company_user, submission, **extra):
    return api_as(company_user).post(
        f"/api/v1/submissions/{submission.pk}/transition/",
        {"to": "hired", "planned_end_date": END, **extra},
        format="json",
    )


def test_validation_needs_a_valid_eligibility_check_at_the_hiring_date(
    api_as, company_user, facilitator, position, candidate
):
    submission = SubmissionFactory(candidate=candidate, position=position, interview=True)
    assert hire(api_as, company_user, submission).status_code == 200
    placement = Placement.objects.get()
    # An expired check does not count.
    EligibilityCheckFactory(
        candidate=candidate,
        checked_at=timezone.now() - datetime.timedelta(days=400),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )

    response = api_as(facilitator).post(f"/api/v1/placements/{placement.pk}/validate/", {}, format="json")

    assert response.status_code == 400
    assert "Aucune vérification d'éligibilité valide" in response.json()["non_field_errors"][0]
    placement.refresh_from_db()
    assert (placement.state, placement.hours_source) == (PlacementState.PENDING, None)


def test_validation_opens_the_hours_ledger_line(api_as, company_user, facilitator, company_org, position, candidate):
    EligibilityCheckFactory(candidate=candidate, checked_at=timezone.now() - datetime.timedelta(days=3))
    submission = SubmissionFactory(candidate=candidate, position=position, interview=True)
    hire(api_as, company_user, submission)
    placement = Placement.objects.get()

    assert api_as(company_user).post(f"/api/v1/placements/{placement.pk}/validate/", {}).status_code == 403
    response = api_as(facilitator).post(f"/api/v1/placements/{placement.pk}/validate/", {"note": "OK"}, format="json")

    assert response.status_code == 200, response.json()
    placement.refresh_from_db()
    assert placement.state == PlacementState.VALIDATED
    source = placement.hours_source
    assert (source.contract, source.company, source.modality) == (position.contract, company_org, Modality.DIRECT_HIRE)
    assert candidate.last_name not in source.label  # the ledger line names no one
    again = api_as(facilitator).post(f"/api/v1/placements/{placement.pk}/validate/", {}, format="json")
    assert again.status_code == 400


def test_temporary_work_counts_under_the_etti_modality(api_as, company_user, facilitator, position, candidate):
    EligibilityCheckFactory(candidate=candidate)
    submission = SubmissionFactory(candidate=candidate, position=position, interview=True)
    hire(api_as, company_user, submission, contract_type=ContractType.TEMPORARY)
    placement = Placement.objects.get()
    api_as(facilitator).post(f"/api/v1/placements/{placement.pk}/validate/", {}, format="json")
    placement.refresh_from_db()
    assert placement.hours_source.modality == Modality.ETTI


def test_the_last_opening_fills_the_position_and_no_more_hires(api_as, company_user, prescriber_org, position):
    submissions = [
        SubmissionFactory(candidate=CandidateFactory(prescriber=prescriber_org), position=position, interview=True)
        for _ in range(position.openings + 1)
    ]
    for submission in submissions[:-1]:
        assert hire(api_as, company_user, submission).status_code == 200
    position.refresh_from_db()
    assert position.state == PositionState.FILLED

    response = hire(api_as, company_user, submissions[-1])

    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "Cette offre n'est plus ouverte : impossible d'embaucher sur ce poste."
    ]
    submissions[-1].refresh_from_db()
    assert submissions[-1].state == SubmissionState.INTERVIEW
    assert Placement.objects.count() == position.openings


def test_a_fixed_term_hire_needs_its_end_date(api_as, company_user, position, candidate):
    submission = SubmissionFactory(candidate=candidate, position=position, interview=True)
    response = api_as(company_user).post(
        f"/api/v1/submissions/{submission.pk}/transition/", {"to": "hired"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"planned_end_date": ["Indiquez la date de fin prévue de ce contrat à durée limitée."]}
    assert not Placement.objects.exists()


def test_facilitator_validates_on_the_placement_page(client_as, facilitator, position, candidate):
    EligibilityCheckFactory(candidate=candidate)
    submission = SubmissionFactory(candidate=candidate, position=position, state=SubmissionState.HIRED)
    placement = Placement.objects.create(
        submission=submission,
        position=position,
        contract_type=ContractType.CDI,
        hired_on=timezone.localdate(),
        start_date=timezone.localdate(),
        weekly_hours=35,
    )
    client = client_as(facilitator)
    assert client.get(f"/mises-a-l-emploi/{placement.pk}/").status_code == 200
    response = client.post(f"/mises-a-l-emploi/{placement.pk}/decision/", {"decision": "validate"}, follow=True)
    assert "La mise à l&#x27;emploi est validée." in response.content.decode()
    placement.refresh_from_db()
    assert placement.state == PlacementState.VALIDATED
    response = client.post(f"/mises-a-l-emploi/{placement.pk}/sortie/", {"outcome": "cdi"})
    placement.refresh_from_db()
    assert placement.is_durable_exit


def test_hiring_company_declares_hours_from_the_validated_placement(
    client_as, company_user, facilitator, facilitator_org, position, candidate
):
    """The company's notification leads to the placement page: its hours are declared from there."""
    EligibilityCheckFactory(candidate=candidate)
    submission = SubmissionFactory(candidate=candidate, position=position, state=SubmissionState.HIRED)
    placement = Placement.objects.create(
        submission=submission,
        position=position,
        contract_type=ContractType.CDI,
        hired_on=timezone.localdate(),
        start_date=timezone.localdate(),
        weekly_hours=35,
    )
    url = f"/mises-a-l-emploi/{placement.pk}/"
    assert "Déclarer des heures" not in client_as(company_user).get(url).content.decode()
    services.validate_placement(placement=placement, actor=facilitator, organisation=facilitator_org)
    placement.refresh_from_db()
    declare = reverse("procurement:declare_hours", args=[placement.hours_source_id])
    assert f'href="{declare}">Déclarer des heures</a>' in client_as(company_user).get(url).content.decode()
    assert declare not in client_as(facilitator).get(url).content.decode()


def test_placement_pages_are_scoped(client_as, other_company_user, company_user, position, candidate):
    submission = SubmissionFactory(candidate=candidate, position=position, state=SubmissionState.HIRED)
    placement = Placement.objects.create(
        submission=submission,
        position=position,
        contract_type=ContractType.CDI,
        hired_on=timezone.localdate(),
        start_date=timezone.localdate(),
        weekly_hours=35,
    )
    assert client_as(other_company_user).get(f"/mises-a-l-emploi/{placement.pk}/").status_code == 404
    assert (
        client_as(company_user)
        .post(f"/mises-a-l-emploi/{placement.pk}/decision/", {"decision": "validate"})
        .status_code
        == 403
    )


def test_refusal_through_the_api_needs_a_reason_and_frees_the_opening(
    api_as, company_user, facilitator, prescriber_org, position
):
    submissions = [
        SubmissionFactory(candidate=CandidateFactory(prescriber=prescriber_org), position=position, interview=True)
        for _ in range(position.openings)
    ]
    for submission in submissions:
        hire(api_as, company_user, submission)
    position.refresh_from_db()
    assert position.state == PositionState.FILLED
    placement = Placement.objects.filter(position=position).first()
    url = f"/api/v1/placements/{placement.pk}/refuse/"

    assert api_as(company_user).post(url, {"note": "Non"}, format="json").status_code == 403
    blank = api_as(facilitator).post(url, {"note": " "}, format="json")
    assert blank.status_code == 400
    assert blank.json()["note"] == ["Expliquez à l'entreprise pourquoi la mise à l'emploi est refusée."]
    response = api_as(facilitator).post(url, {"note": "Critères non justifiés"}, format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["decision_note"]) == ("refused", "Critères non justifiés")
    position.refresh_from_db()
    assert position.state == PositionState.OPEN


def test_outcome_through_the_api_only_for_validated_placements(api_as, company_user, facilitator, position, candidate):
    EligibilityCheckFactory(candidate=candidate)
    hire(api_as, company_user, SubmissionFactory(candidate=candidate, position=position, interview=True))
    placement = Placement.objects.get()
    url = f"/api/v1/placements/{placement.pk}/outcome/"

    early = api_as(facilitator).post(url, {"outcome": "cdi"}, format="json")
    assert early.json() == {"non_field_errors": ["Seule une mise à l'emploi validée a une sortie."]}
    api_as(facilitator).post(f"/api/v1/placements/{placement.pk}/validate/", {}, format="json")
    assert api_as(facilitator).post(url, {"outcome": "lottery"}, format="json").status_code == 400
    assert api_as(company_user).post(url, {"outcome": "cdi"}, format="json").status_code == 403
    response = api_as(facilitator).post(url, {"outcome": "cdi"}, format="json")

    assert response.status_code == 200, response.json()
    placement.refresh_from_db()
    assert placement.outcome == "cdi" and placement.outcome_recorded_at is not None
