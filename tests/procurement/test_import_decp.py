from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from procurement.enums import ContractState, Sector
from procurement.models import Contract
from tests.accounts.factories import OrganisationFactory

DATA = Path(__file__).resolve().parent.parent / "data" / "decp"


@pytest.fixture
def paris(db):
    return OrganisationFactory(buyer=True, siret="21750001600019", name="Ville de Paris")


@pytest.fixture
def aphp(db):
    return OrganisationFactory(buyer=True, siret="26750045200011", name="AP-HP")


def test_command_imports_social_records_and_lists_bad_ones(paris, aphp, capsys):
    call_command("import_decp", str(DATA / "clauses_sociales_paris.json"))
    out, err = capsys.readouterr()
    assert "3 marché(s) importé(s), 0 déjà importé(s), 1 sans considération sociale, 3 en erreur." in out
    assert "PARIS-2024-004 : SIRET du titulaire invalide : « 4781914061 »" in err
    assert "PARIS-2024-005 : Montant nul ou négatif" in err
    assert "PARIS-2024-006 : Champ obligatoire manquant : objet (objet). Champ obligatoire manquant : date" in err
    first = Contract.objects.get(decp_id="PARIS-2024-001")
    assert (first.buyer, first.state, first.sector, first.clause_hours) == (
        paris,
        ContractState.DRAFT,
        Sector.BUILDING,
        833,
    )
    assert str(first.ends_on) == "2026-03-01"
    assert Contract.objects.get(decp_id="PARIS-2024-007").buyer == aphp


def test_second_import_creates_nothing(paris, aphp, capsys):
    call_command("import_decp", str(DATA / "clauses_sociales_paris.json"))
    call_command("import_decp", str(DATA / "clauses_sociales_paris.json"))
    assert "0 marché(s) importé(s), 3 déjà importé(s)" in capsys.readouterr().out
    assert Contract.objects.count() == 3


def test_flat_shape_and_dry_run(paris, capsys):
    call_command("import_decp", str(DATA / "clauses_sociales_plat.json"), "--dry-run")
    assert "[simulation] 1 marché(s) importé(s)" in capsys.readouterr().out
    assert not Contract.objects.exists()
    call_command("import_decp", str(DATA / "clauses_sociales_plat.json"))
    assert Contract.objects.get().decp_id == "PARIS-2024-101"


@pytest.mark.parametrize(
    ("name", "without_social"),
    [("reel_gip_maximilien_decp_2024-10-06.json", 17), ("reel_gip_maximilien_decp_2024-02-29.json", 1)],
)
def test_real_feeds_without_social_clause_create_nothing(name, without_social, capsys, db):
    call_command("import_decp", str(DATA / name))
    assert f"0 marché(s) importé(s), 0 déjà importé(s), {without_social} sans considération sociale" in (
        capsys.readouterr().out
    )


def test_official_example_reports_invalid_buyer_siret_and_unknown_buyer(db, capsys):
    call_command("import_decp", str(DATA / "exemple_officiel_fictif_marches_concessions.json"))
    err = capsys.readouterr().err
    assert "TEST2022 : SIRET de l'acheteur invalide : « 21750001630066 »" in err
    assert "TEST2022Bis : Aucun donneur d'ordre inscrit n'a le SIRET 21750001630040." in err


def test_buyer_uploads_and_gets_only_its_own_records(client_as, paris, aphp):
    from tests.accounts.factories import member_of

    client = client_as(member_of(paris))
    with (DATA / "clauses_sociales_paris.json").open("rb") as file:
        response = client.post(reverse("procurement:decp_import"), {"file": file})
    page = response.content.decode()
    assert "2 marché(s) importé(s)" in page
    assert "Ce marché appartient à un autre donneur d&#x27;ordre (SIRET 26750045200011)." in page
    assert set(Contract.objects.values_list("buyer", flat=True)) == {paris.pk}


def test_not_json_is_refused(client_as, buyer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_as(buyer).post(
        reverse("procurement:decp_import"), {"file": SimpleUploadedFile("x.json", b"{not json")}
    )
    assert "Le fichier n&#x27;est pas un JSON valide" in response.content.decode()
    assert not Contract.objects.exists()


@pytest.mark.parametrize("user", ["company_user", "prescriber", "siae_user"])
def test_only_buyers_and_facilitator_import(client_as, request, user):
    assert client_as(request.getfixturevalue(user)).get(reverse("procurement:decp_import")).status_code == 403
