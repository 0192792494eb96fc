import pytest

from reference.models import Commune, JobTitle
from reference.text import normalize_search_text
from tests.reference.factories import (
    CommuneFactory,
    JobTitleFactory,
    OccupationFactory,
    paris_arrondissement,
    real_commune,
)

pytestmark = pytest.mark.django_db


def labels(queryset):
    return [job_title.label for job_title in queryset]


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("Maçon / Maçonne", "macon maconne"),
        ("  AIDE-MAÇON  ", "aide macon"),
        ("Chef d'œuvre", "chef d oeuvre"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("", ""),
    ],
)
def test_normalize_search_text(text, normalized):
    assert normalize_search_text(text) == normalized


@pytest.fixture
def masonry():
    occupation = OccupationFactory(code_rome="F1703", label="Maçonnerie")
    return [
        JobTitleFactory(label="Maçon / Maçonne du paysage", occupation=occupation),
        JobTitleFactory(label="Chef maçon / Cheffe maçonne", occupation=occupation),
        JobTitleFactory(label="Maçon / Maçonne", occupation=occupation),
        JobTitleFactory(label="Aide-maçon / Aide-maçonne", occupation=occupation),
        JobTitleFactory(label="Plombier / Plombière"),
    ]


@pytest.mark.parametrize("query", ["macon", "MACON", "Maçon", "  maçon "])
def test_job_title_search_ignores_accents_and_case_and_ranks_prefixes_first(masonry, query):
    assert labels(JobTitle.objects.search(query)) == [
        # The label starts with the query: shortest first.
        "Maçon / Maçonne",
        "Maçon / Maçonne du paysage",
        # A later word starts with it, shortest first.
        "Aide-maçon / Aide-maçonne",
        "Chef maçon / Cheffe maçonne",
    ]


def test_job_title_search_needs_every_word(masonry):
    assert labels(JobTitle.objects.search("macon paysage")) == ["Maçon / Maçonne du paysage"]
    assert labels(JobTitle.objects.search("aide macon")) == ["Aide-maçon / Aide-maçonne"]
    # Words must start a word of the label: "aco" is inside "maçon", not at its start (and too short to be
    # taken for a typo; "acon", one letter from "macon", would be).
    assert labels(JobTitle.objects.search("aco")) == []


def test_job_title_search_by_code(masonry):
    mason = masonry[2]
    assert labels(JobTitle.objects.search(str(mason.code_ogr))) == ["Maçon / Maçonne"]
    assert len(JobTitle.objects.search("f1703")) == 4


def test_job_title_search_of_nothing_finds_nothing(masonry):
    assert labels(JobTitle.objects.search("  ")) == []
    assert labels(JobTitle.objects.search("/")) == []


def test_job_title_search_can_be_limited(masonry):
    assert len(JobTitle.objects.search("macon")[:2]) == 2


def test_job_title_matching_reads_a_code_or_an_exact_label(masonry):
    mason = masonry[2]
    assert JobTitle.objects.matching(str(mason.code_ogr)) == [mason]
    assert JobTitle.objects.matching("macon / MACONNE") == [mason]
    assert JobTitle.objects.matching("macon") == []


@pytest.fixture
def paris():
    return [real_commune("75056")] + [paris_arrondissement(n) for n in (1, 11, 16, 20)]


def test_paris_arrondissement_is_the_real_one():
    commune = paris_arrondissement(11)
    assert (commune.code_insee, commune.name, commune.postcodes) == ("75111", "Paris 11e", "75011")
    assert (commune.latitude, commune.longitude) == (48.8601, 2.3816)
    assert commune.search_text == "paris 11e 75011"
    assert paris_arrondissement(11) == commune
    with pytest.raises(ValueError):
        paris_arrondissement(21)


@pytest.mark.parametrize("query", ["paris 11", "Paris 11e", "PARIS 11E", "75011", "75111"])
def test_commune_search_finds_an_arrondissement_first(paris, query):
    assert Commune.objects.search(query).first().code_insee == "75111"


def test_commune_search_lists_paris_then_its_arrondissements(paris):
    assert list(Commune.objects.search("paris").values_list("code_insee", flat=True)) == [
        "75056",
        "75101",
        "75111",
        "75116",
        "75120",
    ]


def test_a_second_postcode_finds_its_arrondissement(paris):
    assert list(Commune.objects.search("75116").values_list("code_insee", flat=True)) == ["75116", "75056"]


def test_commune_search_ignores_accents_and_punctuation():
    commune = CommuneFactory(ile_de_france=True, name="L'Haÿ-les-Roses", postcodes="94240")
    CommuneFactory(ile_de_france=True, name="Rosny-sous-Bois", postcodes="93110")
    assert list(Commune.objects.search("l'hay les roses")) == [commune]
    assert list(Commune.objects.search("HAY")) == [commune]
    assert list(Commune.objects.search("94240")) == [commune]


def test_commune_matching_reads_a_code_a_display_or_a_postcode(paris):
    paris_11 = paris[2]
    assert Commune.objects.matching("75111") == [paris_11]
    assert Commune.objects.matching("Paris 11e (75011)") == [paris_11]
    assert Commune.objects.matching("paris 11E") == [paris_11]
    # Paris itself has every postcode; the arrondissement whose only postcode it is wins.
    assert Commune.objects.matching("75011") == [paris_11]
    assert Commune.objects.matching("Paris 12e") == []


def test_homonyms_need_their_postcode():
    first = CommuneFactory(ile_de_france=True, name="Blandy", postcodes="77115")
    second = CommuneFactory(ile_de_france=True, name="Blandy", postcodes="91150")
    assert set(Commune.objects.matching("Blandy")) == {first, second}
    assert Commune.objects.matching("Blandy (91150)") == [second]


@pytest.fixture
def trades():
    return [
        JobTitleFactory(label="Cuisinier / Cuisinière"),
        JobTitleFactory(label="Plombier / Plombière"),
        JobTitleFactory(label="Jardinier / Jardinière paysagiste"),
        JobTitleFactory(label="Aide plombier / Aide plombière"),
        JobTitleFactory(label="Plongeur / Plongeuse en restauration"),
    ]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("cuisinnier", "Cuisinier / Cuisinière"),  # a letter too many
        ("plonbier", "Plombier / Plombière"),  # a letter replaced
        ("jardinnier", "Jardinier / Jardinière paysagiste"),
        ("plmobier", "Plombier / Plombière"),  # two letters swapped
        ("CUISINIE", "Cuisinier / Cuisinière"),  # still typing, in capitals
        ("aide plonbier", "Aide plombier / Aide plombière"),  # one word of two
    ],
)
def test_job_title_search_tolerates_typos(trades, query, first):
    assert labels(JobTitle.objects.search(query))[0] == first


def test_a_typo_finds_the_closest_words_only(trades):
    # "plonbier" is one edit from "plombier" and two from "plongeur": only the closest counts.
    assert labels(JobTitle.objects.search("plonbier")) == ["Plombier / Plombière", "Aide plombier / Aide plombière"]


def test_a_word_that_starts_a_label_word_is_not_corrected(trades):
    # "plon" starts "plongeur": it is not taken for a typo of "plom".
    assert labels(JobTitle.objects.search("plon")) == ["Plongeur / Plongeuse en restauration"]


def test_short_or_far_words_are_not_guessed(trades):
    # Under four letters, one edit reaches too many words; three edits from anything is not a typo.
    assert labels(JobTitle.objects.search("plx")) == []
    assert labels(JobTitle.objects.search("cuizzznier")) == []


def test_job_titles_added_later_are_found_through_their_typos(trades):
    assert labels(JobTitle.objects.search("boulangrr")) == []
    JobTitleFactory(label="Boulanger / Boulangère")
    assert labels(JobTitle.objects.search("boulangrr")) == ["Boulanger / Boulangère"]
