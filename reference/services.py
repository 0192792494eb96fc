"""Loading the shipped reference data (``reference/data/``) into the database.

``load_reference_data()`` is idempotent: every row is matched on its code (INSEE, ROME, OGR), new
ones are created, changed ones updated, identical ones left alone, so a second run writes nothing.
It reads the existing rows once per table and writes in bulk, in one transaction: for ~50,000 rows
and ~90,000 links, about 2 s on SQLite and 4 to 5 s on PostgreSQL into empty tables, under 1 s for a
run that changes nothing (2-core machine).

Rows that disappeared from the files are kept, since positions and candidates may point to them
(``on_delete=PROTECT``), and only counted; occupation → skill links and close occupations that
disappeared are removed (nothing points to them).
"""

import csv
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from common.db import analyze
from reference.models import Commune, JobTitle, Occupation, OccupationDomain, OccupationMobility, Skill, SkillKind
from reference.text import commune_search_text, normalize_search_text

COMMUNES_FILE = "communes_idf.csv"
DOMAINS_FILE = "rome_domaines.csv"
OCCUPATIONS_FILE = "unix_referentiel_code_rome_v460_utf8.csv"
JOB_TITLES_FILE = "unix_referentiel_appellation_v460_utf8.csv"
COMPETENCES_FILE = "unix_referentiel_competence_v460_utf8.csv"
KNOWLEDGE_FILE = "unix_referentiel_savoir_v460_utf8.csv"
TEXTS_FILE = "unix_texte_v460_utf8.csv"
LINKS_FILE = "unix_liens_rome_referentiels_v460_utf8_competences.csv"
MOBILITY_FILE = "unix_rubrique_mobilite_v460_utf8.csv"

# In the link file, bloc 5 is "Compétences"; its rubriques 1, 2 and 3 are savoir-faire, savoir-être, savoirs.
SKILLS_BLOC = "5"
SKILL_RUBRIQUES = {"1", "2", "3"}
# In the text file, bloc 3 is the definition of the occupation and bloc 4 how to access it.
DEFINITION_BLOC = "3"
ACCESS_BLOC = "4"

BATCH_SIZE = 2000
# Two parameters a row: well under SQLite's limit of 32,766 parameters a statement.
LINKS_BATCH_SIZE = 5000


class ReferenceDataError(Exception):
    """The shipped files contradict an assumption the loader relies on."""


@dataclass
class TableCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # In the database but no longer in the files: kept, see the module docstring.
    absent: int = 0
    # Links only: removed because no longer in the files.
    removed: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    def __str__(self):
        parts = [f"{self.total} dans les fichiers", f"{self.created} créés", f"{self.updated} modifiés"]
        parts.append(f"{self.unchanged} inchangés")
        if self.absent:
            parts.append(f"{self.absent} absents des fichiers (conservés)")
        if self.removed:
            parts.append(f"{self.removed} supprimés")
        return ", ".join(parts)


@dataclass
class LoadReport:
    dry_run: bool = False
    seconds: float = 0.0
    tables: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.tables[name]

    def lines(self):
        for name, counts in self.tables.items():
            yield f"{name} : {counts}"


def load_reference_data(*, data_dir=None, dry_run=False):
    """Loads communes, ROME domains, occupations, job titles, skills, occupation → skill links and
    France Travail's close occupations (*mobilités*).

    With ``dry_run``, everything is done in the transaction and then rolled back, so the counts are
    exactly those a real run would give.
    """
    data_dir = Path(data_dir or settings.REFERENCE_DATA_DIR)
    report = LoadReport(dry_run=dry_run)
    start = time.monotonic()
    with transaction.atomic():
        report.tables["Communes"] = _sync(
            Commune,
            _read_communes(data_dir),
            ["name", "slug", "department", "postcodes", "latitude", "longitude", "search_text"],
        )
        report.tables["Grands domaines ROME"] = _sync(OccupationDomain, _read_domains(data_dir), ["label"])
        report.tables["Métiers ROME"] = _sync(
            Occupation, read_occupations(data_dir), ["label", "domain_id", "definition", "access"]
        )
        report.tables["Appellations ROME"] = _sync(
            JobTitle, read_job_titles(data_dir), ["label", "short_label", "occupation_id", "search_text"]
        )
        report.tables["Compétences ROME"] = _sync(Skill, read_skills(data_dir), ["label", "kind", "category"])
        report.tables["Liens métier → compétence"] = _sync_occupation_skills(read_occupation_skills(data_dir))
        report.tables["Métiers proches selon France Travail"] = _sync_mobilities(read_mobilities(data_dir))
        if dry_run:
            transaction.set_rollback(True)
        else:
            # Fresh tables have no planner statistics: without them, one occupation's skills took PostgreSQL
            # over 6 minutes right after a first load (common/db.py).
            analyze(Commune, OccupationDomain, Occupation, JobTitle, Skill, OccupationMobility)
    report.seconds = time.monotonic() - start
    return report


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def rome_text(value):
    """The ROME files write an apostrophe inside a text as ``''``."""
    return value.replace("''", "'").strip()


def _read_communes(data_dir):
    rows = {}
    for row in read_csv(data_dir / COMMUNES_FILE):
        rows[row["code_insee"]] = {
            "name": row["nom"],
            "slug": row["slug"],
            "department": row["departement"],
            "postcodes": row["codes_postaux"],
            "latitude": float(row["latitude"]),
            "longitude": float(row["longitude"]),
            "search_text": commune_search_text(row["nom"], row["codes_postaux"]),
        }
    return rows


def read_domains(data_dir=None):
    """``{letter: label}`` of the 14 broad domains, from the shipped file."""
    data_dir = Path(data_dir or settings.REFERENCE_DATA_DIR)
    return {row["code_domaine"]: row["libelle_domaine"] for row in read_csv(data_dir / DOMAINS_FILE)}


def _read_domains(data_dir):
    return {code: {"label": label} for code, label in read_domains(data_dir).items()}


def read_occupations(data_dir):
    texts = defaultdict(lambda: {DEFINITION_BLOC: [], ACCESS_BLOC: []})
    for row in read_csv(data_dir / TEXTS_FILE):
        if row["code_compo_bloc"] in (DEFINITION_BLOC, ACCESS_BLOC):
            texts[row["code_rome"]][row["code_compo_bloc"]].append(
                (int(row["position_phrase"]), rome_text(row["libelle_texte"]))
            )
    rows = {}
    for row in read_csv(data_dir / OCCUPATIONS_FILE):
        code = row["code_rome"]
        sentences = texts[code]
        rows[code] = {
            "label": row["libelle_rome"],
            "domain_id": code[0],
            "definition": "\n".join(text for _, text in sorted(sentences[DEFINITION_BLOC])),
            "access": "\n".join(text for _, text in sorted(sentences[ACCESS_BLOC])),
        }
    return rows


def read_job_titles(data_dir):
    rows = {}
    for row in read_csv(data_dir / JOB_TITLES_FILE):
        label = row["libelle_appellation_long"]
        rows[int(row["code_ogr"])] = {
            "label": label,
            "short_label": row["libelle_appellation_court"],
            "occupation_id": row["code_rome"],
            "search_text": normalize_search_text(label),
        }
    return rows


def read_skills(data_dir):
    rows = {}
    for row in read_csv(data_dir / COMPETENCES_FILE):
        kind = SkillKind.SOFT_SKILL if row["cat_comp"] == "Savoir-être professionnel" else SkillKind.KNOW_HOW
        rows[int(row["code_ogr"])] = {
            "label": row["libelle_competence"],
            "kind": kind,
            "category": row["sous_cat_comp"],
        }
    for row in read_csv(data_dir / KNOWLEDGE_FILE):
        code = int(row["code_ogr_savoir"])
        if code in rows:
            # Competences and savoirs share the Skill table, keyed by code OGR: a collision would
            # silently turn one into the other.
            raise ReferenceDataError(f"Le code OGR {code} est à la fois une compétence et un savoir.")
        rows[code] = {"label": row["libelle_savoir"], "kind": SkillKind.KNOWLEDGE, "category": row["categorie_savoir"]}
    return rows


def read_occupation_skills(data_dir):
    return {
        (row["code_rome"], int(row["code_ogr"]))
        for row in read_csv(data_dir / LINKS_FILE)
        if row["code_compo_bloc"] == SKILLS_BLOC and row["code_rubrique"] in SKILL_RUBRIQUES
    }


def read_mobilities(data_dir):
    """``{(code_rome, code_rome_cible): numero_ordre}``: France Travail's experts' close occupations."""
    return {
        (row["code_rome"], row["code_rome_cible"]): int(row["numero_ordre"])
        for row in read_csv(Path(data_dir) / MOBILITY_FILE)
    }


def _sync(model, rows, fields):
    """Creates and updates ``model`` rows from ``{pk: {field: value}}``; one read, bulk writes."""
    counts = TableCounts()
    existing = {values[0]: values[1:] for values in model.objects.values_list("pk", *fields)}
    to_create, to_update = [], []
    for pk, values in rows.items():
        current = existing.get(pk)
        if current is None:
            to_create.append(model(pk=pk, **values))
        elif current != tuple(values[name] for name in fields):
            to_update.append(model(pk=pk, **values))
        else:
            counts.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        # An upsert on the primary key: one statement per batch, where bulk_update would build a
        # CASE per field and row.
        model.objects.bulk_create(
            to_update,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=[model._meta.pk.name],
            update_fields=fields,
        )
    counts.created = len(to_create)
    counts.updated = len(to_update)
    counts.absent = len(existing.keys() - rows.keys())
    return counts


def _sync_occupation_skills(wanted):
    counts = TableCounts()
    Link = Occupation.skills.through
    existing = {
        (occupation, skill): pk for pk, occupation, skill in Link.objects.values_list("pk", "occupation_id", "skill_id")
    }
    missing = sorted(wanted - existing.keys())
    _insert_links(Link, missing)
    stale = [pk for link, pk in existing.items() if link not in wanted]
    for start in range(0, len(stale), BATCH_SIZE):
        Link.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
    counts.created = len(missing)
    counts.unchanged = len(wanted) - len(missing)
    counts.removed = len(stale)
    return counts


def _sync_mobilities(wanted):
    """Creates, reorders and removes close occupations, matched on (source, target); one read."""
    counts = TableCounts()
    existing = {
        (source, target): (pk, rank)
        for pk, source, target, rank in OccupationMobility.objects.values_list("pk", "source_id", "target_id", "rank")
    }
    to_create, to_update = [], []
    for (source, target), rank in sorted(wanted.items()):
        current = existing.get((source, target))
        if current is None:
            to_create.append(OccupationMobility(source_id=source, target_id=target, rank=rank))
        elif current[1] != rank:
            to_update.append(OccupationMobility(pk=current[0], source_id=source, target_id=target, rank=rank))
    OccupationMobility.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    OccupationMobility.objects.bulk_update(to_update, ["rank"], batch_size=BATCH_SIZE)
    stale = [pk for edge, (pk, _) in existing.items() if edge not in wanted]
    for start in range(0, len(stale), BATCH_SIZE):
        OccupationMobility.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
    counts.created = len(to_create)
    counts.updated = len(to_update)
    counts.unchanged = len(wanted) - len(to_create) - len(to_update)
    counts.removed = len(stale)
    return counts


def _insert_links(Link, links):
    """Inserts ``(code_rome, code_ogr)`` pairs into the occupation → skill table.

    ~90,000 rows of two columns: building a model instance per row would take most of the load's
    time. PostgreSQL takes them as two arrays in one statement; SQLite as multi-row INSERTs.
    """
    if not links:
        return
    quote = connection.ops.quote_name
    occupation_column = quote(Link._meta.get_field("occupation").column)
    skill_column = quote(Link._meta.get_field("skill").column)
    insert = f"INSERT INTO {quote(Link._meta.db_table)} ({occupation_column}, {skill_column})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            occupations, skills = zip(*links, strict=True)
            cursor.execute(
                f"{insert} SELECT * FROM unnest(%s::varchar[], %s::integer[])", [list(occupations), list(skills)]
            )
            return
        for start in range(0, len(links), LINKS_BATCH_SIZE):
            batch = links[start : start + LINKS_BATCH_SIZE]
            cursor.execute(
                f"{insert} VALUES {', '.join(['(%s, %s)'] * len(batch))}", [v for link in batch for v in link]
            )
