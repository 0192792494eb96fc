"""Reference data loaded from public sources (ROME 4.0, INSEE communes), never typed by hand.

``python manage.py load_reference_data`` fills these tables from ``reference/data/`` (see its README).
"""

import re

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length

from reference import typos
from reference.text import commune_search_text, normalize_search_text

PARIS_ARRONDISSEMENT_PREFIX = "751"
PARIS_CODE_INSEE = "75056"
ILE_DE_FRANCE_DEPARTMENTS = ("75", "77", "78", "91", "92", "93", "94", "95")
ROME_CODE_RE = re.compile(r"[A-N]\d{4}")
CODE_INSEE_RE = re.compile(r"\d[\dAB]\d{3}")
# "Paris 11e (75011)", the way a commune is displayed, read back when a form is sent without JavaScript.
_NAME_AND_POSTCODE_RE = re.compile(r"(?P<name>.*?)\s*\((?P<postcode>\d{5})\)")


def _every_word_starts_with(tokens, *, any_of=False):
    """Each token (with ``any_of``, one of them at least) must start a word of ``search_text`` (words are
    space-separated there)."""
    condition = Q()
    for token in tokens:
        starts = Q(search_text__startswith=token) | Q(search_text__contains=f" {token}")
        condition = (condition | starts) if any_of else (condition & starts)
    return condition


def _prefix_rank(normalized_query):
    """0 when the text starts with the whole query, 1 when a later word does, 2 otherwise."""
    return Case(
        When(search_text__startswith=normalized_query, then=Value(0)),
        When(search_text__contains=f" {normalized_query}", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


class CommuneQuerySet(models.QuerySet):
    def paris_arrondissements(self):
        return self.filter(code_insee__startswith=PARIS_ARRONDISSEMENT_PREFIX).order_by("code_insee")

    def in_ile_de_france(self):
        return self.filter(department__in=ILE_DE_FRANCE_DEPARTMENTS)

    def search(self, query):
        """Search as you type, by name or postcode, accent- and case-insensitive.

        Every word typed must start a word of the name or a postcode ("paris 11", "st ouen" does not
        find "Saint-Ouen" but "saint ouen" does). An exact code INSEE or a commune whose only
        postcode is the query comes first, then names starting with the query; ties by code INSEE,
        so Paris comes before its arrondissements, in order. Slice the result to limit it.
        """
        normalized = normalize_search_text(query)
        if not normalized:
            return self.none()
        condition = _every_word_starts_with(normalized.split())
        rank = _prefix_rank(normalized)
        code = normalized.upper()
        if CODE_INSEE_RE.fullmatch(code):
            condition |= Q(code_insee=code)
            rank = Case(When(code_insee=code, then=Value(-2)), When(postcodes=code, then=Value(-1)), default=rank)
        return self.filter(condition).annotate(search_rank=rank).order_by("search_rank", "code_insee")

    def matching(self, text):
        """The communes a typed text names exactly: a code INSEE, "Name (postcode)" as displayed, a
        postcode or a name. Used when a form is sent without JavaScript; more than one means ambiguous."""
        text = text.strip()
        if not text:
            return []
        by_code = list(self.filter(code_insee=text.upper()))
        if by_code:
            return by_code
        name, postcode = text, None
        if match := _NAME_AND_POSTCODE_RE.fullmatch(text):
            name, postcode = match["name"], match["postcode"]
        elif text.isdigit() and len(text) == 5:
            name, postcode = "", text
        candidates = self
        if postcode:
            candidates = candidates.filter(_every_word_starts_with([postcode]))
            if not name:
                # A postcode shared by Paris and one arrondissement names the arrondissement.
                only_this_postcode = [c for c in candidates if c.postcodes == postcode]
                return only_this_postcode or list(candidates)
        normalized_name = normalize_search_text(name)
        if not normalized_name:
            return []
        candidates = candidates.filter(search_text__startswith=f"{normalized_name} ")
        return [c for c in candidates if normalize_search_text(c.name) == normalized_name]


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
        self.search_text = commune_search_text(self.name, self.postcodes)
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


class OccupationDomain(models.Model):
    """One of the 14 broad domains of the ROME (*grand domaine*), the first letter of a ROME code.
    The public job board filters positions by it."""

    code = models.CharField("code", max_length=1, primary_key=True)
    label = models.CharField("libellé", max_length=200)

    class Meta:
        verbose_name = "grand domaine ROME"
        verbose_name_plural = "grands domaines ROME"
        ordering = ["code"]

    def __str__(self):
        return self.label


class Occupation(models.Model):
    """A ROME occupation (*fiche métier*). The first letter of the code is its broad domain."""

    code_rome = models.CharField("code ROME", max_length=5, primary_key=True)
    label = models.CharField("libellé", max_length=200)
    domain = models.ForeignKey(
        OccupationDomain,
        on_delete=models.PROTECT,
        related_name="occupations",
        verbose_name="grand domaine",
    )
    definition = models.TextField("définition", blank=True)
    access = models.TextField("accès à l'emploi", blank=True)
    skills = models.ManyToManyField(Skill, related_name="occupations", verbose_name="compétences", blank=True)

    class Meta:
        verbose_name = "métier ROME"
        ordering = ["code_rome"]

    def __str__(self):
        return f"{self.label} ({self.code_rome})"

    @property
    def professional_domain_code(self):
        """The 3-character professional domain (*domaine professionnel*, e.g. "F17"). The shipped
        files give no label for it; filter on it with ``code_rome__startswith``."""
        return self.code_rome[:3]


class JobTitleQuerySet(models.QuerySet):
    def search(self, query):
        """Search as you type, accent- and case-insensitive: "macon" and "MACON" find "Maçon / Maçonne".

        Every word typed must start a word of the label; a word that starts none is taken for a typo and
        stands for the closest beginnings of label words ("plonbier" for "plombier", ``reference.typos``).
        Labels starting with the query come first, then those with a later word starting with it, shorter
        labels first. A code OGR finds that job title, a code ROME ("F1703") the job titles of that
        occupation. Slice the result to limit it.
        """
        normalized = normalize_search_text(query)
        if not normalized:
            return self.none()
        tokens = normalized.split()
        fixed = typos.corrections(self.model._default_manager.all(), tokens)
        condition = Q()
        for token in tokens:
            condition &= _every_word_starts_with([token, *fixed.get(token, ())], any_of=True)
        rank = _prefix_rank(" ".join(fixed[t][0] if t in fixed else t for t in tokens))
        if normalized.isdigit() and len(normalized) <= 9:
            condition |= Q(code_ogr=int(normalized))
            rank = Case(When(code_ogr=int(normalized), then=Value(-1)), default=rank)
        elif ROME_CODE_RE.fullmatch(normalized.upper()):
            condition |= Q(occupation_id=normalized.upper())
        return (
            self.filter(condition)
            .annotate(search_rank=rank, label_length=Length("label"))
            .order_by("search_rank", "label_length", "label", "code_ogr")
        )

    def matching(self, text):
        """The job titles a typed text names exactly: a code OGR or a label (accents and case aside).
        Used when a form is sent without JavaScript; more than one means ambiguous (a few labels exist
        under two occupations)."""
        text = text.strip()
        if text.isdigit() and len(text) <= 9:
            return list(self.filter(code_ogr=int(text)))
        normalized = normalize_search_text(text)
        if not normalized:
            return []
        return list(self.filter(search_text=normalized).select_related("occupation"))


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

    objects = JobTitleQuerySet.as_manager()

    class Meta:
        verbose_name = "appellation ROME"
        ordering = ["label"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.search_text = normalize_search_text(self.label)
        super().save(*args, **kwargs)


class OccupationMobilityQuerySet(models.QuerySet):
    def from_occupation(self, code_rome):
        """The experts' targets of ``code_rome``, in France Travail's order."""
        return self.filter(source_id=code_rome).select_related("target").order_by("rank")


class OccupationMobility(models.Model):
    """France Travail's experts' close occupations (*mobilités* of ROME 4.0): from ``source``, people
    move on to ``target``. Directed (only 17 % of the edges also exist the other way round: everyone
    may become a trainer, a trainer not everything), and ordered: ``rank`` 1 is the first France
    Travail shows. What the matcher trusts most about how close two occupations are."""

    source = models.ForeignKey(
        Occupation, on_delete=models.CASCADE, related_name="mobilities", verbose_name="métier de départ"
    )
    target = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="+", verbose_name="métier proche")
    rank = models.PositiveSmallIntegerField("ordre", help_text="Ordre d'affichage de France Travail (1 = premier).")

    objects = OccupationMobilityQuerySet.as_manager()

    class Meta:
        verbose_name = "métier proche selon France Travail"
        verbose_name_plural = "métiers proches selon France Travail"
        ordering = ["source", "rank"]
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="unique_occupation_mobility")]
        # The close occupations of one occupation, in order (``from_occupation``).
        indexes = [models.Index(fields=["source", "rank"], name="mobility_source_rank")]

    def __str__(self):
        return f"{self.source_id} → {self.target_id} ({self.rank})"
