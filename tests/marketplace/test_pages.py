"""The job board, the company's positions and the prescriber's candidate pages."""

import datetime

import pytest
from django.utils import timezone

from marketplace.enums import PositionState
from marketplace.models import Candidate, EligibilityCheck, Position, Submission
from tests.marketplace.factories import (
    CandidateFactory,
    CommuneFactory,
    JobTitleFactory,
    OccupationFactory,
    PositionFactory,
    awarded_contract,
)
from tests.procurement.factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_job_board_is_public_filtered_paginated_and_bounded(client, company_org, django_assert_max_num_queries):
    cleaning = JobTitleFactory(occupation=OccupationFactory(code_rome="K2204", label="Nettoyage"))
    for _ in range(22):
        PositionFactory(company=company_org)
    PositionFactory(company=company_org, job_title=cleaning, contract_type="cdi")
    PositionFactory(company=company_org, state=PositionState.DRAFT)
    # positions count, page of positions with job titles, communes, contracts, buyers, companies; arrondissements
    with django_assert_max_num_queries(4):
        response = client.get("/offres/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 23
    assert len(response.context["page_obj"]) == 20
    assert client.get("/offres/?domain=K").context["page_obj"].paginator.count == 1
    assert client.get("/offres/?contract_type=cdi&domain=F").context["page_obj"].paginator.count == 0
    assert client.get("/offres/?commune=75119").context["page_obj"].paginator.count == 23


def test_drafts_are_not_public(client, client_as, company_user, other_company_user, company_org):
    draft = PositionFactory(company=company_org, state=PositionState.DRAFT)
    assert client.get(f"/offres/{draft.pk}/").status_code == 404
    assert client_as(other_company_user).get(f"/offres/{draft.pk}/").status_code == 404
    assert client_as(company_user).get(f"/offres/{draft.pk}/").status_code == 200


def test_public_api_lists_open_positions(api_client, company_org):
    PositionFactory(company=company_org)
    PositionFactory(company=company_org, state=PositionState.CLOSED)
    data = api_client.get("/api/v1/positions/").json()
    assert data["count"] == 1
    assert {"buyer_name", "sector", "job_title_label"} <= set(data["results"][0])


def test_company_posts_a_position_on_its_contract_only(client_as, company_user, company_org, other_company_org):
    contract = awarded_contract(company_org)
    foreign = awarded_contract(other_company_org)
    job_title, commune = JobTitleFactory(), CommuneFactory()
    form = {
        "job_title": job_title.pk,
        "commune": commune.pk,
        "contract_type": "cdd",
        "weekly_hours": "35",
        "start_date": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "openings": "3",
    }
    client = client_as(company_user)
    response = client.post("/offres/nouvelle/", form | {"contract": foreign.pk})
    assert response.status_code == 200
    assert not Position.objects.exists()

    response = client.post("/offres/nouvelle/", form | {"contract": contract.pk})
    position = Position.objects.get()
    assert response.status_code == 302
    assert (position.company, position.state) == (company_org, PositionState.DRAFT)
    client.post(f"/offres/{position.pk}/etat/", {"state": "open"})
    position.refresh_from_db()
    assert position.state == PositionState.OPEN


def test_api_refuses_a_contract_not_awarded(api_as, company_user, other_company_org, prescriber):
    not_awarded = ContractFactory(in_progress=True)
    payload = {
        "contract": not_awarded.pk,
        "job_title": JobTitleFactory().pk,
        "commune": CommuneFactory().pk,
        "contract_type": "cdi",
        "weekly_hours": "35",
        "start_date": "2030-01-01",
        "openings": 1,
    }
    response = api_as(company_user).post("/api/v1/positions/", payload, format="json")
    assert response.status_code == 400
    assert "attribué à votre entreprise" in response.json()["contract"][0]
    assert api_as(prescriber).post("/api/v1/positions/", payload, format="json").status_code == 403


def test_other_company_cannot_edit(client_as, api_as, other_company_user, position):
    assert client_as(other_company_user).get(f"/offres/{position.pk}/modifier/").status_code == 404
    assert api_as(other_company_user).patch(f"/api/v1/positions/{position.pk}/", {"openings": 9}).status_code == 404


def test_prescriber_creates_a_candidate_with_consent_and_skills(client_as, prescriber, prescriber_org):
    job_title, commune = JobTitleFactory(), CommuneFactory()
    form = {
        "first_name": "Inès",
        "last_name": "Exemple",
        "birth_date": "1990-05-02",
        "sex": "f",
        "commune": commune.pk,
        "situation": "job_seeker",
        "level2_criteria": ["qpv_zrr", "single_parent"],
        "job_titles": [job_title.pk],
        "qualification_level": "3",
        "french_level": "3",
        "max_commute_km": "10",
        "available_from": "2026-01-05",
        "wanted_contract_types": ["cdi", "cdd"],
        "wanted_weekly_hours": "28",
    }
    client = client_as(prescriber)
    response = client.post("/candidats/nouveau/", form)
    assert response.status_code == 200  # consent missing
    assert not Candidate.objects.exists()
    response = client.post("/candidats/nouveau/", form | {"consent": "on"})
    candidate = Candidate.objects.get()
    assert response.status_code == 302 and response.url == f"/candidats/{candidate.pk}/competences/"
    assert candidate.prescriber == prescriber_org and candidate.has_consent
    assert candidate.wanted_contract_types == ["cdi", "cdd"] and candidate.wanted_weekly_hours == 28
    # The sought occupation's skills are proposed to tick, none chosen for the person.
    assert not candidate.skills.exists()
    offered = job_title.occupation.skills.order_by("label")
    step = client.get(response.url).content.decode()
    assert all(f'value="{skill.pk}"' in step for skill in offered) and " checked" not in step
    picked = [offered[0].pk]
    client.post(response.url, {"skills": picked})
    assert list(candidate.skills.values_list("pk", flat=True)) == picked
    page = client.get(f"/candidats/{candidate.pk}/").content.decode()
    assert "Éligibilité non vérifiée" in page
    assert "CDI, CDD · 28 h par semaine" in page


def test_facilitator_checks_eligibility_and_the_page_shows_expiry(client_as, facilitator, prescriber, candidate):
    client = client_as(facilitator)
    response = client.post(f"/candidats/{candidate.pk}/eligibilite/", {"proof_low_qualification": "diploma"})
    check = EligibilityCheck.objects.get()
    assert response.status_code == 302
    assert not check.is_eligible  # one level-2 criterion is not enough
    client.post(
        f"/candidats/{candidate.pk}/eligibilite/",
        {"proof_low_qualification": "diploma", "proof_qpv_zrr": "proof_of_address"},
    )
    latest = EligibilityCheck.objects.first()
    assert latest.is_eligible
    assert latest.valid_until == timezone.localdate() + datetime.timedelta(days=183)
    page = client_as(prescriber).get(f"/candidats/{candidate.pk}/").content.decode()
    assert f"Éligible jusqu'au {latest.valid_until:%d/%m/%Y}" in page
    assert client_as(prescriber).post(f"/candidats/{candidate.pk}/eligibilite/", {}).status_code == 403


def test_eligibility_api(api_as, facilitator, prescriber, other_prescriber, candidate):
    payload = {"candidate": candidate.pk, "criteria": [{"criterion": "rsa", "proof": "caf_certificate"}]}
    assert api_as(prescriber).post("/api/v1/eligibility-checks/", payload, format="json").status_code == 403
    response = api_as(facilitator).post("/api/v1/eligibility-checks/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["is_eligible"] is True
    assert api_as(prescriber).get("/api/v1/eligibility-checks/").json()["count"] == 1
    assert api_as(other_prescriber).get("/api/v1/eligibility-checks/").json()["count"] == 0
    bad = api_as(facilitator).post(
        "/api/v1/eligibility-checks/",
        {"candidate": candidate.pk, "criteria": [{"criterion": "x", "proof": "y"}]},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "criteria": {
            "0": {
                "criterion": ["«\xa0x\xa0» n'est pas un choix valide."],
                "proof": ["«\xa0y\xa0» n'est pas un choix valide."],
            }
        }
    }


def test_prescriber_submits_from_the_pages_and_the_company_moves_it(
    client_as, prescriber, facilitator, company_user, position, candidate
):
    response = client_as(prescriber).post(
        f"/candidats/{candidate.pk}/positionner/", {"position": position.pk, "note": "Bonjour"}
    )
    submission = Submission.objects.get()
    assert response.status_code == 302
    client = client_as(facilitator)
    client.post(f"/candidatures/{submission.pk}/transition/", {"to": "preselected"})
    client.post(f"/candidatures/{submission.pk}/transition/", {"to": "sent_to_company"})
    client = client_as(company_user)
    response = client.post(f"/candidatures/{submission.pk}/transition/", {"to": "refused"})
    assert "Choisissez le motif du refus dans la liste." in response.content.decode()
    client.post(f"/candidatures/{submission.pk}/transition/", {"to": "refused", "reason": "no_show"})
    submission.refresh_from_db()
    assert (submission.state, submission.refusal_reason) == ("refused", "no_show")
    assert client.post(f"/candidatures/{submission.pk}/transition/", {"to": "hired"}).status_code == 403


def test_follow_up_lists_stale_submissions(client_as, facilitator, company_user, position, prescriber_org, settings):
    settings.FOLLOW_UP_STALE_DAYS = 15
    from tests.marketplace.factories import SubmissionFactory

    old = SubmissionFactory(
        candidate=CandidateFactory(prescriber=prescriber_org),
        position=position,
        state_changed_at=timezone.now() - datetime.timedelta(days=20),
    )
    SubmissionFactory(candidate=CandidateFactory(prescriber=prescriber_org), position=position)
    response = client_as(facilitator).get("/suivi/")
    assert [s.pk for s in response.context["page_obj"]] == [old.pk]
    assert client_as(company_user).get("/suivi/").status_code == 403


def test_notifications_show_in_the_header(client_as, prescriber, prescriber_org, facilitator, position, candidate):
    client_as(prescriber).post(f"/candidats/{candidate.pk}/positionner/", {"position": position.pk})
    client = client_as(facilitator)
    page = client.get("/notifications/").content.decode()
    assert "Candidature n°" in page and 'fr-badge--new fr-ml-1v">1<' in page
    client.post("/notifications/lues/")
    assert 'fr-ml-1v">1<' not in client.get("/notifications/").content.decode()
