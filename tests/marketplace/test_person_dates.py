"""A person's birth and consent dates are ones a person could have, whichever way they come in (API, page,
import): of working age (16 to 99), consent under the GDPR and never in the future. Each refusal beside the
accepted boundary."""

import datetime

import pytest
from django.utils import timezone

from marketplace.models import Candidate
from tests.marketplace.test_import import csv_upload, row

pytestmark = pytest.mark.django_db


def years_ago(years, *, days=0):
    today = timezone.localdate()
    return today.replace(year=today.year - years) + datetime.timedelta(days=days)


def payload(candidate, **changes):
    return {
        "first_name": "Awa",
        "last_name": "Diallo",
        "birth_date": "1990-01-01",
        "sex": "f",
        "commune": candidate.commune_id,
        "situation": "job_seeker",
        "job_titles": [j.pk for j in candidate.job_titles.all()],
        "qualification_level": "3",
        "french_level": "3",
        "available_from": "2026-01-05",
        "consent_at": timezone.now().isoformat(),
    } | changes


def test_the_api_refuses_a_person_too_young_or_born_in_773_and_takes_one_of_16(api_as, prescriber, candidate):
    client = api_as(prescriber)
    before = Candidate.objects.count()

    for born in (datetime.date(773, 2, 9), years_ago(16, days=1)):
        response = client.post("/api/v1/candidates/", payload(candidate, birth_date=born.isoformat()), format="json")
        assert response.status_code == 400, response.content
        assert response.json()["birth_date"][0].startswith("Date de naissance peu plausible")
    assert Candidate.objects.count() == before

    response = client.post(
        "/api/v1/candidates/", payload(candidate, birth_date=years_ago(16).isoformat()), format="json"
    )
    assert response.status_code == 201, response.content


def test_the_api_refuses_a_consent_before_the_gdpr_or_to_come_and_takes_one_of_the_day_it_came_in(
    api_as, prescriber, candidate
):
    client = api_as(prescriber)
    url = f"/api/v1/candidates/{candidate.pk}/"
    before = candidate.consent_at

    for consent, message in (
        ("0773-02-08T08:37:26+01:00", "précède le RGPD (25/05/2018)"),
        ((timezone.now() + datetime.timedelta(days=2)).isoformat(), "est dans le futur"),
    ):
        response = client.patch(url, {"consent_at": consent}, format="json")
        assert response.status_code == 400, response.content
        assert message in response.json()["consent_at"][0]
    candidate.refresh_from_db()
    assert candidate.consent_at == before

    gdpr_day = timezone.make_aware(datetime.datetime(2018, 5, 25, 10, 0))
    assert client.patch(url, {"consent_at": gdpr_day.isoformat()}, format="json").status_code == 200
    candidate.refresh_from_db()
    assert candidate.consent_at == gdpr_day


def test_the_import_reports_each_impossible_date_and_writes_nothing(client_as, prescriber, job_title):
    rows = [
        row(job_title, date_naissance="09/02/0773"),
        row(job_title, nom="Martin", date_consentement="31/12/2017"),
    ]
    before = Candidate.objects.count()

    response = client_as(prescriber).post("/candidats/importer/", {"file": csv_upload(rows)}, follow=True)

    page = response.content.decode()
    assert "Ligne 2" in page and "date de naissance peu plausible (09/02/773)" in page
    assert "Ligne 3" in page and "précède le RGPD" in page
    assert Candidate.objects.count() == before
    # The same rows with possible dates are imported.
    rows = [row(job_title, date_naissance="09/02/1990"), row(job_title, nom="Martin", date_consentement="25/05/2018")]
    response = client_as(prescriber).post("/candidats/importer/", {"file": csv_upload(rows)}, follow=True)
    assert "2 candidats importés." in response.content.decode()
    assert Candidate.objects.count() == before + 2
