"""Reference rows for tests that do not need the full load (``load_reference_data`` is for one module).

Sequences stay clear of the real codes: ROME codes with a 9 as second character, codes OGR from
9,000,000, communes in a department "99" that is not in Île-de-France (so ``CommuneField`` refuses them:
use ``CommuneFactory(ile_de_france=True)`` or ``paris_arrondissement(n)`` for a commune it accepts).
"""

import csv
import functools

import factory
from django.conf import settings
from django.utils.text import slugify

from reference.models import Commune, JobTitle, Occupation, OccupationDomain, OccupationMobility, Skill, SkillKind
from reference.services import COMMUNES_FILE, read_domains

ROME_LETTERS = "ABCDEFGHIJKLMN"


@functools.cache
def _real_communes():
    with open(settings.REFERENCE_DATA_DIR / COMMUNES_FILE, newline="", encoding="utf-8") as f:
        return {row["code_insee"]: row for row in csv.DictReader(f)}


def real_commune(code_insee):
    """The real commune ``code_insee`` of Île-de-France, as the shipped file gives it (get or create)."""
    row = _real_communes()[code_insee]
    commune, _ = Commune.objects.get_or_create(
        code_insee=code_insee,
        defaults={
            "name": row["nom"],
            "slug": row["slug"],
            "department": row["departement"],
            "postcodes": row["codes_postaux"],
            "latitude": float(row["latitude"]),
            "longitude": float(row["longitude"]),
        },
    )
    return commune


def paris_arrondissement(n):
    """Paris ``n``e arrondissement (1 to 20), code INSEE 751nn, with its real name, postcode and coordinates."""
    if not 1 <= n <= 20:
        raise ValueError(f"Paris has 20 arrondissements, not {n}.")
    return real_commune(f"751{n:02d}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code_insee"]

    code_insee = factory.Sequence(lambda n: f"99{n % 1000:03d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    slug = factory.LazyAttribute(lambda o: f"{slugify(o.name)}-{o.department}")
    department = factory.LazyAttribute(lambda o: o.code_insee[:2])
    postcodes = factory.LazyAttribute(lambda o: o.code_insee)
    latitude = 48.8
    longitude = 2.4

    class Params:
        # A made-up commune of Seine-et-Marne, accepted by CommuneField (77900-77999 are not real codes).
        ile_de_france = factory.Trait(code_insee=factory.Sequence(lambda n: f"779{n % 100:02d}"))


class OccupationDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OccupationDomain
        django_get_or_create = ["code"]

    code = "F"
    label = factory.LazyAttribute(lambda o: read_domains().get(o.code, f"Domaine {o.code}"))


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    code_ogr = factory.Sequence(lambda n: 9_000_000 + n)
    label = factory.Sequence(lambda n: f"Compétence {n}")
    kind = SkillKind.KNOW_HOW
    category = "Technique"

    class Params:
        soft_skill = factory.Trait(kind=SkillKind.SOFT_SKILL, category="Transverse")
        knowledge = factory.Trait(kind=SkillKind.KNOWLEDGE, category="Domaines d'expertise")


class OccupationFactory(factory.django.DjangoModelFactory):
    """``OccupationFactory(skills=[...])`` sets its skills; without it the occupation has none.
    ``close_occupations=[...]`` gives it France Travail's close occupations, in that order."""

    class Meta:
        model = Occupation
        django_get_or_create = ["code_rome"]
        skip_postgeneration_save = True

    code_rome = factory.Sequence(lambda n: f"{ROME_LETTERS[n % 14]}9{n // 14 % 1000:03d}")
    label = factory.Sequence(lambda n: f"Métier {n}")
    domain = factory.LazyAttribute(lambda o: OccupationDomainFactory(code=o.code_rome[0]))
    definition = "Réalise des travaux de test."
    access = "Cet emploi est accessible sans diplôme particulier."

    @factory.post_generation
    def skills(occupation, create, extracted, **kwargs):
        if create and extracted:
            occupation.skills.set(extracted)

    @factory.post_generation
    def close_occupations(occupation, create, extracted, **kwargs):
        if create and extracted:
            OccupationMobility.objects.bulk_create(
                OccupationMobility(source=occupation, target=target, rank=rank)
                for rank, target in enumerate(extracted, start=1)
            )


class JobTitleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobTitle

    code_ogr = factory.Sequence(lambda n: 9_500_000 + n)
    label = factory.Sequence(lambda n: f"Appellation {n}")
    short_label = factory.SelfAttribute("label")
    occupation = factory.SubFactory(OccupationFactory)
