"""Real ROME 4.0 rows for browser tests: one occupation with its job titles and skills, read from the
files shipped in ``reference/data/`` (under a second, where the whole load takes several)."""

from django.conf import settings

from reference import services
from reference.models import JobTitle, Occupation, Skill
from tests.reference.factories import OccupationDomainFactory


def real_occupation(code_rome):
    """Creates the occupation ``code_rome``, its job titles and its skills as ROME 4.0 gives them."""
    data_dir = settings.REFERENCE_DATA_DIR
    row = services.read_occupations(data_dir)[code_rome]
    OccupationDomainFactory(code=row["domain_id"])
    occupation = Occupation.objects.create(code_rome=code_rome, **row)
    for code_ogr, job_title in services.read_job_titles(data_dir).items():
        if job_title["occupation_id"] == code_rome:
            JobTitle.objects.create(code_ogr=code_ogr, **job_title)
    skill_codes = {code_ogr for code, code_ogr in services.read_occupation_skills(data_dir) if code == code_rome}
    skills = services.read_skills(data_dir)
    occupation.skills.set(Skill.objects.bulk_create(Skill(code_ogr=code, **skills[code]) for code in skill_codes))
    return occupation
