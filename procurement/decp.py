"""Import of DECP v2 files (données essentielles de la commande publique).

Both shapes found in real feeds are read: the regulatory ``{"marches": {"marche": [...]}}`` and the flat
``{"marches": [...]}``. Each *marché* with a social consideration becomes a draft contract keyed by its
DECP id (a second import creates nothing). Bad records are listed with their reasons in French and the
valid ones are imported together in one transaction. A record's buyer must be a buyer organisation
registered with the same SIRET; a buyer importing only gets its own records.
"""

import calendar
import codecs
import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from stdnum.fr import siret as siret_number

from accounts import perms
from accounts.enums import OrganisationKind
from accounts.models import Organisation
from common.db import analyze
from common.uploads import check_size
from procurement.enums import Sector
from procurement.models import Contract
from procurement.services import size_clause

NO_SOCIAL_CONSIDERATION = "Pas de considération sociale"
# What a contract can hold: its DECP id and amount (``Contract.decp_id``, ``Contract.amount_excl_vat``).
MAX_ID_LENGTH = 100
MAX_AMOUNT = 10**12
# JSON writes a NUL character as this escape; no database text can hold one (PostgreSQL refuses it).
NUL_ESCAPE = re.compile(r"\\u0000", re.IGNORECASE)
# CPV division (two first digits) -> sector; anything else falls into « Autres services ».
CPV_SECTORS = {
    "22": Sector.PRINTING,
    "30": Sector.IT,
    "39": Sector.TEXTILE,
    "45": Sector.BUILDING,
    "48": Sector.IT,
    "50": Sector.FACILITY_MAINTENANCE,
    "55": Sector.CATERING,
    "60": Sector.LOGISTICS,
    "63": Sector.LOGISTICS,
    "64": Sector.MAIL,
    "72": Sector.IT,
    "77": Sector.GREEN_SPACES,
    "79": Sector.OTHER_SERVICES,
    "80": Sector.TRAINING,
    "90": Sector.CLEANING,
    "98": Sector.OTHER_SERVICES,
}


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    already_imported: list = field(default_factory=list)
    without_social_consideration: int = 0
    # (record id or position, [reasons])
    rejected: list = field(default_factory=list)

    @property
    def summary(self):
        return (
            f"{len(self.created)} marché(s) importé(s), {len(self.already_imported)} déjà importé(s), "
            f"{self.without_social_consideration} sans considération sociale, {len(self.rejected)} en erreur."
        )


def add_months(day, months):
    """The same day ``months`` later, clamped to the end of shorter months."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def read_upload(upload):
    """The bytes of an uploaded DECP file, its size checked before it is read."""
    check_size(upload.size, limit=settings.IMPORT_MAX_BYTES)
    upload.seek(0)
    return upload.read()


def read_path(path):
    """The bytes of a DECP file on disk (``import_decp`` command), its size checked before it is read."""
    check_size(path.stat().st_size, limit=settings.IMPORT_MAX_BYTES)
    return path.read_bytes()


def _decode(raw):
    """JSON is UTF-8 (a byte order mark is tolerated, UTF-16 with its mark too); anything else is refused."""
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        text = raw.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"Le fichier n'est pas un texte UTF-8, comme le format DECP l'exige (octet n° {exc.start + 1} illisible)."
        ) from exc
    nul = NUL_ESCAPE.search(text)
    if nul:
        line = text.count("\n", 0, nul.start()) + 1
        raise ValidationError(
            f"Le fichier contient un caractère nul (\\u0000) ligne {line} : ce n'est pas une donnée DECP valide."
        )
    start = text.lstrip()[:1]
    if start == "<":
        raise ValidationError("Le fichier est au format XML : seul le format JSON des DECP est accepté.")
    if start not in ("{", "["):
        raise ValidationError("Le fichier n'est pas un fichier JSON (il doit commencer par « { »).")
    return text


def read_records(raw, *, limit=None):
    """The list of *marché* records of a DECP file, whichever of the two shapes it has, its records decoded one
    by one and counted: past ``IMPORT_MAX_ROWS`` the file is refused there, unless ``limit`` (the command's
    ``--limit``) keeps only the first ones. A file holding far more values than that many records could is refused
    before it is parsed: three million empty records in 10 Mo cost a worker a second and 260 Mo."""
    text = _decode(raw)
    most = settings.IMPORT_MAX_ROWS
    if text.count(",") > most * MAX_VALUES_PER_RECORD:
        raise ValidationError(f"Le fichier compte bien plus de valeurs que {most} marchés n'en ont : {most} au plus.")
    try:
        data, end = _Reader(text, limit=limit, most=most).value(0, ())
        if _skip(text, end) != len(text):
            raise json.JSONDecodeError("Extra data", text, _skip(text, end))
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"Le fichier n'est pas un JSON valide : erreur ligne {exc.lineno}, colonne {exc.colno}."
        ) from exc
    except RecursionError as exc:
        raise ValidationError("Le JSON est imbriqué trop profondément pour être un fichier DECP.") from exc
    marches = data.get("marches") if isinstance(data, dict) else None
    if isinstance(marches, dict):
        marches = _unwrap(marches, "marche")
    if not isinstance(marches, list):
        raise ValidationError("Ce fichier n'est pas au format DECP : la clé « marches » est absente.")
    return marches


# A DECP record holds a few dozen values (fields, holders, modifications): a hundred times more is no DECP file.
MAX_VALUES_PER_RECORD = 200
WHITESPACE = re.compile(r"[ \t\n\r]*")
# Where the records' list sits in the two shapes: {"marches": [...]} and {"marches": {"marche": [...]}}.
RECORD_LISTS = {("marches",), ("marches", "marche")}


def _skip(text, position):
    return WHITESPACE.match(text, position).end()


class _Reader:
    """Reads the file's outer objects key by key and the records' list one record at a time (``json``'s own
    decoder for each record), counting them; every other value is decoded whole, as ``json.loads`` would."""

    def __init__(self, text, *, limit, most):
        self.text, self.limit, self.most = text, limit, most
        self.decoder = json.JSONDecoder()

    def value(self, position, path):
        position = _skip(self.text, position)
        opening = self.text[position : position + 1]
        if opening == "{" and len(path) < 2:
            return self.object(position, path)
        if opening == "[" and path in RECORD_LISTS:
            return self.records(position)
        return self.decoder.raw_decode(self.text, position)

    def object(self, position, path):
        text, result = self.text, {}
        position = _skip(text, position + 1)
        if text.startswith("}", position):
            return result, position + 1
        while True:
            if not text.startswith('"', position):
                raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, position)
            key, position = self.decoder.raw_decode(text, position)
            position = _skip(text, position)
            if not text.startswith(":", position):
                raise json.JSONDecodeError("Expecting ':' delimiter", text, position)
            result[key], position = self.value(position + 1, (*path, key))
            position = _skip(text, position)
            if text.startswith(",", position):
                position = _skip(text, position + 1)
            elif text.startswith("}", position):
                return result, position + 1
            else:
                raise json.JSONDecodeError("Expecting ',' delimiter", text, position)

    def records(self, position):
        text, records = self.text, []
        position = _skip(text, position + 1)
        if text.startswith("]", position):
            return records, position + 1
        read = 0
        while True:
            if read == self.most and self.limit is None:
                raise ValidationError(
                    f"Le fichier compte plus de {self.most} marchés : {self.most} au plus par import."
                )
            record, position = self.decoder.raw_decode(text, position)
            read += 1
            if self.limit is None or read <= self.limit:  # those past --limit are read, not kept
                records.append(record)
            position = _skip(text, position)
            if text.startswith(",", position):
                position = _skip(text, position + 1)
            elif text.startswith("]", position):
                return records, position + 1
            else:
                raise json.JSONDecodeError("Expecting ',' delimiter", text, position)


def _unwrap(value, key):
    """DECP lists come bare (flat shape) or wrapped in a one-key object (regulatory shape), and a list of one
    item converted from XML often comes as that item alone."""
    if isinstance(value, dict):
        value = value.get(key, [])
    if isinstance(value, (str, dict)):
        value = [value]
    return value if isinstance(value, list) else []


def _text(value):
    """A string or number of the file as text, "" for anything else (lists, objects, booleans, null)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return str(value).strip()


def _object(value):
    return value if isinstance(value, dict) else {}


def social_considerations(record):
    values = _unwrap(record.get("considerationsSociales"), "considerationSociale")
    return [v for v in values if isinstance(v, str) and v and v != NO_SOCIAL_CONSIDERATION]


def _buyer_siret(record):
    return _text(_object(record.get("acheteur")).get("id"))


def _holders(record):
    return [_object(_object(item).get("titulaire", item)) for item in _unwrap(record.get("titulaires"), "titulaire")]


def _check(record, buyers, organisation):
    """(values for the contract, []) or (None, reasons)."""
    reasons = []
    for key, label in (("id", "identifiant"), ("objet", "objet"), ("dateNotification", "date de notification")):
        if not _text(record.get(key)):
            reasons.append(f"Champ obligatoire manquant : {label} ({key}).")
    if len(_text(record.get("id"))) > MAX_ID_LENGTH:
        reasons.append(f"Identifiant trop long : {MAX_ID_LENGTH} caractères au plus (id).")
    buyer_siret = _buyer_siret(record)
    buyer = None
    if not buyer_siret:
        reasons.append("Champ obligatoire manquant : SIRET de l'acheteur (acheteur.id).")
    elif not siret_number.is_valid(buyer_siret):
        reasons.append(f"SIRET de l'acheteur invalide : « {buyer_siret} » (14 chiffres et clé de contrôle).")
    else:
        buyer = buyers.get(buyer_siret)
        if buyer is None:
            reasons.append(f"Aucun donneur d'ordre inscrit n'a le SIRET {buyer_siret}.")
        elif organisation is not None and not perms.sees_everything(organisation) and buyer != organisation:
            reasons.append(f"Ce marché appartient à un autre donneur d'ordre (SIRET {buyer_siret}).")
    for holder in _holders(record):
        holder_id = _text(holder.get("id"))
        if holder.get("typeIdentifiant", "SIRET") == "SIRET" and not siret_number.is_valid(holder_id):
            reasons.append(f"SIRET du titulaire invalide : « {holder_id} » (14 chiffres et clé de contrôle).")
    try:
        amount = Decimal(_text(record.get("montant")))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        reasons.append("Montant manquant ou illisible (montant).")
    elif amount <= 0:
        reasons.append("Montant nul ou négatif : le nombre d'heures ne peut pas être calculé.")
    elif amount >= MAX_AMOUNT:
        reasons.append("Montant hors limites : moins de mille milliards d'euros attendus (montant).")
    notified_on = ends_on = None
    if _text(record.get("dateNotification")):
        try:
            notified_on = datetime.date.fromisoformat(_text(record["dateNotification"])[:10])
        except ValueError:
            reasons.append(f"Date de notification invalide : « {_text(record['dateNotification'])[:30]} ».")
    months = record.get("dureeMois")
    if months is not None and notified_on is not None:
        try:
            if isinstance(months, bool) or not isinstance(months, int) or months <= 0:
                raise ValueError
            ends_on = add_months(notified_on, months)
        except (ValueError, OverflowError):
            reasons.append(f"Durée invalide : « {_text(months)[:30]} » (nombre entier de mois, dureeMois).")
    if reasons:
        return None, reasons
    cpv = _text(record.get("codeCPV"))
    return {
        "buyer": buyer,
        "decp_id": _text(record["id"]),
        "reference": _text(record["id"]),
        "title": _text(record["objet"])[:500],
        "sector": CPV_SECTORS.get(cpv[:2], Sector.OTHER_SERVICES),
        "cpv_code": cpv[:10],
        "amount_excl_vat": amount.quantize(Decimal("0.01")),
        "notified_on": notified_on,
        "ends_on": ends_on,
    }, []


def import_decp(*, raw, actor=None, organisation=None, dry_run=False, limit=None):
    """Imports the records of a DECP file with a social consideration as draft contracts.
    ``organisation`` None is the command line (as the facilitator); a buyer only imports its own."""
    if organisation is not None and not perms.can(organisation, "contract.import_decp"):
        raise PermissionDenied("Votre organisation ne peut pas importer de marchés.")
    records = read_records(raw, limit=limit)
    report = ImportReport()
    candidates = []
    for position, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            report.rejected.append((f"n° {position}", ["Enregistrement illisible."]))
        elif social_considerations(record):
            candidates.append((position, record))
        else:
            report.without_social_consideration += 1
    sirets = {_buyer_siret(r) for _, r in candidates}
    buyers = Organisation.objects.of_kind(OrganisationKind.BUYER).in_bulk(sirets - {""}, field_name="siret")
    ids = {_text(r.get("id")) for _, r in candidates} - {""}
    known = set(Contract.objects.filter(decp_id__in=ids).values_list("decp_id", flat=True))
    contracts, seen = [], set()
    for position, record in candidates:
        label = _text(record.get("id"))[:MAX_ID_LENGTH] or f"n° {position}"
        if label in known or label in seen:
            report.already_imported.append(label)
            continue
        values, reasons = _check(record, buyers, organisation)
        if reasons:
            report.rejected.append((label, reasons))
            continue
        seen.add(values["decp_id"])
        contracts.append(size_clause(Contract(created_by=actor, **values)))
    if not dry_run:
        with transaction.atomic():
            for contract in contracts:
                contract.save()
            analyze(Contract)
    report.created = contracts
    return report
