"""Every validation, state change and change of a person's data leaves one event: who, when, what and
from where, driven through pages, API and commands as users and scripts do."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.enums import AuditAction as A
from audit.enums import Channel
from audit.models import AuditEvent
from marketplace.models import Candidate, Placement
from procurement.enums import AwardRole, ContractState
from tests.marketplace.factories import (
    CandidateFactory,
    CommuneFactory,
    EligibilityCheckFactory,
    JobTitleFactory,
    SubmissionFactory,
)
from tests.marketplace.test_import import csv_upload, row
from tests.procurement.factories import ContractFactory, contract_in_progress_for, pdf_upload

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chromium/130 " + "x" * 300


def personal_values(candidate):
    return [candidate.first_name, candidate.last_name, candidate.email, candidate.phone, str(candidate.birth_date)]


def assert_names_no_one(events, *candidates):
    """Details hold field names, states and counts, never a personal value."""
    text = " ".join(str(event.details) + event.object_label for event in events)
    for candidate in candidates:
        for value in filter(None, personal_values(candidate)):
            assert value not in text


def candidate_form(**overrides):
    return {
        "first_name": "Inès",
        "last_name": "Exemple",
        "birth_date": "1990-05-02",
        "sex": "f",
        "commune": CommuneFactory().pk,
        "email": "ines@example.test",
        "phone": "0611223344",
        "situation": "job_seeker",
        "level2_criteria": ["qpv_zrr", "single_parent"],
        "job_titles": [JobTitleFactory().pk],
        "qualification_level": "3",
        "french_level": "3",
        "max_commute_km": "10",
        "available_from": "2026-01-05",
        "consent": "on",
    } | overrides


def test_page_edits_record_the_names_of_the_changed_fields_and_where_from(
    client_as, prescriber, prescriber_org, settings
):
    client = client_as(prescriber)
    form = candidate_form()
    client.post("/candidats/nouveau/", form, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.10")
    candidate = Candidate.objects.get()
    created = AuditEvent.objects.get()
    assert (created.action, created.candidate, created.actor, created.actor_organisation) == (
        A.CANDIDATE_CREATED,
        candidate,
        prescriber,
        prescriber_org,
    )
    assert (created.channel, created.ip_address, created.user_agent) == (Channel.WEB, "192.0.2.10", BROWSER[:200])
    assert created.organisation == prescriber_org and created.object_label == f"Candidat n° {candidate.pk}"

    skills = [s.pk for s in candidate.skills.all()]
    edited = form | {"last_name": "Nouveau-Nom", "phone": "0799887766", "skills": skills}
    client.post(f"/candidats/{candidate.pk}/modifier/", edited)
    client.post(f"/candidats/{candidate.pk}/modifier/", edited)  # nothing changed: nothing recorded
    update = AuditEvent.objects.get(action=A.CANDIDATE_UPDATED)
    assert update.details == {"fields": ["last_name", "phone"]}
    candidate.refresh_from_db()
    assert_names_no_one(AuditEvent.objects.all(), candidate)
    page = client_as(prescriber).get(reverse("audit:event_list"))
    assert page.status_code == 403  # the prescriber does not read the log


def test_api_writes_are_recorded_as_api(api_as, prescriber, prescriber_org):
    job_title = JobTitleFactory()
    payload = {
        "first_name": "Moussa",
        "last_name": "Exemple",
        "birth_date": "1995-01-02",
        "sex": "m",
        "commune": CommuneFactory().pk,
        "consent_at": "2026-01-02T10:00:00+01:00",
        "situation": "job_seeker",
        "job_titles": [job_title.pk],
        "qualification_level": "3",
        "french_level": "3",
        "available_from": "2026-01-05",
    }
    client = api_as(prescriber)
    response = client.post("/api/v1/candidates/", payload, format="json", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = client.patch(f"/api/v1/candidates/{pk}/", {"email": "moussa@example.test", "level1_criteria": ["rsa"]})
    assert response.status_code == 200
    created, updated = AuditEvent.objects.order_by("pk")
    assert (created.action, created.channel, created.ip_address) == (A.CANDIDATE_CREATED, Channel.API, "198.51.100.7")
    assert (updated.action, updated.details) == (A.CANDIDATE_UPDATED, {"fields": ["email", "level1_criteria"]})
    assert_names_no_one([created, updated], Candidate.objects.get())


def test_an_import_records_one_event_per_candidate(client_as, prescriber, prescriber_org):
    CommuneFactory()
    job_title = JobTitleFactory()
    upload = csv_upload([row(job_title), row(job_title, nom="Autre")])
    client_as(prescriber).post("/candidats/importer/", {"file": upload})
    events = AuditEvent.objects.order_by("pk")
    assert [(e.action, e.candidate.last_name, e.details) for e in events] == [
        (A.CANDIDATE_IMPORTED, "Exemple", {"line": 2}),
        (A.CANDIDATE_IMPORTED, "Autre", {"line": 3}),
    ]
    assert_names_no_one(events, *Candidate.objects.all())


def test_a_refused_import_records_nothing(client_as, prescriber):
    job_title = JobTitleFactory()
    client_as(prescriber).post("/candidats/importer/", {"file": csv_upload([row(job_title, commune="99999")])})
    assert not AuditEvent.objects.exists()


def test_the_hiring_story_leaves_its_trail(
    client_as, api_as, prescriber, company_user, facilitator, facilitator_org, company_org, position
):
    candidate = CandidateFactory(prescriber=prescriber.memberships.get().organisation)
    submission = api_as(prescriber).post(
        "/api/v1/submissions/", {"candidate": candidate.pk, "position": position.pk}, format="json"
    )
    submission_id = submission.json()["id"]
    facilitator_page = client_as(facilitator)
    facilitator_page.post(f"/candidats/{candidate.pk}/eligibilite/", {"proof_rsa": "caf_certificate"})
    moves = [(facilitator, "preselected"), (facilitator, "sent_to_company"), (company_user, "interview")]
    for user, target in moves:
        api_as(user).post(f"/api/v1/submissions/{submission_id}/transition/", {"to": target}, format="json")
    end = (datetime.date.today() + datetime.timedelta(days=200)).isoformat()
    hired = api_as(company_user).post(
        f"/api/v1/submissions/{submission_id}/transition/",
        # Started in March 2024, the month whose hours are declared below (none outside the placement).
        {"to": "hired", "start_date": "2024-03-01", "planned_end_date": end},
        format="json",
    )
    assert hired.status_code == 200, hired.json()
    placement = Placement.objects.get()
    client_as(facilitator).post(f"/mises-a-l-emploi/{placement.pk}/decision/", {"decision": "validate"})
    placement.refresh_from_db()
    declared = api_as(company_user).post(
        "/api/v1/hours/",
        {"source": placement.hours_source_id, "month": "2024-03-01", "hours": "120", "proof_kind": "payslip"}
        | {"proof": pdf_upload()},
        format="multipart",
    )
    client_as(facilitator).post(f"/marches/heures/{declared.json()['id']}/valider/")
    client_as(facilitator).post(f"/mises-a-l-emploi/{placement.pk}/sortie/", {"outcome": "cdi"})

    trail = list(AuditEvent.objects.filter(candidate=candidate).order_by("pk"))
    assert [(e.action, e.details.get("to"), e.actor_organisation) for e in trail] == [
        (A.SUBMISSION_MOVED, "submitted", prescriber.memberships.get().organisation),
        (A.ELIGIBILITY_CHECKED, None, facilitator_org),
        (A.SUBMISSION_MOVED, "preselected", facilitator_org),
        (A.SUBMISSION_MOVED, "sent_to_company", facilitator_org),
        (A.SUBMISSION_MOVED, "interview", company_org),
        (A.SUBMISSION_MOVED, "hired", company_org),
        (A.PLACEMENT_VALIDATED, None, facilitator_org),
        (A.HOURS_DECLARED, None, company_org),
        (A.HOURS_VALIDATED, None, facilitator_org),
        (A.PLACEMENT_OUTCOME, None, facilitator_org),
    ]
    assert all(e.contract_id == position.contract_id for e in trail if e.action != A.ELIGIBILITY_CHECKED)
    assert trail[0].details == {"from": "", "to": "submitted"}
    assert trail[1].details == {"eligible": True, "criteria": 1}
    assert trail[-2].details == {"month": "2024-03-01", "hours": "120.00"}
    assert trail[-1].details == {"outcome": "cdi"}
    assert {e.channel for e in trail} == {Channel.WEB, Channel.API}
    assert_names_no_one(trail, candidate)


def test_refusals_are_recorded_and_a_refused_move_is_not(
    client_as, api_as, company_user, facilitator, facilitator_org, position, candidate
):
    submission = SubmissionFactory(candidate=candidate, position=position, sent=True)
    forbidden = api_as(company_user).post(
        f"/api/v1/submissions/{submission.pk}/transition/", {"to": "hired"}, format="json"
    )
    assert forbidden.status_code == 400
    assert not AuditEvent.objects.exists()
    api_as(company_user).post(
        f"/api/v1/submissions/{submission.pk}/transition/", {"to": "refused", "reason": "no_show"}, format="json"
    )
    event = AuditEvent.objects.get()
    assert event.details == {"from": "sent_to_company", "to": "refused", "refusal_reason": "no_show"}
    assert event.organisation == position.company and event.contract == position.contract


def test_refused_placements_are_recorded(client_as, api_as, company_user, facilitator, position, candidate):
    EligibilityCheckFactory(candidate=candidate)
    submission = SubmissionFactory(candidate=candidate, position=position, interview=True)
    api_as(company_user).post(
        f"/api/v1/submissions/{submission.pk}/transition/",
        {"to": "hired", "planned_end_date": "2030-01-01"},
        format="json",
    )
    placement = Placement.objects.get()
    client = client_as(facilitator)
    client.post(f"/mises-a-l-emploi/{placement.pk}/decision/", {"decision": "refuse", "note": "Non éligible"})
    assert AuditEvent.objects.filter(action=A.PLACEMENT_REFUSED, candidate=candidate).count() == 1


def test_rejected_hours_are_recorded(client_as, api_as, company_user, facilitator, company_org):
    contract, source = contract_in_progress_for(company_org)
    declared = api_as(company_user).post(
        "/api/v1/hours/",
        {"source": source.pk, "month": "2024-03-01", "hours": "35", "proof_kind": "payslip", "proof": pdf_upload()},
        format="multipart",
    )
    client_as(facilitator).post(f"/marches/heures/{declared.json()['id']}/refuser/", {"reason": "Illisible"})
    declared_event, rejected = AuditEvent.objects.order_by("pk")
    assert (declared_event.action, rejected.action) == (A.HOURS_DECLARED, A.HOURS_REJECTED)
    assert rejected.contract == contract and rejected.candidate is None  # hours of a source with no person


def test_contract_moves_and_award_are_recorded(client_as, api_as, buyer, buyer_org, facilitator, company_org):
    contract = ContractFactory(buyer=buyer_org)
    api_as(buyer).post(f"/api/v1/contracts/{contract.pk}/transition/", {"to": "submitted"}, format="json")
    api_as(facilitator).post(f"/api/v1/contracts/{contract.pk}/transition/", {"to": "confirmed"}, format="json")
    award = {"form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 0, "form-0-siret": company_org.siret}
    award |= {"form-0-role": AwardRole.HOLDER, "form-0-hours_share": contract.clause_hours}
    client_as(facilitator).post(reverse("procurement:contract_award", args=[contract.pk]), award)
    contract.refresh_from_db()
    assert contract.state == ContractState.AWARDED
    events = AuditEvent.objects.filter(contract=contract).order_by("pk")
    assert [(e.action, e.details) for e in events] == [
        (A.CONTRACT_MOVED, {"from": "draft", "to": "submitted"}),
        (A.CONTRACT_MOVED, {"from": "submitted", "to": "confirmed"}),
        (A.CONTRACT_AWARDED, {"from": "confirmed", "to": "awarded", "companies": 1}),
    ]
    assert {e.organisation for e in events} == {buyer_org}


def test_position_state_changes_are_recorded(client_as, company_user, position):
    client_as(company_user).post(f"/offres/{position.pk}/etat/", {"state": "closed"})
    event = AuditEvent.objects.get()
    assert (event.action, event.actor) == (A.POSITION_MOVED, company_user)
    assert event.details == {"from": "open", "to": "closed"}


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded", "expected"),
    [
        (0, "127.0.0.1", "203.0.113.9", "127.0.0.1"),  # no proxy declared: the header is the client's word, ignored
        (1, "127.0.0.1", "203.0.113.66, 203.0.113.9", "203.0.113.9"),  # the proxy's own entry, not the client's
        (1, "127.0.0.1", "not-an-ip", "127.0.0.1"),
        # Not from the trusted proxy's address: a request that reached gunicorn directly writes what it likes there.
        (1, "198.51.100.7", "203.0.113.66, 203.0.113.9", "198.51.100.7"),
    ],
)
def test_forwarded_address_is_read_only_behind_a_trusted_proxy(
    client_as, company_user, position, settings, proxies, remote_addr, forwarded, expected
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    client_as(company_user).post(
        f"/offres/{position.pk}/etat/", {"state": "closed"}, HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote_addr
    )
    assert AuditEvent.objects.get().ip_address == expected


def test_commands_record_their_name(candidate):
    Candidate.objects.filter(pk=candidate.pk).update(
        created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )
    call_command("anonymise_inactive_candidates", stdout=io.StringIO())
    events = AuditEvent.objects.order_by("pk")
    assert [(e.action, e.channel, e.command, e.actor) for e in events] == [
        (A.CANDIDATE_ANONYMISED, Channel.COMMAND, "anonymise_inactive_candidates", None),
        (A.RETENTION_RUN, Channel.COMMAND, "anonymise_inactive_candidates", None),
    ]
    assert events[1].origin_display == "commande anonymise_inactive_candidates"
