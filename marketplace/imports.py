"""Import of a prescriber's pool from CSV or XLSX: every bad row is reported with its line number and
its reasons in French, and nothing is written while any row is bad.

Columns (first line): nom, prenom, date_naissance (JJ/MM/AAAA or AAAA-MM-JJ), sexe (F/H), commune
(INSEE code or postcode), email, telephone, date_consentement, situation, criteres_niveau1,
criteres_niveau2, appellations (ROME OGR codes), niveau_qualification (0, 3 to 6), niveau_francais (<A1, A1..C2),
permis (oui/non), distance_max_km, disponible_le. Lists are separated by « | ».
"""

import datetime
import io

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from marketplace import services
from marketplace.enums import (
    ContractType,
    FrenchLevel,
    Level1Criterion,
    Level2Criterion,
    QualificationLevel,
    Sex,
    Situation,
)
from marketplace.models import Candidate
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
MAX_ROWS = 5000
SEX_CODES = {"F": Sex.FEMALE, "H": Sex.MALE, "M": Sex.MALE}
FRENCH_CODES = {label.upper(): value for value, label in FrenchLevel.choices if len(label) == 2} | {
    "<A1": FrenchLevel.BELOW_A1
}
YES, NO = {"oui", "o", "1", "vrai", "true", "x"}, {"non", "n", "0", "faux", "false", ""}


class CandidateImportError(ValidationError):
    """Carries every error, one French sentence per bad row or missing column."""


def read_table(uploaded):
    """A DataFrame of strings from a CSV (``;`` or ``,``, UTF-8) or XLSX upload."""
    name = uploaded.name.lower()
    data = uploaded.read()
    try:
        if name.endswith(".xlsx"):
            frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
        elif name.endswith(".csv"):
            frame = pd.read_csv(
                io.BytesIO(data), dtype=str, keep_default_na=False, sep=None, engine="python", encoding="utf-8-sig"
            )
        else:
            raise CandidateImportError(["Le fichier doit être au format CSV ou XLSX."])
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise CandidateImportError([f"Le fichier n'a pas pu être lu : {exc}"]) from exc
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


def _date(value, label, errors):
    value = value.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    errors.append(f"{label} « {value} » invalide (attendu JJ/MM/AAAA)")


def _codes(value, enum, label, errors):
    codes = [c.strip() for c in value.split("|") if c.strip()]
    unknown = [c for c in codes if c not in enum.values]
    if unknown:
        errors.append(f"{label} inconnu(s) : {', '.join(unknown)}")
    return [c for c in codes if c in enum.values]


class RowParser:
    """Turns one row into a Candidate (unsaved) plus its job titles, collecting French errors."""

    def __init__(self, organisation, actor):
        self.organisation, self.actor = organisation, actor
        self.communes = dict(Commune.objects.values_list("code_insee", "code_insee"))
        for code, postcodes in Commune.objects.values_list("code_insee", "postcodes"):
            for postcode in postcodes.split(";"):
                self.communes.setdefault(postcode.strip(), code)
        self.job_titles = set(JobTitle.objects.values_list("code_ogr", flat=True))

    def parse(self, row):
        errors = []
        get = {column: str(row.get(column, "")).strip() for column in COLUMNS}
        for column in REQUIRED:
            if not get[column]:
                errors.append(f"« {column} » est obligatoire")
        candidate = Candidate(
            prescriber=self.organisation,
            created_by=self.actor,
            last_name=get["nom"][:100],
            first_name=get["prenom"][:100],
            phone=get["telephone"][:20],
            email=get["email"],
            consent_text_version=settings.CANDIDATE_CONSENT_TEXT_VERSION,
        )
        if get["email"]:
            try:
                validate_email(get["email"])
            except ValidationError:
                errors.append(f"e-mail « {get['email']} » invalide")
        if get["date_naissance"]:
            candidate.birth_date = _date(get["date_naissance"], "date de naissance", errors)
        if get["date_consentement"]:
            consent = _date(get["date_consentement"], "date de consentement", errors)
            if consent and consent > timezone.localdate():
                errors.append("la date de consentement est dans le futur")
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
            if get["situation"] in Situation.values:
                candidate.situation = get["situation"]
            else:
                errors.append(f"situation « {get['situation']} » inconnue ({', '.join(Situation.values)})")
        candidate.level1_criteria = _codes(get["criteres_niveau1"], Level1Criterion, "critère(s) de niveau 1", errors)
        candidate.level2_criteria = _codes(get["criteres_niveau2"], Level2Criterion, "critère(s) de niveau 2", errors)
        job_titles = []
        for code in filter(None, (c.strip() for c in get["appellations"].split("|"))):
            if code.isdigit() and int(code) in self.job_titles:
                job_titles.append(int(code))
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
    frame = read_table(uploaded)
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise CandidateImportError([f"Colonne(s) manquante(s) : {', '.join(missing)}."])
    if frame.empty:
        raise CandidateImportError(["Le fichier ne contient aucune ligne de candidat."])
    if len(frame) > MAX_ROWS:
        raise CandidateImportError([f"Le fichier compte {len(frame)} lignes : {MAX_ROWS} au plus par import."])
    parser = RowParser(organisation, actor)
    parsed, errors = [], []
    for index, row in enumerate(frame.to_dict("records"), start=2):
        candidate, job_titles, row_errors = parser.parse(row)
        if row_errors:
            errors.append(f"Ligne {index} : {' ; '.join(row_errors)}.")
        parsed.append((candidate, job_titles))
    if errors:
        raise CandidateImportError(errors)
    return services.create_imported_candidates(
        rows=[(candidate, codes, line) for line, (candidate, codes) in enumerate(parsed, start=2)],
        actor=actor,
        organisation=organisation,
    )
