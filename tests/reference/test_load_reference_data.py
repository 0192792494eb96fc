"""The only module that loads the real shipped data (a few seconds): once for the module, then each
test works inside its own transaction on top of it. Every other test uses tests/reference/factories.py."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from reference.models import Commune, JobTitle, Occupation, OccupationDomain, OccupationMobility, Skill, SkillKind

OccupationSkill = Occupation.skills.through

# What reference/data/ holds (see its README).
EXPECTED_COUNTS = {
    Commune: 1288,
    OccupationDomain: 14,
    Occupation: 1584,
    JobTitle: 13120,
    Skill: 18317 + 15354,
    OccupationSkill: 90556,
    OccupationMobility: 14912,
}


def counts():
    return {model: model.objects.count() for model in EXPECTED_COUNTS}


def load(*args):
    out = StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return out.getvalue()


def _delete_reference_data():
    # Plain DELETEs, children first: Django's delete() would collect ~120,000 rows for its cascades.
    # Nothing else points to these rows between modules (each test rolls back its own).
    with connection.cursor() as cursor:
        for model in (OccupationMobility, OccupationSkill, JobTitle, Occupation, OccupationDomain, Skill, Commune):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


@pytest.fixture(scope="module")
def first_load(django_db_setup, django_db_blocker):
    """Loads the real data once, committed, for this module; removes it afterwards so that the
    other modules start from empty reference tables."""
    with django_db_blocker.unblock():
        _delete_reference_data()
        output = load()
        yield output
        _delete_reference_data()


@pytest.fixture
def loaded(first_load, db):
    return first_load


def test_first_load_creates_everything(loaded):
    assert counts() == EXPECTED_COUNTS
    assert "Appellations ROME : 13120 dans les fichiers, 13120 créés, 0 modifiés, 0 inchangés" in loaded
    assert "Liens métier → compétence : 90556 dans les fichiers, 90556 créés" in loaded
    assert "Métiers proches selon France Travail : 14912 dans les fichiers, 14912 créés" in loaded


def test_second_load_changes_nothing(loaded):
    output = load()

    assert counts() == EXPECTED_COUNTS
    assert "Appellations ROME : 13120 dans les fichiers, 0 créés, 0 modifiés, 13120 inchangés" in output
    assert "Communes : 1288 dans les fichiers, 0 créés, 0 modifiés, 1288 inchangés" in output
    assert "Liens métier → compétence : 90556 dans les fichiers, 0 créés, 0 modifiés, 90556 inchangés" in output
    assert (
        "Métiers proches selon France Travail : 14912 dans les fichiers, 0 créés, 0 modifiés, 14912 inchangés" in output
    )


def test_known_rows(loaded):
    mason = Occupation.objects.select_related("domain").get(code_rome="F1703")
    assert mason.domain.label == "Construction, bâtiment et travaux publics"
    assert mason.professional_domain_code == "F17"
    assert mason.job_titles.filter(label="Maçon / Maçonne").exists()
    assert mason.definition and mason.access
    kinds = set(mason.skills.values_list("kind", flat=True))
    assert kinds == {SkillKind.KNOW_HOW, SkillKind.SOFT_SKILL, SkillKind.KNOWLEDGE}

    paris_11 = Commune.objects.get(code_insee="75111")
    assert (paris_11.name, paris_11.postcodes, paris_11.department) == ("Paris 11e", "75011", "75")
    assert Commune.objects.paris_arrondissements().count() == 20
    assert Commune.objects.filter(code_insee="75056", name="Paris").exists()
    assert set(Commune.objects.values_list("department", flat=True).distinct()) == {
        "75",
        "77",
        "78",
        "91",
        "92",
        "93",
        "94",
        "95",
    }
    assert list(OccupationDomain.objects.values_list("code", flat=True)) == list("ABCDEFGHIJKLMN")
    # Masonry's close occupations as France Travail lists them, in its order.
    assert [m.target_id for m in OccupationMobility.objects.from_occupation("F1703")] == [
        "F1608", "F1701", "F1613", "F1707", "F1610", "F1708", "F1502", "F1301", "A1203", "I1203",
    ]  # fmt: skip


def test_rome_apostrophes_are_unescaped(loaded):
    assert not Occupation.objects.filter(definition__contains="''").exists()
    assert Occupation.objects.filter(definition__contains="l'entretien").exists()


def test_a_changed_label_is_updated_and_a_stale_link_removed(loaded):
    JobTitle.objects.filter(code_ogr=16250).update(label="Ancien libellé", search_text="ancien libelle")
    mason_occupation = Occupation.objects.get(code_rome="F1703")
    # A plain NOT IN on the key: PostgreSQL's anti-join over freshly loaded, unanalysed tables can take minutes.
    mason_skills = list(mason_occupation.skills.values_list("pk", flat=True))
    stale_skill = Skill.objects.exclude(pk__in=mason_skills).order_by("pk").first()
    mason_occupation.skills.add(stale_skill)

    output = load()

    assert "Appellations ROME : 13120 dans les fichiers, 0 créés, 1 modifiés, 13119 inchangés" in output
    assert "90556 inchangés, 1 supprimés" in output
    mason = JobTitle.objects.get(code_ogr=16250)
    assert (mason.label, mason.search_text) == ("Maçon / Maçonne", "macon maconne")
    assert counts() == EXPECTED_COUNTS


def test_rows_gone_from_the_files_are_kept_and_counted(loaded):
    JobTitle.objects.create(code_ogr=9_999_999, label="Métier disparu", short_label="Disparu", occupation_id="F1703")

    output = load()

    assert "Appellations ROME : 13120 dans les fichiers, 0 créés, 0 modifiés, 13120 inchangés, 1 absents" in output
    assert JobTitle.objects.filter(code_ogr=9_999_999).exists()


def test_dry_run_reports_without_writing(loaded):
    Commune.objects.filter(code_insee="75111").update(name="Onzième")

    output = load("--dry-run")

    assert "Communes : 1288 dans les fichiers, 0 créés, 1 modifiés, 1287 inchangés" in output
    assert "rien n'a été écrit" in output
    assert Commune.objects.get(code_insee="75111").name == "Onzième"


def test_search_on_the_real_data(loaded):
    for query in ["macon", "MACON", "maçon", "Maçon"]:
        assert JobTitle.objects.search(query).first().label == "Maçon / Maçonne", query
    assert JobTitle.objects.search("aide macon").first().label.startswith("Aide-maçon")
    assert JobTitle.objects.search("16250").first().code_ogr == 16250
    assert set(JobTitle.objects.search("F1703").values_list("occupation_id", flat=True)) == {"F1703"}
    # The typos people make, on the 13,120 real job titles.
    assert JobTitle.objects.search("cuisinnier").first().label == "Cuisinier / Cuisinière"
    assert JobTitle.objects.search("plonbier").first().label == "Plombier / Plombière"
    assert JobTitle.objects.search("jardinnier").first().label == "Jardinier / Jardinière"

    assert Commune.objects.search("paris 11").first().code_insee == "75111"
    assert Commune.objects.search("75011").first().code_insee == "75111"
    assert Commune.objects.search("75111").first().code_insee == "75111"
    assert Commune.objects.search("lhay les roses").exists() is False
    assert Commune.objects.search("l'hay-les-roses").first().name == "L'Haÿ-les-Roses"
    assert Commune.objects.search("saint denis").filter(code_insee="93066").exists()
