"""The DECP import as an API operation (multipart), with the page's report."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from procurement.models import Contract
from tests.accounts.factories import OrganisationFactory

DATA = Path(__file__).resolve().parent.parent / "data" / "decp"
URL = "/api/v1/contracts/import-decp/"


def upload(name="clauses_sociales_paris.json"):
    return SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="application/json")


@pytest.fixture
def paris(db):
    return OrganisationFactory(buyer=True, siret="21750001600019", name="Ville de Paris")


@pytest.fixture
def aphp(db):
    return OrganisationFactory(buyer=True, siret="26750045200011", name="AP-HP")


def test_facilitator_imports_and_gets_the_page_report(api_as, facilitator, paris, aphp):
    response = api_as(facilitator).post(URL, {"file": upload()}, format="multipart")
    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["summary"] == (
        "3 marché(s) importé(s), 0 déjà importé(s), 1 sans considération sociale, 3 en erreur."
    )
    assert {row["reference"] for row in report["imported"]} == {"PARIS-2024-001", "PARIS-2024-002", "PARIS-2024-007"}
    assert all(row["id"] for row in report["imported"])
    assert report["without_social_consideration"] == 1
    rejected = {row["record"]: row["reasons"] for row in report["rejected"]}
    assert rejected["PARIS-2024-005"] == ["Montant nul ou négatif : le nombre d'heures ne peut pas être calculé."]
    assert Contract.objects.count() == 3
    again = api_as(facilitator).post(URL, {"file": upload()}, format="multipart").json()
    assert sorted(again["already_imported"]) == ["PARIS-2024-001", "PARIS-2024-002", "PARIS-2024-007"]


def test_dry_run_writes_nothing(api_as, facilitator, paris, aphp):
    report = api_as(facilitator).post(URL, {"file": upload(), "dry_run": "true"}, format="multipart").json()
    assert report["dry_run"] is True and len(report["imported"]) == 3
    assert [row["id"] for row in report["imported"]] == [None, None, None]
    assert not Contract.objects.exists()


def test_a_buyer_imports_only_its_own(api_as, paris, aphp):
    from tests.accounts.factories import member_of

    report = api_as(member_of(aphp)).post(URL, {"file": upload()}, format="multipart").json()
    assert [row["reference"] for row in report["imported"]] == ["PARIS-2024-007"]
    assert "Ce marché appartient à un autre donneur d'ordre (SIRET 21750001600019)." in report["rejected"][0]["reasons"]


def test_a_file_that_is_no_decp_is_refused_on_the_file_field(api_as, facilitator):
    bad = SimpleUploadedFile("marches.json", b"<marches/>", content_type="application/json")
    response = api_as(facilitator).post(URL, {"file": bad}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["Le fichier est au format XML : seul le format JSON des DECP est accepté."]}


@pytest.mark.parametrize("user", ["company_user", "prescriber", "siae_user"])
def test_other_roles_may_not_import(db, api_as, request, user):
    assert api_as(request.getfixturevalue(user)).post(URL, {"file": upload()}, format="multipart").status_code == 403
