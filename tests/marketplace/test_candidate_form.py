"""The candidate form a prescriber fills in order: numbered sections, the information text readable where
consent is recorded, and skills proposed on a second step rather than dumped."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.marketplace.factories import JobTitleFactory, OccupationFactory

pytestmark = pytest.mark.django_db


def test_the_form_comes_in_sections_in_the_order_they_are_filled(client_as, prescriber):
    page = client_as(prescriber).get(reverse("marketplace:candidate_create")).content.decode()

    titles = [
        "1. Identité et contact",
        "2. Situation et critères déclarés",
        "3. Métiers recherchés et qualification",
        "4. Mobilité, disponibilité et souhaits",
        "5. Consentement",
    ]
    positions = [page.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Étape 1 sur 2" in page
    assert 'name="skills"' not in page


def test_the_information_text_is_readable_where_consent_is_recorded(client, client_as, prescriber):
    form = client_as(prescriber).get(reverse("marketplace:candidate_create")).content.decode()

    text = form[form.index('id="consent-text"') : form.index('id="id_consent"')]
    for part in ("Ce qui est enregistré", "Qui le voit", "Combien de temps", "Vos droits"):
        assert part in text
    assert f"après {settings.CANDIDATE_RETENTION_MONTHS} mois sans activité" in text
    assert f'href="{reverse("candidate_information")}"' in form
    printable = client.get(reverse("candidate_information")).content.decode()
    assert f"version {settings.CANDIDATE_CONSENT_TEXT_VERSION}" in printable and "Vos droits" in printable


def test_the_skills_step_groups_the_sought_occupations_skills(client_as, prescriber, candidate):
    mason = JobTitleFactory()
    cook = JobTitleFactory(occupation=OccupationFactory(code_rome="G1602", label="Personnel de cuisine"))
    candidate.job_titles.set([mason, cook])
    candidate.skills.set([mason.occupation.skills.first()])

    page = client_as(prescriber).get(reverse("marketplace:candidate_skills", args=[candidate.pk])).content.decode()

    assert f"{mason.occupation.label} ({mason.occupation.code_rome})" in page
    assert f"{cook.occupation.label} ({cook.occupation.code_rome})" in page
    assert page.count(" checked>") == 1  # what the person already has stays ticked, nothing else


def test_only_the_candidates_prescriber_picks_its_skills(client_as, other_prescriber, company_user, candidate):
    url = reverse("marketplace:candidate_skills", args=[candidate.pk])
    assert client_as(other_prescriber).get(url).status_code == 404
    assert client_as(company_user).get(url).status_code == 403
