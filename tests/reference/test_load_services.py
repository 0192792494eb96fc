"""The loader on tiny files written for the test (the real data is loaded in test_load_reference_data.py)."""

import csv
import shutil

import pytest
from django.conf import settings

from reference import services
from reference.models import Commune, JobTitle, Occupation, OccupationMobility, Skill, SkillKind

pytestmark = pytest.mark.django_db


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def data_dir(tmp_path):
    shutil.copy(settings.REFERENCE_DATA_DIR / services.DOMAINS_FILE, tmp_path)
    write(
        tmp_path / services.COMMUNES_FILE,
        ["code_insee", "nom", "slug", "departement", "codes_postaux", "longitude", "latitude"],
        [["75111", "Paris 11e", "paris-11e-75", "75", "75011", "2.3816", "48.8601"]],
    )
    write(
        tmp_path / services.OCCUPATIONS_FILE,
        ["code_rome", "libelle_rome"],
        [["F1703", "Maçon / Maçonne"], ["F1701", "Construction en béton"], ["F1608", "Pose de revêtements"]],
    )
    write(
        tmp_path / services.JOB_TITLES_FILE,
        ["code_ogr", "libelle_appellation_long", "libelle_appellation_court", "code_rome"],
        [["16250", "Maçon / Maçonne", "Maçon / Maçonne", "F1703"]],
    )
    write(
        tmp_path / services.COMPETENCES_FILE,
        ["code_ogr", "libelle_competence", "cat_comp", "sous_cat_comp"],
        [
            ["100001", "Monter des murs", "Savoir-faire", "Technique"],
            ["300490", "Faire preuve de rigueur et de précision", "Savoir-être professionnel", "Transverse"],
        ],
    )
    write(
        tmp_path / services.KNOWLEDGE_FILE,
        ["code_ogr_savoir", "libelle_savoir", "categorie_savoir"],
        [["100002", "Lecture de plans", "Techniques professionnelles"]],
    )
    write(
        tmp_path / services.TEXTS_FILE,
        ["code_rome", "code_compo_bloc", "libelle_type_texte", "position_phrase", "libelle_texte"],
        [
            ["F1703", "3", "definition", "2", "Réalise des ouvrages en béton."],
            ["F1703", "3", "definition", "1", "Construit des murs d''habitation."],
            ["F1703", "4", "acces_metier", "1", "Accessible avec un CAP."],
        ],
    )
    write(
        tmp_path / services.LINKS_FILE,
        ["code_rome", "code_compo_bloc", "code_rubrique", "code_ogr"],
        [["F1703", "5", "1", "100001"], ["F1703", "5", "2", "300490"], ["F1703", "5", "3", "100002"]],
    )
    write_mobilities(tmp_path, [["F1703", "F1701", "2"], ["F1703", "F1608", "1"], ["F1701", "F1703", "1"]])
    return tmp_path


def write_mobilities(data_dir, rows):
    write(data_dir / services.MOBILITY_FILE, ["code_rome", "code_rome_cible", "numero_ordre"], rows)


def close_to(code_rome):
    return [(m.target_id, m.rank) for m in OccupationMobility.objects.from_occupation(code_rome)]


def test_loads_tiny_files(data_dir):
    report = services.load_reference_data(data_dir=data_dir)

    assert report["Liens métier → compétence"].created == 3
    mason = Occupation.objects.get(code_rome="F1703")
    # Sentences in their position order, the ROME's '' turned back into an apostrophe.
    assert mason.definition == "Construit des murs d'habitation.\nRéalise des ouvrages en béton."
    assert mason.access == "Accessible avec un CAP."
    assert dict(mason.skills.values_list("code_ogr", "kind")) == {
        100001: SkillKind.KNOW_HOW,
        300490: SkillKind.SOFT_SKILL,
        100002: SkillKind.KNOWLEDGE,
    }
    assert Skill.objects.get(code_ogr=100002).category == "Techniques professionnelles"
    assert JobTitle.objects.get(code_ogr=16250).search_text == "macon maconne"
    assert Commune.objects.get(code_insee="75111").search_text == "paris 11e 75011"


def test_a_code_both_competence_and_savoir_stops_everything(data_dir):
    write(
        data_dir / services.KNOWLEDGE_FILE,
        ["code_ogr_savoir", "libelle_savoir", "categorie_savoir"],
        [["100001", "Lecture de plans", "Techniques professionnelles"]],
    )

    with pytest.raises(services.ReferenceDataError, match="100001"):
        services.load_reference_data(data_dir=data_dir)

    # One transaction: what was loaded before the error is rolled back.
    assert not Commune.objects.exists()
    assert not Occupation.objects.exists()


def test_dry_run_counts_but_writes_nothing(data_dir):
    report = services.load_reference_data(data_dir=data_dir, dry_run=True)

    assert report.dry_run
    assert report["Appellations ROME"].created == 1
    assert not JobTitle.objects.exists()


def test_close_occupations_keep_france_travails_order(data_dir):
    report = services.load_reference_data(data_dir=data_dir)

    assert report["Métiers proches selon France Travail"].created == 3
    assert close_to("F1703") == [("F1608", 1), ("F1701", 2)]
    assert close_to("F1701") == [("F1703", 1)]
    assert close_to("F1608") == []


def test_close_occupations_follow_a_new_file_and_a_second_run_writes_nothing(data_dir):
    services.load_reference_data(data_dir=data_dir)
    # France Travail swaps two targets and drops an edge.
    write_mobilities(data_dir, [["F1703", "F1701", "1"], ["F1703", "F1608", "2"]])

    report = services.load_reference_data(data_dir=data_dir)

    counts = report["Métiers proches selon France Travail"]
    assert (counts.created, counts.updated, counts.unchanged, counts.removed) == (0, 2, 0, 1)
    assert close_to("F1703") == [("F1701", 1), ("F1608", 2)]
    assert close_to("F1701") == []
    counts = services.load_reference_data(data_dir=data_dir)["Métiers proches selon France Travail"]
    assert (counts.created, counts.updated, counts.unchanged, counts.removed) == (0, 0, 2, 0)
