"""Import of a prescriber's pool from CSV or XLSX: every bad row is reported with its line number and
its reasons in French, and nothing is written while any row is bad.

Columns (first line): nom, prenom, date_naissance (JJ/MM/AAAA or AAAA-MM-JJ), sexe (F/H), commune
(INSEE code or postcode), email, telephone, date_consentement, situation, criteres_niveau1,
criteres_niveau2, appellations (ROME labels or OGR codes), niveau_qualification (0, 3 to 6),
niveau_francais (<A1, A1..C2), permis (oui/non), distance_max_km, disponible_le, contrats_souhaites,
heures_souhaitees. Lists are separated by « | »; listed values (situation, criteria, contract types) are given
by their French label or their code. Text that a spreadsheet would run as a formula (=, +, -, @) is refused
where free text goes.
"""

import codecs
import contextlib
import csv
import datetime
import io
import re
import zipfile
import zlib
from xml.etree import ElementTree

import openpyxl
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.utils import timezone
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from common.exports import FORMULA_PREFIXES
from common.uploads import ZIP_SIGNATURE, check_size
from marketplace import services
from marketplace.enums import (
    ContractType,
    FrenchLevel,
    ImportState,
    Level1Criterion,
    Level2Criterion,
    QualificationLevel,
    Sex,
    Situation,
)
from marketplace.models import Candidate, CandidateImport
from marketplace.rules import check_age_criteria, check_birth_date, check_consent_date
from reference.models import Commune, JobTitle

REQUIRED = [
    "nom",
    "prenom",
    "date_naissance",
    "sexe",
    "commune",
    "date_consentement",
    "situation",
    "appellations",
    "niveau_qualification",
    "niveau_francais",
]
COLUMNS = REQUIRED + [
    "email",
    "telephone",
    "criteres_niveau1",
    "criteres_niveau2",
    "permis",
    "distance_max_km",
    "disponible_le",
    "contrats_souhaites",
    "heures_souhaitees",
]
# Free-text columns and the model fields they fill (for their length limits).
TEXT_FIELDS = {"nom": "last_name", "prenom": "first_name", "email": "email", "telephone": "phone"}
PHONE = re.compile(r"\+?[0-9 .()-]+")
# A UTF-8 accent (é is C3 A9, « is C2 AB) that Windows-1252 would turn into two characters (Ã©, Â«).
UTF8_SEQUENCE = re.compile(rb"[\xc2\xc3][\x80-\xbf]")
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# An XLSX compresses about tenfold: far beyond, the archive is no spreadsheet a person made (a "zip bomb").
UNZIPPED_RATIO = 20
EXCEL_MAX_COLUMNS = 16384
# Cells a sheet may hold per line allowed (the import has 19 columns): far more is no list of candidates.
MAX_CELLS_PER_ROW = 100
# What openpyxl and zipfile raise on a truncated or spoilt workbook.
XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    SyntaxError,
    InvalidFileException,
)
SEX_CODES = {"F": Sex.FEMALE, "H": Sex.MALE, "M": Sex.MALE}
FRENCH_CODES = {label.upper(): value for value, label in FrenchLevel.choices if len(label) == 2} | {
    "<A1": FrenchLevel.BELOW_A1
}
YES, NO = {"oui", "o", "1", "vrai", "true", "x"}, {"non", "n", "0", "faux", "false", ""}


class CandidateImportError(ValidationError):
    """Carries every error, one French sentence per bad row or missing column."""


def read_table(uploaded):
    """The rows of a CSV (UTF-8, UTF-16 or Windows-1252; « ; », « , » or tabulation) or XLSX upload, as
    (line number, {column: text}). Size is checked before reading, and the content must match the extension."""
    try:
        check_size(uploaded.size, limit=settings.IMPORT_MAX_BYTES)
    except ValidationError as exc:
        raise CandidateImportError(exc.messages) from exc
    name = uploaded.name.lower()
    uploaded.seek(0)
    data = uploaded.read()
    if name.endswith(".xlsx"):
        if not data.startswith(ZIP_SIGNATURE):
            raise CandidateImportError(
                [
                    "Le fichier porte l'extension .xlsx mais n'est pas un classeur Excel : s'il s'agit d'un CSV, "
                    "renommez-le en .csv."
                ]
            )
        lines = _xlsx_lines(data)
    elif name.endswith(".csv"):
        if data.startswith(ZIP_SIGNATURE):
            raise CandidateImportError(
                [
                    "Le fichier porte l'extension .csv mais contient un classeur Excel ou une archive : "
                    "renommez-le en .xlsx, ou enregistrez-le au format CSV."
                ]
            )
        lines = _csv_lines(_decode(data))
    else:
        raise CandidateImportError(["Le fichier doit être au format CSV ou XLSX."])
    return _records(lines)


def _decode(data):
    """The text of a CSV: UTF-16 with its byte order mark, UTF-8 (with or without), else Windows-1252 as
    French Excel writes it, unless the bytes are UTF-8 spoilt in places (decoding would garble the accents)."""
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                if UTF8_SEQUENCE.search(data):
                    raise CandidateImportError(
                        [
                            "Le fichier mélange des encodages (de l'UTF-8 abîmé par endroits) : "
                            "enregistrez-le au format « CSV UTF-8 »."
                        ]
                    ) from None
                text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise CandidateImportError(
            [
                "L'encodage du fichier n'est pas reconnu (ni UTF-8, ni UTF-16, ni Windows-1252) : "
                "enregistrez-le au format « CSV UTF-8 »."
            ]
        ) from exc
    if CONTROL_CHARACTERS.search(text):
        raise CandidateImportError(
            ["Le fichier contient des caractères de contrôle (octets nuls, binaire) : ce n'est pas un CSV texte."]
        )
    return text


def _csv_lines(text):
    """Lists of values, the separator being whichever of « ; », « , » or tabulation the header uses most."""
    header = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=max(";,\t", key=header.count), strict=True)
    try:
        yield from reader
    except csv.Error as exc:
        raise CandidateImportError(
            [f"Le CSV est mal formé vers la ligne {reader.line_num} : guillemet mal fermé ou champ trop long."]
        ) from exc


def _xlsx_lines(data):
    """Lists of values of the first sheet, read lazily (only what the row limit lets through is ever read)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise CandidateImportError(["Le fichier est une archive ZIP mais pas un classeur Excel (.xlsx)."])
            if sum(member.file_size for member in archive.infolist()) > settings.IMPORT_MAX_BYTES * UNZIPPED_RATIO:
                raise CandidateImportError(["Le classeur est trop volumineux une fois décompressé."])
            _count_rows(archive, settings.IMPORT_MAX_ROWS)
        # Formulas are read as formulas (=HYPERLINK(...)), never as their last value: the checks refuse them.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        try:
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                yield [_cell_text(value) for value in values]
        finally:
            workbook.close()
    except XLSX_ERRORS as exc:
        raise CandidateImportError(["Le classeur Excel est illisible (fichier tronqué ou abîmé)."]) from exc


def _count_rows(archive, limit):
    """Counts the rows (and cells) of every sheet as the XML streams by, and stops past ``limit`` lines: openpyxl
    reads a sheet whole before its first row when the sheet does not state its size (a 158 Ko workbook of three
    million blank rows held a worker 43 s), so a workbook is measured before openpyxl opens it."""
    for member in archive.namelist():
        if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
            continue
        rows = cells = 0
        with archive.open(member) as source:
            for _event, element in ElementTree.iterparse(source, events=("start",)):
                tag = element.tag.rpartition("}")[2]
                if tag == "row":
                    rows += 1
                elif tag == "c":
                    cells += 1
                if rows > limit + 1 or cells > (limit + 1) * MAX_CELLS_PER_ROW:
                    raise CandidateImportError(
                        [f"Le classeur compte plus de {limit} lignes : {limit} candidats au plus par import."]
                    )


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _records(lines):
    """Checks the header (missing, unknown, repeated columns), then lists (line number, {column: text}) for
    each row that is not blank, refusing values past the header and files over ``IMPORT_MAX_ROWS`` lines (blank
    ones included): ``lines`` is read lazily, and never past that."""
    lines = iter(lines)
    header = [str(column).strip().lower() for column in next(lines, [])]
    if not any(header):
        raise CandidateImportError(["Le fichier est vide : la première ligne doit nommer les colonnes."])
    errors = []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        errors.append(f"Colonne(s) manquante(s) : {', '.join(missing)}.")
    unknown = [c for c in header if c and c not in COLUMNS]
    if unknown:
        errors.append(f"Colonne(s) inconnue(s) : {', '.join(unknown)} (colonnes possibles : {', '.join(COLUMNS)}).")
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    if repeated:
        errors.append(f"Colonne(s) en double : {', '.join(repeated)}.")
    if errors:
        raise CandidateImportError(errors)
    limit = settings.IMPORT_MAX_ROWS
    rows = []
    for number, values in enumerate(lines, start=2):
        # Every line read counts, blank or not: a file of millions of blank lines (a 419 Ko workbook holds
        # three million) is refused after ``limit`` of them, instead of being read to its end.
        if number - 1 > limit:
            raise CandidateImportError(
                [f"Le fichier compte plus de {limit} lignes : {limit} candidats au plus par import."]
            )
        if not any(str(v).strip() for v in values):
            continue
        stray = [(i, v) for i, v in enumerate(values) if v.strip() and (i >= len(header) or not header[i])]
        if stray:
            i, value = stray[0]
            column = get_column_letter(i + 1) if i < EXCEL_MAX_COLUMNS else f"n° {i + 1}"
            errors.append(
                f"Ligne {number} : valeur « {value[:50]} » en colonne {column}, "
                "qui n'a pas d'en-tête (séparateur ou guillemet en trop ?)."
            )
        rows.append((number, dict(zip(header, values, strict=False))))
    if errors:
        raise CandidateImportError(errors)
    if not rows:
        raise CandidateImportError(["Le fichier ne contient aucune ligne de candidat."])
    return rows


def _date(value, label, errors):
    value = value.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    errors.append(f"{label} « {value} » invalide (attendu JJ/MM/AAAA)")


def _by_code_or_label(enum):
    """A list's values as people write them: its French label (« Demandeur d'emploi ») or its code, whatever the
    case, to the code stored."""
    table = {}
    for code, label in enum.choices:
        table[str(code).lower()] = code
        table[str(label).lower()] = code
    return table


def _choice(value, enum):
    return _by_code_or_label(enum).get(value.strip().lower())


def _labels(enum):
    return " ; ".join(str(label) for label in enum.labels)


def _codes(value, enum, label, errors):
    table = _by_code_or_label(enum)
    given = [c.strip() for c in value.split("|") if c.strip()]
    unknown = [c for c in given if c.lower() not in table]
    if unknown:
        errors.append(f"{label} inconnu(s) : {', '.join(unknown)} (valeurs possibles : {_labels(enum)})")
    return [table[c.lower()] for c in given if c.lower() in table]


def _check_text(get, errors):
    """Free text is kept whole (never cut), never starts like a spreadsheet formula, and phones are phones."""
    for column, field in TEXT_FIELDS.items():
        limit = Candidate._meta.get_field(field).max_length
        if len(get[column]) > limit:
            errors.append(f"« {column} » dépasse {limit} caractères")
    for column in ("nom", "prenom", "email"):
        if get[column].startswith(FORMULA_PREFIXES):
            errors.append(f"« {column} » commence par « {get[column][0]} » comme une formule de tableur")
    phone = get["telephone"]
    if phone and not (PHONE.fullmatch(phone) and sum(c.isdigit() for c in phone) >= 6):
        errors.append(f"téléphone « {phone} » invalide (chiffres, espaces, points, « + » au début)")


class RowParser:
    """Turns one row into a Candidate (unsaved) plus its job titles, collecting French errors."""

    def __init__(self, organisation, actor):
        self.organisation, self.actor = organisation, actor
        self.communes = dict(Commune.objects.values_list("code_insee", "code_insee"))
        for code, postcodes in Commune.objects.values_list("code_insee", "postcodes"):
            for postcode in postcodes.split(";"):
                self.communes.setdefault(postcode.strip(), code)
        self.job_titles = set(JobTitle.objects.values_list("code_ogr", flat=True))
        # Appellations by their label too (« Maçon / Maçonne »), as the template shows them.
        self.job_title_labels = {}
        for code, label in JobTitle.objects.values_list("code_ogr", "label").order_by("code_ogr"):
            self.job_title_labels.setdefault(label.lower(), code)

    def parse(self, row):
        errors = []
        get = {column: str(row.get(column, "")).strip() for column in COLUMNS}
        for column in REQUIRED:
            if not get[column]:
                errors.append(f"« {column} » est obligatoire")
        _check_text(get, errors)
        candidate = Candidate(
            prescriber=self.organisation,
            created_by=self.actor,
            last_name=get["nom"],
            first_name=get["prenom"],
            phone=get["telephone"],
            email=get["email"],
            consent_text_version=settings.CANDIDATE_CONSENT_TEXT_VERSION,
        )
        if get["email"] and not get["email"].startswith(FORMULA_PREFIXES):
            try:
                validate_email(get["email"])
            except ValidationError:
                errors.append(f"e-mail « {get['email']} » invalide")
        if get["date_naissance"]:
            candidate.birth_date = _date(get["date_naissance"], "date de naissance", errors)
            if candidate.birth_date and (refusal := check_birth_date(candidate.birth_date, today=timezone.localdate())):
                errors.append(refusal[0].lower() + refusal[1:].rstrip("."))
        if get["date_consentement"]:
            consent = _date(get["date_consentement"], "date de consentement", errors)
            if consent and (refusal := check_consent_date(consent, today=timezone.localdate())):
                errors.append(refusal[0].lower() + refusal[1:].rstrip("."))
            elif consent:
                candidate.consent_at = timezone.make_aware(datetime.datetime.combine(consent, datetime.time(12)))
        if get["sexe"]:
            candidate.sex = SEX_CODES.get(get["sexe"].upper())
            if candidate.sex is None:
                errors.append(f"sexe « {get['sexe']} » invalide (F ou H)")
        if get["commune"]:
            candidate.commune_id = self.communes.get(get["commune"])
            if candidate.commune_id is None:
                errors.append(f"commune « {get['commune']} » inconnue (code INSEE ou code postal)")
        if get["situation"]:
            candidate.situation = _choice(get["situation"], Situation)
            if candidate.situation is None:
                errors.append(f"situation « {get['situation']} » inconnue (valeurs possibles : {_labels(Situation)})")
        candidate.level1_criteria = _codes(get["criteres_niveau1"], Level1Criterion, "critère(s) de niveau 1", errors)
        candidate.level2_criteria = _codes(get["criteres_niveau2"], Level2Criterion, "critère(s) de niveau 2", errors)
        if getattr(candidate, "birth_date", None):
            age_error = check_age_criteria(
                candidate.level2_criteria, birth_date=candidate.birth_date, on_day=timezone.localdate()
            )
            if age_error:
                errors.append(age_error[0].lower() + age_error[1:].rstrip("."))
        job_titles = []
        for code in filter(None, (c.strip() for c in get["appellations"].split("|"))):
            if code.isdigit() and int(code) in self.job_titles:
                job_titles.append(int(code))
            elif code.lower() in self.job_title_labels:
                job_titles.append(self.job_title_labels[code.lower()])
            else:
                errors.append(f"appellation ROME « {code} » inconnue")
        level = get["niveau_qualification"]
        if level in QualificationLevel.values:
            candidate.qualification_level = level
        elif level:
            errors.append(f"niveau de qualification « {level} » inconnu ({', '.join(QualificationLevel.values)})")
        candidate.french_level = FRENCH_CODES.get(get["niveau_francais"].upper())
        if candidate.french_level is None and get["niveau_francais"]:
            errors.append(f"niveau de français « {get['niveau_francais']} » inconnu (<A1, A1 à C2)")
        licence = get["permis"].lower()
        if licence not in YES | NO:
            errors.append(f"permis « {get['permis']} » invalide (oui ou non)")
        candidate.driving_licence = licence in YES
        distance = get["distance_max_km"] or "10"
        if distance.isdigit() and int(distance) <= 200:
            candidate.max_commute_km = int(distance)
        else:
            errors.append(f"distance maximale « {distance} » invalide (nombre de km, 200 au plus)")
        candidate.available_from = timezone.localdate()
        if get["disponible_le"]:
            candidate.available_from = _date(get["disponible_le"], "date de disponibilité", errors)
        candidate.wanted_contract_types = _codes(
            get["contrats_souhaites"], ContractType, "type(s) de contrat souhaité(s)", errors
        )
        hours = get["heures_souhaitees"]
        if hours.isdigit() and 1 <= int(hours) <= 48:
            candidate.wanted_weekly_hours = int(hours)
        elif hours:
            errors.append(f"heures souhaitées « {hours} » invalides (nombre d'heures par semaine, 48 au plus)")
        return candidate, job_titles, errors


def import_candidates(*, uploaded, organisation, actor):
    """Validates every row, then creates all candidates in one transaction, or raises ``CandidateImportError``
    listing every bad row (line numbers as in a spreadsheet: the header is line 1)."""
    rows = read_table(uploaded)
    parser = RowParser(organisation, actor)
    parsed, errors = [], []
    for number, row in rows:
        candidate, job_titles, row_errors = parser.parse(row)
        if row_errors:
            errors.append(f"Ligne {number} : {' ; '.join(row_errors)}.")
        parsed.append((candidate, job_titles))
    if errors:
        raise CandidateImportError(errors)
    return services.create_imported_candidates(
        rows=[(candidate, codes, line) for line, (candidate, codes) in enumerate(parsed, start=2)],
        actor=actor,
        organisation=organisation,
    )


# --- Large imports, in the task queue -------------------------------------------------------------


def runs_in_background(uploaded):
    """A file over ``IMPORT_BACKGROUND_BYTES`` is imported by the task queue, not while the request waits."""
    return uploaded.size > settings.IMPORT_BACKGROUND_BYTES


def run_import(job_id):
    """The worker's side: imports the file as the page would have, records the result, erases the file."""
    from audit import context

    job = CandidateImport.objects.select_related("organisation", "actor").get(pk=job_id)
    if job.state != ImportState.QUEUED:
        return job
    uploaded = SimpleUploadedFile(job.file_name, bytes(job.content))
    with context.using(context.Origin(**job.origin)) if job.origin else contextlib.nullcontext():
        try:
            created = import_candidates(uploaded=uploaded, organisation=job.organisation, actor=job.actor)
        except (ValidationError, PermissionDenied) as exc:
            job.state, job.errors = ImportState.REFUSED, getattr(exc, "messages", [str(exc)])
        else:
            job.state, job.created_count = ImportState.DONE, len(created)
    job.content, job.finished_at = b"", timezone.now()
    job.save(update_fields=["state", "errors", "created_count", "content", "finished_at"])
    return job
