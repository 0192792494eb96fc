"""Real ROME 4.0 rows for browser and matcher tests: occupations with their job titles and skills, and
France Travail's close occupations between them, read from the files shipped in ``reference/data/``
(under a second, where the whole load takes several)."""

import functools

from django.conf import settings

from reference import services
from reference.models import JobTitle, Occupation, OccupationMobility, Skill
from tests.reference.factories import OccupationDomainFactory


def real_occupation(code_rome):
    """Creates the occupation ``code_rome``, its job titles and its skills as ROME 4.0 gives them."""
    row = _occupations()[code_rome]
    OccupationDomainFactory(code=row["domain_id"])
    occupation = Occupation.objects.create(code_rome=code_rome, **row)
    for code_ogr, job_title in _job_titles().items():
        if job_title["occupation_id"] == code_rome:
            JobTitle.objects.create(code_ogr=code_ogr, **job_title)
    skill_codes = {code_ogr for code, code_ogr in _occupation_skills() if code == code_rome}
    skills = _skills()
    # Occupations share skills: those another real occupation created already are reused.
    Skill.objects.bulk_create((Skill(code_ogr=code, **skills[code]) for code in skill_codes), ignore_conflicts=True)
    occupation.skills.set(skill_codes)
    return occupation


def real_close_occupations():
    """France Travail's close occupations between the occupations in the database, in its order."""
    codes = set(Occupation.objects.values_list("code_rome", flat=True))
    return OccupationMobility.objects.bulk_create(
        OccupationMobility(source_id=source, target_id=target, rank=rank)
        for (source, target), rank in services.read_mobilities(settings.REFERENCE_DATA_DIR).items()
        if source in codes and target in codes
    )


@functools.cache
def _occupations():
    return services.read_occupations(settings.REFERENCE_DATA_DIR)


@functools.cache
def _job_titles():
    return services.read_job_titles(settings.REFERENCE_DATA_DIR)


@functools.cache
def _occupation_skills():
    return frozenset(services.read_occupation_skills(settings.REFERENCE_DATA_DIR))


@functools.cache
def _skills():
    return services.read_skills(settings.REFERENCE_DATA_DIR)
