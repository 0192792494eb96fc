"""Reference data loaded from public sources (ROME 4.0, INSEE communes), never typed by hand."""

from django.db import models

from reference.text import normalize_search_text

PARIS_ARRONDISSEMENT_PREFIX = "751"


class CommuneQuerySet(models.QuerySet):
    def paris_arrondissements(self):
        return self.filter(code_insee__startswith=PARIS_ARRONDISSEMENT_PREFIX).order_by("code_insee")


class Commune(models.Model):
    code_insee = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=100)
    slug = models.SlugField("identifiant", max_length=120)
    department = models.CharField("département", max_length=3, db_index=True)
    postcodes = models.CharField("codes postaux", max_length=200, help_text="Séparés par « ; ».")
    latitude = models.FloatField("latitude")
    longitude = models.FloatField("longitude")
    search_text = models.CharField(max_length=200, db_index=True, editable=False)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["code_insee"]

    def __str__(self):
        return f"{self.name} ({self.first_postcode})"

    def save(self, *args, **kwargs):
        self.search_text = normalize_search_text(f"{self.name} {self.postcodes}")
        super().save(*args, **kwargs)

    @property
    def first_postcode(self):
        return self.postcodes.split(";")[0]

    @property
    def is_paris_arrondissement(self):
        return self.code_insee.startswith(PARIS_ARRONDISSEMENT_PREFIX)


class SkillKind(models.TextChoices):
    KNOW_HOW = "know_how", "Savoir-faire"
    SOFT_SKILL = "soft_skill", "Savoir-être professionnel"
    KNOWLEDGE = "knowledge", "Savoir"


class Skill(models.Model):
    code_ogr = models.PositiveIntegerField("code OGR", primary_key=True)
    label = models.CharField("libellé", max_length=300)
    kind = models.CharField("nature", max_length=20, choices=SkillKind.choices)
    category = models.CharField("catégorie", max_length=200, blank=True)

    class Meta:
        verbose_name = "compétence ROME"
        ordering = ["label"]

    def __str__(self):
        return self.label


class Occupation(models.Model):
    """A ROME occupation (*fiche métier*). The first letter of the code is its broad domain."""

    code_rome = models.CharField("code ROME", max_length=5, primary_key=True)
    label = models.CharField("libellé", max_length=200)
    definition = models.TextField("définition", blank=True)
    access = models.TextField("accès à l'emploi", blank=True)
    skills = models.ManyToManyField(Skill, related_name="occupations", verbose_name="compétences", blank=True)

    class Meta:
        verbose_name = "métier ROME"
        ordering = ["code_rome"]

    def __str__(self):
        return f"{self.label} ({self.code_rome})"

    @property
    def domain(self):
        return self.code_rome[0]


class JobTitle(models.Model):
    """A ROME job title (*appellation*): what people and positions are labelled with."""

    code_ogr = models.PositiveIntegerField("code OGR", primary_key=True)
    label = models.CharField("libellé", max_length=200)
    short_label = models.CharField("libellé court", max_length=200)
    occupation = models.ForeignKey(
        Occupation,
        on_delete=models.PROTECT,
        related_name="job_titles",
        verbose_name="métier ROME",
    )
    # Lower-cased and accent-free copy of the label, so "macon" finds "Maçon" on SQLite and PostgreSQL alike.
    search_text = models.CharField(max_length=250, db_index=True, editable=False)

    class Meta:
        verbose_name = "appellation ROME"
        ordering = ["label"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.search_text = normalize_search_text(self.label)
        super().save(*args, **kwargs)
