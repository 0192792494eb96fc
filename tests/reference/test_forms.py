"""The reusable fields of reference/forms.py, through a tiny form as other apps use them."""

import pytest
from django import forms
from django.http import QueryDict
from dsfr.forms import DsfrBaseForm

from reference.forms import CommuneField, JobTitleField, MultipleJobTitleField
from tests.reference.factories import CommuneFactory, JobTitleFactory, OccupationFactory, paris_arrondissement

pytestmark = pytest.mark.django_db


class TinyForm(DsfrBaseForm):
    job_title = JobTitleField(label="Métier")
    commune = CommuneField(label="Lieu de travail", required=False)
    job_titles = MultipleJobTitleField(label="Métiers recherchés", required=False)


def post(**data):
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return TinyForm(query)


@pytest.fixture
def mason():
    return JobTitleFactory(label="Maçon / Maçonne", occupation=OccupationFactory(code_rome="F1703"))


@pytest.fixture
def plumber():
    return JobTitleFactory(label="Plombier / Plombière")


def test_primary_keys_are_what_scripts_and_tests_post(mason, plumber):
    paris_11 = paris_arrondissement(11)
    form = post(job_title=str(mason.pk), commune="75111", job_titles=[str(mason.pk), str(plumber.pk)])

    assert form.is_valid(), form.errors
    assert form.cleaned_data["job_title"] == mason
    assert form.cleaned_data["commune"] == paris_11
    assert set(form.cleaned_data["job_titles"]) == {mason, plumber}


def test_the_picked_primary_key_wins_over_the_text(mason, plumber):
    form = post(job_title=str(mason.pk), job_title_search="Plombier / Plombière")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["job_title"] == mason


@pytest.mark.parametrize("typed", ["Maçon / Maçonne", "  macon / MACONNE ", "{code}"])
def test_without_javascript_a_typed_label_or_code_is_resolved(mason, typed):
    form = post(job_title="", job_title_search=typed.format(code=mason.pk))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["job_title"] == mason


def test_without_javascript_a_displayed_commune_is_resolved():
    paris_11 = paris_arrondissement(11)
    for typed in ["Paris 11e (75011)", "75011", "paris 11e", "75111"]:
        form = post(job_title_search="", commune_search=typed)
        form.is_valid()
        assert form.cleaned_data["commune"] == paris_11, typed


def test_an_unknown_text_is_an_error(mason):
    form = post(job_title_search="Astronaute")
    assert not form.is_valid()
    assert form.errors["job_title"] == [
        "« Astronaute » ne correspond à aucun métier. Choisissez dans la liste des suggestions."
    ]


def test_an_ambiguous_label_asks_for_the_code():
    first = JobTitleFactory(label="Chef / Cheffe de publicité")
    second = JobTitleFactory(label="Chef / Cheffe de publicité")

    form = post(job_title_search="chef / cheffe de publicite")

    assert not form.is_valid()
    [error] = form.errors["job_title"]
    assert "correspond à plusieurs choix" in error
    assert str(first.pk) in error and str(second.pk) in error


def test_required_means_a_choice(mason):
    form = post(job_title="", job_title_search="  ")
    assert not form.is_valid()
    assert form.errors["job_title"] == ["Ce champ est obligatoire."]


def test_commune_field_only_takes_ile_de_france():
    outside = CommuneFactory(code_insee="69123", name="Lyon", postcodes="69001")
    inside = CommuneFactory(ile_de_france=True, name="Commune test")

    assert not post(job_title_search="", commune=outside.pk).is_valid()
    form = post(job_title_search="", commune=inside.pk)
    form.is_valid()
    assert form.cleaned_data["commune"] == inside


def test_multiple_field_adds_a_typed_job_title_to_the_checked_ones(mason, plumber):
    form = post(job_title=str(mason.pk), job_titles=[str(mason.pk)], job_titles_search="plombier / plombiere")
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["job_titles"]) == {mason, plumber}


def test_multiple_field_with_nothing_checked_is_empty(mason):
    form = post(job_title=str(mason.pk), job_titles_search="")
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["job_titles"]) == []


def test_unbound_field_renders_an_accessible_combobox_with_its_choice(mason):
    html = str(TinyForm(initial={"job_title": mason, "commune": paris_arrondissement(11)}))

    assert '<label for="id_job_title" class="fr-label">' in html
    assert 'id="id_job_title"' in html
    assert 'name="job_title_search" value="Maçon / Maçonne"' in html
    assert 'role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="id_job_title-listbox"' in html
    assert 'hx-get="/referentiels/appellations/recherche/"' in html
    assert 'hx-target="#id_job_title-listbox"' in html
    # Disabled until the script runs: without JavaScript, the typed text counts.
    assert f'<input type="hidden" name="job_title" value="{mason.pk}" disabled' in html
    assert 'id="id_job_title-listbox" role="listbox"' in html
    assert 'name="commune_search" value="Paris 11e (75011)"' in html
    assert 'hx-get="/referentiels/communes/recherche/"' in html
    assert 'class="fr-input"' in html


def test_bound_field_with_an_error_keeps_what_was_typed(mason):
    html = str(post(job_title="", job_title_search="Astronaute"))
    assert 'name="job_title_search" value="Astronaute"' in html
    assert '<input type="hidden" name="job_title" value="" disabled' in html
    assert 'aria-invalid="true"' in html


def test_multiple_field_renders_choices_as_checked_boxes(mason, plumber):
    html = str(TinyForm(initial={"job_titles": [mason, plumber]}))

    assert f'name="job_titles" value="{mason.pk}" id="id_job_titles-{mason.pk}" checked' in html
    assert f'<label class="fr-label" for="id_job_titles-{plumber.pk}">Plombier / Plombière</label>' in html
    # "required" on the text input would block a form whose choices are already made.
    assert 'name="job_titles_search" value="" type="text"' not in html
    assert "<template data-reference-autocomplete-item>" in html


def test_media_brings_the_script_and_style():
    media = str(TinyForm().media)
    assert "reference/js/autocomplete.js" in media
    assert "reference/css/autocomplete.css" in media


def test_works_in_a_model_form(mason):
    from reference.models import Occupation

    class OccupationOfForm(forms.Form):
        job_title = JobTitleField(label="Métier", queryset=mason.occupation.job_titles.all())

    form = OccupationOfForm({"job_title_search": "maçon / maçonne"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["job_title"].occupation == Occupation.objects.get(code_rome="F1703")
