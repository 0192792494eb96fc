"""A small world where the right answer is known: a mason's position in Paris 19e and candidates who
fit it more or less, each excluded or not by one hard filter."""

import datetime

import pytest
from django.utils import timezone

from tests.marketplace.factories import CandidateFactory, PositionFactory
from tests.reference.factories import (
    JobTitleFactory,
    OccupationFactory,
    SkillFactory,
    paris_arrondissement,
    real_commune,
)


@pytest.fixture(autouse=True)
def _content_model(settings):
    """The content model, whose ranking these tests know (each builds its own index: tests/conftest.py)."""
    settings.MATCHER_MODEL = "content"


@pytest.fixture
def rome(db):
    """Masonry and formwork share a professional domain and skills; kitchen work shares nothing."""
    skills = [SkillFactory(label=f"Compétence {n}") for n in range(10)]
    masonry = OccupationFactory(code_rome="F9701", label="Maçonnerie", skills=skills[0:6])
    formwork = OccupationFactory(code_rome="F9702", label="Coffrage", skills=skills[2:7])
    kitchen = OccupationFactory(
        code_rome="G9801", label="Cuisine", skills=skills[7:10], definition="Prépare les plats en cuisine."
    )
    return {
        "skills": skills,
        "masonry": masonry,
        "formwork": formwork,
        "kitchen": kitchen,
        "mason": JobTitleFactory(label="Maçon bâtisseur", occupation=masonry),
        "formworker": JobTitleFactory(label="Coffreur bancheur", occupation=formwork),
        "cook": JobTitleFactory(label="Commis de cuisine", occupation=kitchen),
    }


@pytest.fixture
def mason_position(rome, company_org):
    return PositionFactory(
        company=company_org, job_title=rome["mason"], commune=paris_arrondissement(19), description="Maçonnerie"
    )


@pytest.fixture
def make_candidate(rome, prescriber_org):
    def make(*, job_titles=("mason",), skills=(), arrondissement=19, **kwargs):
        kwargs.setdefault("prescriber", prescriber_org)
        kwargs.setdefault("commune", paris_arrondissement(arrondissement))
        candidate = CandidateFactory(job_titles=[rome[name] for name in job_titles], **kwargs)
        candidate.skills.set(rome["skills"][i] for i in skills)
        return candidate

    return make


@pytest.fixture
def pool(make_candidate, other_prescriber_org):
    """Who should come first for the mason's position, and who must not come at all."""
    later = timezone.localdate() + datetime.timedelta(days=60)
    return {
        "best": make_candidate(skills=[0, 1, 2, 3], arrondissement=19),
        "far_mason": make_candidate(skills=[0, 1], arrondissement=15, last_name="Loin"),
        "formworker": make_candidate(job_titles=["formworker"], skills=[2, 3, 6], arrondissement=20),
        "cook": make_candidate(job_titles=["cook"], skills=[7, 8], arrondissement=19),
        "other_pool": make_candidate(skills=[0, 1, 2], prescriber=other_prescriber_org),
        "no_consent": make_candidate(skills=[0, 1, 2, 3], consent_at=None),
        "not_yet_available": make_candidate(skills=[0, 1, 2, 3], available_from=later),
        "too_far": make_candidate(skills=[0, 1, 2, 3], commune=real_commune("77186"), max_commute_km=10),
    }
