"""A person's data under the GDPR: export for the person, anonymisation on request and after the
retention period (hours and reports unchanged), pseudonyms in files for everyone but the facilitator,
and no processing without consent."""

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone

from audit.enums import AuditAction
from audit.models import AuditEvent
from marketplace.enums import SubmissionState
from marketplace.models import Candidate, EligibilityCheck, Submission, SubmissionTransition
from marketplace.personal_data import pseudonym
from matching.services import ask_prescriber
from notifications.models import Notification
from procurement import progress
from procurement.models import HoursStatement, ValidatedHours
from reporting import reports
from tests.marketplace.factories import (
    CandidateFactory,
    EligibilityCheckFactory,
    PositionFactory,
    SubmissionFactory,
    validated_placement,
)
from tests.procurement.factories import AwardFactory
from tests.test_isolation_matrix import ROLE_USERS

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2024, 3, 1)


@pytest.fixture
def hired(prescriber_org, company_org, buyer_org, facilitator):
    """A candidate of ``prescriber_org`` hired on a contract of ``buyer_org`` held by ``company_org``,
    with two validated months of hours and free texts about them everywhere."""
    candidate = CandidateFactory(
        prescriber=prescriber_org, first_name="Aïcha", last_name="Diallo", phone="0612345678", level1_criteria=["rsa"]
    )
    contract = AwardFactory(company=company_org, contract__buyer=buyer_org).contract
    position = PositionFactory(company=company_org, contract=contract)
    placement = validated_placement(
        candidate=candidate, position=position, facilitator=facilitator, hours_months=[MARCH, MARCH.replace(month=4)]
    )
    Submission.objects.filter(candidate=candidate).update(note="Mme Diallo sort d'un foyer")
    SubmissionTransition.objects.filter(submission__candidate=candidate).update(note="Vue par Mme Diallo")
    EligibilityCheck.objects.filter(candidate=candidate).update(note="Attestation CAF de Mme Diallo")
    ask_prescriber(
        candidate=candidate,
        position=PositionFactory(company=company_org, contract=contract),
        actor=facilitator,
        organisation=facilitator.memberships.get().organisation,
    )
    return candidate, placement


def xlsx_text(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


# --- Export ---------------------------------------------------------------------------------------


def test_the_facilitator_exports_everything_about_the_person_as_json(
    client_as, facilitator, hired, django_assert_max_num_queries
):
    candidate, placement = hired
    # session, user, memberships, candidate; prescriber, commune, jobs, skills, checks, submissions, history,
    # placements, hours, information sessions' invitations and their history, audit events; content type, event
    # written (+ savepoint and release)
    client = client_as(facilitator)
    with django_assert_max_num_queries(20):
        response = client.get(f"/candidats/{candidate.pk}/donnees.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="donnees-candidat-{candidate.pk}.json"'
    data = json.loads(response.content)
    record = {row["Donnée"]: row["Valeur"] for row in data["fiche"]["lignes"]}
    assert (record["Prénom"], record["Nom"], record["Téléphone"]) == ("Aïcha", "Diallo", "0612345678")
    assert record["Date de naissance"] == "1998-03-15"
    assert record["Critères de niveau 1 déclarés"] == "Bénéficiaire du RSA"
    assert record["Version du texte de consentement"] == "2026-01"
    assert data["eligibilite"]["lignes"][0]["Critères (justificatif)"] == "Bénéficiaire du RSA (Attestation CAF / MSA)"
    assert [row["État"] for row in data["candidatures"]["lignes"]] == ["Embauché"]
    assert [row["Vers"] for row in data["historique"]["lignes"]] == ["Embauché"]
    assert data["mises-a-l-emploi"]["lignes"][0]["N°"] == placement.pk
    assert [(row["Mois"], row["Heures"]) for row in data["heures"]["lignes"]] == [
        ("2024-04-01", "120.00"),
        ("2024-03-01", "120.00"),
    ]
    assert "Validation d'une mise à l'emploi" in [row["Action"] for row in data["tracabilite"]["lignes"]]
    event = AuditEvent.objects.get(action=AuditAction.CANDIDATE_EXPORTED)
    assert (event.candidate, event.actor, event.details) == (candidate, facilitator, {"format": "json"})


def test_every_field_of_the_record_is_exported(client_as, prescriber, candidate):
    data = json.loads(client_as(prescriber).get(f"/candidats/{candidate.pk}/donnees.json").content)
    exported = {row["Donnée"] for row in data["fiche"]["lignes"]}
    expected = {str(f.verbose_name).capitalize() for f in Candidate._meta.concrete_fields if f.name != "created_by"}
    assert expected <= exported
    assert {"Métiers recherchés", "Compétences"} <= exported


def test_the_prescriber_exports_its_candidate_as_xlsx_with_formulas_neutralised(client_as, prescriber, prescriber_org):
    candidate = CandidateFactory(prescriber=prescriber_org, last_name='=HYPERLINK("http://evil.example","x")')
    response = client_as(prescriber).get(f"/candidats/{candidate.pk}/donnees.xlsx")
    assert response.status_code == 200
    sheets = xlsx_text(response.content)
    assert list(sheets) == [
        "Fiche",
        "Vérifications d'éligibilité",
        "Candidatures",
        "Historique des candidatures",
        "Mises à l'emploi",
        "Heures",
        "Informations collectives",
        "Historique des invitations",
        "Traçabilité",
    ]
    assert ["Nom", '\'=HYPERLINK("http://evil.example","x")'] in sheets["Fiche"]
    assert AuditEvent.objects.get(action=AuditAction.CANDIDATE_EXPORTED).details == {"format": "xlsx"}


@pytest.mark.parametrize(
    ("role", "status"),
    [("other_prescriber", 404), ("company", 403), ("buyer", 403), ("siae", 403)],
)
def test_nobody_else_exports_a_person_s_data(client_as, request, candidate, role, status):
    client = client_as(request.getfixturevalue(ROLE_USERS[role]))
    for fmt in ("json", "xlsx"):
        assert client.get(f"/candidats/{candidate.pk}/donnees.{fmt}").status_code == status
    assert not AuditEvent.objects.exists()


def test_an_unknown_format_is_a_404(client_as, facilitator, candidate):
    assert client_as(facilitator).get(f"/candidats/{candidate.pk}/donnees.pdf").status_code == 404
    assert not AuditEvent.objects.exists()


# --- Anonymisation on request -----------------------------------------------------------------------


def test_anonymisation_erases_the_person_and_keeps_the_hours(
    client_as, facilitator, prescriber, hired, django_capture_on_commit_callbacks
):
    candidate, placement = hired
    contract = placement.position.contract
    statement = HoursStatement.objects.filter(source=placement.hours_source).first()
    proof = statement.proof.name
    assert storages["proofs"].exists(proof)
    before = progress.contract_progress(contract)
    period = reports.Period.year(2024)
    facilitator_org = facilitator.memberships.get().organisation
    summary_before = reports.summary(facilitator_org, period)
    totals_before = list(ValidatedHours.objects.values_list("month", "hours"))
    client = client_as(facilitator)
    url = f"/candidats/{candidate.pk}/anonymiser/"
    assert "Cette opération est définitive" in client.get(url).content.decode()

    response = client.post(url, {"reference": "courrier 2026-114"})
    assert response.status_code == 200  # no reason, no confirmation: nothing happens
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not Candidate.objects.get().is_anonymised

    with django_capture_on_commit_callbacks(execute=True):  # the proofs go once the erasure is committed
        response = client.post(url, {"reason": "request", "reference": "courrier 2026-114", "confirm": "on"})
    assert response.status_code == 302

    candidate.refresh_from_db()
    assert candidate.is_anonymised
    assert (candidate.first_name, candidate.last_name) == ("Personne", f"anonymisée n° {candidate.pk}")
    assert (candidate.email, candidate.phone, candidate.situation) == ("", "", "other")
    assert candidate.birth_date == datetime.date(1998, 7, 1)  # the year stays, for age bands
    assert (candidate.level1_criteria, candidate.level2_criteria, candidate.consent_at) == ([], [], None)
    assert candidate.sex == "f"
    check = EligibilityCheck.objects.get()
    assert (check.criteria, check.note, check.is_eligible) == ([], "", True)
    assert Submission.objects.get().note == ""
    assert set(SubmissionTransition.objects.values_list("note", flat=True)) == {""}
    assert not HoursStatement.objects.exclude(proof="").exists()
    assert not storages["proofs"].exists(proof)
    notification = Notification.objects.about([candidate]).get()
    assert "Diallo" not in notification.text + notification.details

    after = progress.contract_progress(contract)
    assert (after.validated, after.declared, after.by_month) == (before.validated, before.declared, before.by_month)
    assert after.validated == Decimal("240")
    assert reports.summary(facilitator_org, period) == summary_before
    assert list(ValidatedHours.objects.values_list("month", "hours")) == totals_before

    event = AuditEvent.objects.get(action=AuditAction.CANDIDATE_ANONYMISED)
    assert event.details == {"erasure_reason": "request", "reference": "courrier 2026-114"}
    assert event.actor == facilitator
    for user in (facilitator, prescriber):
        page = client_as(user).get(f"/candidats/{candidate.pk}/").content.decode()
        assert "Diallo" not in page and "Aïcha" not in page and "0612345678" not in page
        assert "Données anonymisées le" in page
    assert client_as(prescriber).get("/candidats/", {"q": "Diallo"}).context["page_obj"].paginator.count == 0
    audit_page = client_as(facilitator).get("/journal-d-audit/", {"candidat": candidate.pk}).content.decode()
    assert "Demande de la personne (droit à l&#x27;effacement)" in audit_page


def test_an_anonymised_person_is_never_edited_submitted_or_checked_again(
    client_as, api_as, facilitator, prescriber, position, hired
):
    candidate, _ = hired
    client_as(facilitator).post(f"/candidats/{candidate.pk}/anonymiser/", {"reason": "request", "confirm": "on"})
    events = AuditEvent.objects.count()
    response = client_as(prescriber).get(f"/candidats/{candidate.pk}/modifier/", follow=True)
    assert "ne peut plus être modifiée" in response.content.decode()
    response = api_as(prescriber).patch(f"/api/v1/candidates/{candidate.pk}/", {"first_name": "Aïcha"})
    assert response.status_code == 400
    response = api_as(prescriber).post(
        "/api/v1/submissions/", {"candidate": candidate.pk, "position": position.pk}, format="json"
    )
    assert response.status_code == 400
    response = client_as(facilitator).post(f"/candidats/{candidate.pk}/eligibilite/", {"proof_rsa": "caf_certificate"})
    assert "ne peut plus être modifiée" in response.content.decode()
    again = client_as(facilitator).post(f"/candidats/{candidate.pk}/anonymiser/", {"reason": "request"})
    assert again.status_code == 302  # already done: back to the record
    candidate.refresh_from_db()
    assert candidate.first_name == "Personne"
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("role", ["prescriber", "company", "buyer"])
def test_only_the_facilitator_anonymises(client_as, request, candidate, role):
    client = client_as(request.getfixturevalue(ROLE_USERS[role]))
    response = client.post(f"/candidats/{candidate.pk}/anonymiser/", {"reason": "request", "confirm": "on"})
    assert response.status_code == 403
    assert not Candidate.objects.get().is_anonymised


def test_work_in_progress_is_closed_before_anonymisation(client_as, facilitator, candidate, position):
    SubmissionFactory(candidate=candidate, position=position, state=SubmissionState.PRESELECTED)
    assert (
        "a une candidature en cours"
        in client_as(facilitator).get(f"/candidats/{candidate.pk}/anonymiser/").content.decode()
    )
    response = client_as(facilitator).post(
        f"/candidats/{candidate.pk}/anonymiser/", {"reason": "request", "confirm": "on"}
    )
    assert "a une candidature en cours" in response.content.decode()
    candidate.refresh_from_db()
    assert not candidate.is_anonymised and candidate.first_name == "Camille"
    assert not AuditEvent.objects.filter(action=AuditAction.CANDIDATE_ANONYMISED).exists()


# --- Retention ------------------------------------------------------------------------------------

LONG_AGO = timezone.now() - datetime.timedelta(days=3 * 365)
RECENTLY = timezone.now() - datetime.timedelta(days=30)


def old_candidate(prescriber_org, **changes):
    candidate = CandidateFactory(prescriber=prescriber_org)
    Candidate.objects.filter(pk=candidate.pk).update(**{"created_at": LONG_AGO, "updated_at": LONG_AGO} | changes)
    return candidate


def run(*args):
    out = io.StringIO()
    call_command("anonymise_inactive_candidates", *args, stdout=out)
    return out.getvalue()


def test_retention_anonymises_candidates_inactive_for_the_period_only(
    prescriber_org, company_org, facilitator, position
):
    inactive = old_candidate(prescriber_org)
    new = CandidateFactory(prescriber=prescriber_org)
    edited = old_candidate(prescriber_org, updated_at=RECENTLY)
    checked = old_candidate(prescriber_org)
    EligibilityCheckFactory(candidate=checked, checked_at=RECENTLY)
    submitted = old_candidate(prescriber_org)
    SubmissionFactory(candidate=submitted, position=position, state=SubmissionState.REFUSED)
    # Hired two and a half years ago, hours until last month: active.
    working = old_candidate(prescriber_org)
    placement = validated_placement(
        candidate=working,
        position=PositionFactory(company=company_org),
        facilitator=facilitator,
        hours_months=[timezone.localdate().replace(day=1) - datetime.timedelta(days=20)],
        hours=Decimal("60"),
    )
    Submission.objects.filter(candidate=working).update(created_at=LONG_AGO, state_changed_at=LONG_AGO)
    EligibilityCheck.objects.filter(candidate=working).update(checked_at=LONG_AGO)
    HoursStatement.objects.filter(source=placement.hours_source).update(declared_at=LONG_AGO, decided_at=LONG_AGO)
    type(placement).objects.filter(pk=placement.pk).update(
        created_at=LONG_AGO, decided_at=LONG_AGO, start_date=LONG_AGO.date(), planned_end_date=LONG_AGO.date()
    )
    # Submitted long ago and never answered: left, and counted, until someone closes it.
    waiting = old_candidate(prescriber_org)
    SubmissionFactory(candidate=waiting, position=position, created_at=LONG_AGO, state_changed_at=LONG_AGO)

    assert "0 seraient anonymisés" in run("--months", "48", "--dry-run")
    output = run("--dry-run")
    assert "1 seraient anonymisés (simulation : rien n'est modifié), 1 laissés" in output
    assert not Candidate.objects.exclude(anonymised_at=None).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.RETENTION_RUN).exists()

    assert ": 1 anonymisés, 1 laissés" in run()
    assert list(Candidate.objects.exclude(anonymised_at=None)) == [inactive]
    for kept in (new, edited, checked, submitted, working, waiting):
        kept.refresh_from_db()
        assert not kept.is_anonymised
    run_event = AuditEvent.objects.get(action=AuditAction.RETENTION_RUN)
    assert run_event.details == {"months": 24, "anonymised": 1, "left": 1}
    erased = AuditEvent.objects.get(action=AuditAction.CANDIDATE_ANONYMISED)
    assert (erased.candidate, erased.details) == (inactive, {"erasure_reason": "retention"})

    assert ": 0 anonymisés, 1 laissés" in run()  # idempotent


def test_the_retention_period_is_a_setting(prescriber_org, settings):
    settings.CANDIDATE_RETENTION_MONTHS = 48
    old_candidate(prescriber_org)
    assert ": 0 anonymisés" in run()
    assert ": 1 anonymisés" in run("--months", "12")


# --- Files listing people -------------------------------------------------------------------------


@pytest.fixture
def two_hired(hired, prescriber_org, company_org, facilitator):
    candidate, placement = hired
    other = CandidateFactory(prescriber=prescriber_org, last_name="Martin")
    validated_placement(candidate=other, position=placement.position, facilitator=facilitator)
    return candidate, other


@pytest.mark.parametrize("role", ["facilitator", "company", "prescriber"])
def test_placement_exports_name_people_for_the_facilitator_only(
    client_as, request, two_hired, role, django_assert_max_num_queries
):
    candidate, other = two_hired
    client = client_as(request.getfixturevalue(ROLE_USERS[role]))
    # session, user, memberships; placements with people, contracts, companies, jobs and hours; event written
    with django_assert_max_num_queries(6):
        response = client.get("/mises-a-l-emploi/export.xlsx")
    assert response.status_code == 200
    rows = xlsx_text(response.content)["Mises à l'emploi"]
    people = sorted(row[0] for row in rows[1:])
    hours = sorted(row[9] for row in rows[1:])
    assert hours == [0, 240]
    if role == "facilitator":
        assert people == sorted([candidate.full_name, other.full_name])
    else:
        assert people == sorted([pseudonym(candidate.pk), pseudonym(other.pk)])
        assert "Diallo" not in str(rows) and "Martin" not in str(rows)
    event = AuditEvent.objects.get(action=AuditAction.PLACEMENTS_EXPORTED)
    assert event.details == {"rows": 2, "pseudonymised": role != "facilitator"}


def test_a_pseudonym_is_stable_and_says_nothing():
    assert pseudonym(42) == pseudonym(42) != pseudonym(43)
    assert pseudonym(42).startswith("P-") and "42" not in pseudonym(42)[2:4]


@pytest.mark.parametrize("role", ["buyer", "facilitator", "company"])
def test_report_exports_hold_figures_not_people(client_as, request, hired, role):
    candidate, placement = hired
    client = client_as(request.getfixturevalue(ROLE_USERS[role]))
    urls = [f"/marches/{placement.position.contract_id}/avancement.xlsx"]
    if role != "company":
        urls += ["/marches/rapports/?export=xlsx&from=2024-01-01&to=2026-12-31"]
        urls += [f"/marches/rapports/?export=csv&table={t}" for t in ("personnes", "entreprises", "mois")]
    if role == "facilitator":
        urls.append("/marches/rapports/annuel/2024.xlsx")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode("utf-8-sig") if "csv" in url else str(xlsx_text(response.content))
        assert "Diallo" not in text and "Aïcha" not in text, url


# --- Consent ----------------------------------------------------------------------------------------


def test_the_api_refuses_a_candidate_without_consent(api_as, prescriber, candidate):
    payload = {
        "first_name": "Sans",
        "last_name": "Consentement",
        "birth_date": "1990-01-01",
        "sex": "m",
        "commune": candidate.commune_id,
        "situation": "job_seeker",
        "job_titles": [j.pk for j in candidate.job_titles.all()],
        "qualification_level": "3",
        "french_level": "3",
        "available_from": "2026-01-05",
    }
    client = api_as(prescriber)
    response = client.post("/api/v1/candidates/", payload, format="json")
    assert response.status_code == 400
    assert "consent_at" in response.json()
    response = client.post("/api/v1/candidates/", payload | {"consent_at": None}, format="json")
    assert response.status_code == 400
    assert client.patch(f"/api/v1/candidates/{candidate.pk}/", {"consent_at": None}, format="json").status_code == 400
    assert Candidate.objects.count() == 1 and Candidate.objects.get().has_consent
    assert not AuditEvent.objects.exists()
