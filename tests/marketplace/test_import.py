import io

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.imports import COLUMNS
from marketplace.models import Candidate

pytestmark = pytest.mark.django_db


def row(job_title, **overrides):
    values = {
        "nom": "Exemple",
        "prenom": "Camille",
        "date_naissance": "15/03/1998",
        "sexe": "F",
        "commune": "75019",
        "date_consentement": "02/01/2026",
        "situation": "job_seeker",
        "appellations": str(job_title.pk),
        "niveau_qualification": "3",
        "niveau_francais": "B1",
        "email": "camille@example.test",
        "criteres_niveau2": "low_qualification|qpv_zrr",
        "permis": "non",
    }
    return dict.fromkeys(COLUMNS, "") | values | overrides


def csv_upload(rows, name="vivier.csv"):
    content = pd.DataFrame(rows).to_csv(sep=";", index=False).encode()
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_a_good_csv_is_imported_with_skills_prefilled(client_as, prescriber, prescriber_org, job_title):
    upload = csv_upload([row(job_title), row(job_title, nom="Autre", commune="75119")])
    response = client_as(prescriber).post("/candidats/importer/", {"file": upload}, follow=True)
    assert "2 candidats importés." in response.content.decode()
    candidates = Candidate.objects.filter(prescriber=prescriber_org)
    assert candidates.count() == 2
    first = candidates.get(last_name="Exemple")
    assert first.has_consent and first.level2_criteria == ["low_qualification", "qpv_zrr"]
    assert set(first.skills.all()) == set(job_title.occupation.skills.all())


def test_bad_rows_are_all_reported_and_nothing_is_imported(client_as, prescriber, job_title):
    rows = [
        row(job_title),
        row(job_title, date_naissance="31/02/1990", sexe="X"),
        row(job_title),
        row(job_title, commune="99999", appellations="123", date_consentement=""),
    ]
    response = client_as(prescriber).post("/candidats/importer/", {"file": csv_upload(rows)})
    page = response.content.decode()
    assert "Import refusé : 2 erreurs" in page
    assert (
        "Ligne 3 : date de naissance « 31/02/1990 » invalide (attendu JJ/MM/AAAA) ; sexe « X » invalide (F ou H)."
        in page
    )
    assert "Ligne 5 : « date_consentement » est obligatoire ; commune « 99999 » inconnue" in page
    assert "appellation ROME « 123 » inconnue" in page
    assert not Candidate.objects.exists()


def test_xlsx_through_the_api(api_as, prescriber, job_title):
    buffer = io.BytesIO()
    pd.DataFrame([row(job_title)]).to_excel(buffer, index=False)
    upload = SimpleUploadedFile("vivier.xlsx", buffer.getvalue())
    response = api_as(prescriber).post("/api/v1/candidates/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 1}


def test_api_reports_bad_rows(api_as, prescriber, job_title):
    upload = csv_upload([row(job_title, niveau_francais="Z9")])
    response = api_as(prescriber).post("/api/v1/candidates/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"rows": ["Ligne 2 : niveau de français « Z9 » inconnu (<A1, A1 à C2)."]}
    assert not Candidate.objects.exists()


def test_missing_columns_and_wrong_format(api_as, prescriber):
    upload = SimpleUploadedFile("vivier.csv", b"nom;prenom\nA;B\n")
    response = api_as(prescriber).post("/api/v1/candidates/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["rows"][0].startswith("Colonne(s) manquante(s) : date_naissance")
    upload = SimpleUploadedFile("vivier.pdf", b"%PDF")
    response = api_as(prescriber).post("/api/v1/candidates/import/", {"file": upload}, format="multipart")
    assert response.json() == {"rows": ["Le fichier doit être au format CSV ou XLSX."]}


def test_only_prescribers_import(api_as, client_as, company_user, facilitator):
    assert client_as(company_user).get("/candidats/importer/").status_code == 403
    upload = SimpleUploadedFile("vivier.csv", b"nom\n")
    assert (
        api_as(facilitator).post("/api/v1/candidates/import/", {"file": upload}, format="multipart").status_code == 403
    )


def test_wished_contract_types_and_hours_are_imported_or_reported(client_as, prescriber, job_title):
    client = client_as(prescriber)
    bad = [row(job_title, contrats_souhaites="cdi|stage", heures_souhaitees="60")]
    page = client.post("/candidats/importer/", {"file": csv_upload(bad)}).content.decode()
    assert "type(s) de contrat souhaité(s) inconnu(s) : stage" in page
    assert "heures souhaitées « 60 » invalides" in page
    assert not Candidate.objects.exists()

    good = [row(job_title, contrats_souhaites="cdi|cddi", heures_souhaitees="24")]
    client.post("/candidats/importer/", {"file": csv_upload(good)})
    candidate = Candidate.objects.get()
    assert candidate.wanted_contract_types == ["cdi", "cddi"] and candidate.wanted_weekly_hours == 24
