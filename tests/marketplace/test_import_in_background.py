"""Large candidate imports run in the task queue (``db_worker``): the page shows where the import stands and asks
again until it is done; the API answers 202 with the job, whose address gives the result."""

import pytest

from audit.enums import Channel
from audit.models import AuditEvent
from marketplace.models import Candidate, CandidateImport
from tests.marketplace.test_import import csv_upload, row
from tests.queue import run_queued_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_file_is_large(settings):
    settings.IMPORT_BACKGROUND_BYTES = 0


def run_worker():
    assert run_queued_jobs() == 1


def test_the_page_shows_the_import_running_then_its_result(client_as, prescriber, prescriber_org, job_title):
    client = client_as(prescriber)
    upload = csv_upload([row(job_title), row(job_title, nom="Autre", commune="75119")])

    response = client.post("/candidats/importer/", {"file": upload}, REMOTE_ADDR="192.0.2.10", follow=True)

    job = CandidateImport.objects.get()
    assert response.redirect_chain == [(f"/candidats/importer/{job.pk}/", 302)]
    html = response.content.decode()
    assert "Import en cours" in html and f'hx-get="/candidats/importer/{job.pk}/"' in html
    assert not Candidate.objects.exists()

    run_worker()
    fragment = client.get(f"/candidats/importer/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()

    assert "2 candidats importés" in fragment and "hx-get" not in fragment and "<html" not in fragment
    assert Candidate.objects.filter(prescriber=prescriber_org).count() == 2
    job.refresh_from_db()
    assert bytes(job.content) == b""  # the file, with its personal data, does not outlive the import
    events = AuditEvent.objects.filter(action="candidate_imported")
    assert {(e.channel, e.ip_address, e.actor_id) for e in events} == {(Channel.WEB, "192.0.2.10", prescriber.pk)}


def test_a_refused_file_shows_every_bad_line_and_imports_nothing(client_as, prescriber, job_title):
    client = client_as(prescriber)
    upload = csv_upload([row(job_title), row(job_title, sexe="X")])
    client.post("/candidats/importer/", {"file": upload})
    job = CandidateImport.objects.get()

    run_worker()

    html = client.get(f"/candidats/importer/{job.pk}/").content.decode()
    assert "Import refusé : 1 erreur" in html and "Ligne 3 : sexe « X » invalide (F ou H)." in html
    assert not Candidate.objects.exists()


def test_the_api_answers_202_with_the_job_then_its_result(api_as, prescriber, job_title):
    client = api_as(prescriber)

    response = client.post("/api/v1/candidates/import/", {"file": csv_upload([row(job_title)])}, format="multipart")

    assert response.status_code == 202
    job = response.json()
    assert job["state"] == "queued" and job["created"] is None
    assert response["Location"] == job["url"] == f"http://testserver/api/v1/candidate-imports/{job['id']}/"
    assert client.get(job["url"]).json()["state"] == "queued"

    run_worker()

    done = client.get(job["url"]).json()
    assert (done["state"], done["created"], done["errors"]) == ("done", 1, [])


def test_an_import_is_its_prescribers_own(client_as, api_as, prescriber, other_prescriber, job_title):
    client_as(prescriber).post("/candidats/importer/", {"file": csv_upload([row(job_title)])})
    job = CandidateImport.objects.get()

    assert client_as(other_prescriber).get(f"/candidats/importer/{job.pk}/").status_code == 404
    assert api_as(other_prescriber).get(f"/api/v1/candidate-imports/{job.pk}/").status_code == 404


def test_a_small_file_is_still_imported_at_once(client_as, prescriber, job_title, settings):
    settings.IMPORT_BACKGROUND_BYTES = 1024 * 1024
    response = client_as(prescriber).post("/candidats/importer/", {"file": csv_upload([row(job_title)])}, follow=True)
    assert "1 candidat importé." in response.content.decode()
    assert not CandidateImport.objects.exists()
