"""Import of DECP v2 files (données essentielles de la commande publique).

Both shapes found in real feeds are read: the regulatory ``{"marches": {"marche": [...]}}`` and the flat
``{"marches": [...]}``. Each *marché* with a social consideration becomes a draft contract keyed by its
DECP id (a second import creates nothing). Bad records are listed with their reasons in French and the
valid ones are imported together in one transaction. A record's buyer must be a buyer organisation
registered with the same SIRET; a buyer importing only gets its own records.
"""

import calendar
import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from stdnum.fr import siret as siret_number

from accounts import perms
from accounts.enums import OrganisationKind
from accounts.models import Organisation
from procurement.enums import Sector
from procurement.models import Contract
from procurement.services import size_clause

NO_SOCIAL_CONSIDERATION = "Pas de considération sociale"
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


def read_records(raw):
    """The list of *marché* records of a DECP file, whichever of the two shapes it has."""
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Le fichier n'est pas un JSON valide ({exc}).") from exc
    marches = data.get("marches") if isinstance(data, dict) else None
    if isinstance(marches, dict):
        marches = marches.get("marche", [])
    if not isinstance(marches, list):
        raise ValidationError("Ce fichier n'est pas au format DECP : la clé « marches » est absente.")
    return marches


def _unwrap(value, key):
    """DECP lists come bare (flat shape) or wrapped in a one-key object (regulatory shape)."""
    if isinstance(value, dict):
        value = value.get(key, [])
    return value if isinstance(value, list) else []


def social_considerations(record):
    values = _unwrap(record.get("considerationsSociales"), "considerationSociale")
    return [v for v in values if v and v != NO_SOCIAL_CONSIDERATION]


def _holders(record):
    holders = []
    for item in record.get("titulaires") or []:
        holders.append(item.get("titulaire", item) if isinstance(item, dict) else {})
    return holders


def _check(record, buyers, organisation):
    """(values for the contract, []) or (None, reasons)."""
    reasons = []
    for key, label in (("id", "identifiant"), ("objet", "objet"), ("dateNotification", "date de notification")):
        if not record.get(key):
            reasons.append(f"Champ obligatoire manquant : {label} ({key}).")
    buyer_siret = str((record.get("acheteur") or {}).get("id") or "")
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
        holder_id = str(holder.get("id") or "")
        if holder.get("typeIdentifiant", "SIRET") == "SIRET" and not siret_number.is_valid(holder_id):
            reasons.append(f"SIRET du titulaire invalide : « {holder_id} » (14 chiffres et clé de contrôle).")
    try:
        amount = Decimal(str(record.get("montant")))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        reasons.append("Montant manquant ou illisible (montant).")
    elif amount <= 0:
        reasons.append("Montant nul ou négatif : le nombre d'heures ne peut pas être calculé.")
    notified_on = None
    if record.get("dateNotification"):
        try:
            notified_on = datetime.date.fromisoformat(str(record["dateNotification"])[:10])
        except ValueError:
            reasons.append(f"Date de notification invalide : « {record['dateNotification']} ».")
    if reasons:
        return None, reasons
    months = record.get("dureeMois")
    cpv = str(record.get("codeCPV") or "")
    return {
        "buyer": buyer,
        "decp_id": str(record["id"]),
        "reference": str(record["id"])[:100],
        "title": str(record["objet"])[:500],
        "sector": CPV_SECTORS.get(cpv[:2], Sector.OTHER_SERVICES),
        "cpv_code": cpv[:10],
        "amount_excl_vat": amount,
        "notified_on": notified_on,
        "ends_on": add_months(notified_on, months) if isinstance(months, int) and months > 0 else None,
    }, []


def import_decp(*, raw, actor=None, organisation=None, dry_run=False, limit=None):
    """Imports the records of a DECP file with a social consideration as draft contracts.
    ``organisation`` None is the command line (as the facilitator); a buyer only imports its own."""
    if organisation is not None and not perms.can(organisation, "contract.import_decp"):
        raise PermissionDenied("Votre organisation ne peut pas importer de marchés.")
    records = read_records(raw)
    report = ImportReport()
    candidates = []
    for position, record in enumerate(records[:limit] if limit else records, start=1):
        if not isinstance(record, dict):
            report.rejected.append((f"n° {position}", ["Enregistrement illisible."]))
        elif social_considerations(record):
            candidates.append((position, record))
        else:
            report.without_social_consideration += 1
    sirets = {str((r.get("acheteur") or {}).get("id") or "") for _, r in candidates}
    buyers = Organisation.objects.of_kind(OrganisationKind.BUYER).in_bulk(sirets - {""}, field_name="siret")
    known = set(
        Contract.objects.filter(decp_id__in=[str(r.get("id")) for _, r in candidates]).values_list("decp_id", flat=True)
    )
    contracts, seen = [], set()
    for position, record in candidates:
        label = str(record.get("id") or f"n° {position}")
        if str(record.get("id")) in known or str(record.get("id")) in seen:
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
    report.created = contracts
    return report
