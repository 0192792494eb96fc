from django.db import models


class Sector(models.TextChoices):
    """The facilitators' sectors (the MEP counted 17)."""

    BUILDING = "building", "Bâtiment"
    PUBLIC_WORKS = "public_works", "Travaux publics"
    GREEN_SPACES = "green_spaces", "Espaces verts"
    FACILITY_MAINTENANCE = "facility_maintenance", "Maintenance et entretien des bâtiments"
    CLEANING = "cleaning", "Propreté et nettoyage"
    REMOVALS = "removals", "Déménagement"
    WASTE = "waste", "Collecte et traitement des déchets"
    CATERING = "catering", "Restauration"
    MAIL = "mail", "Tri et distribution du courrier"
    PRINTING = "printing", "Imprimerie"
    TRAINING = "training", "Formation"
    SECURITY = "security", "Sécurité et gardiennage"
    RECEPTION = "reception", "Accueil"
    LOGISTICS = "logistics", "Logistique et transport"
    IT = "it", "Informatique et numérique"
    TEXTILE = "textile", "Textile et blanchisserie"
    OTHER_SERVICES = "other_services", "Autres services"


class ContractState(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Soumis au facilitateur"
    CONFIRMED = "confirmed", "Heures confirmées"
    AWARDED = "awarded", "Attribué"
    IN_PROGRESS = "in_progress", "En cours d'exécution"
    CLOSED = "closed", "Clos"


class Modality(models.TextChoices):
    """How a company delivers its insertion hours (see domain.md)."""

    DIRECT_HIRE = "direct_hire", "Embauche directe"
    ETTI = "etti", "Mise à disposition par une ETTI"
    AI_GEIQ = "ai_geiq", "Mise à disposition par une AI / un GEIQ"
    SIAE_SUBCONTRACTING = "siae_subcontracting", "Sous-traitance / co-traitance avec une SIAE"
    TRAINING = "training", "Formation préalable à l'embauche"


class AwardRole(models.TextChoices):
    HOLDER = "holder", "Titulaire"
    CO_CONTRACTOR = "co_contractor", "Co-traitant"


class OrderKind(models.TextChoices):
    """How a company brings an SIAE into a contract."""

    SUBCONTRACTING = "subcontracting", "Sous-traitance"
    CO_CONTRACTING = "co_contracting", "Co-traitance"
    STAFF_PROVISION = "staff_provision", "Mise à disposition de personnel (ETTI, AI, GEIQ)"


class StatementState(models.TextChoices):
    DECLARED = "declared", "Déclaré"
    VALIDATED = "validated", "Validé"
    REJECTED = "rejected", "Refusé"


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Pas encore commencé"
    ON_TRACK = "on_track", "Dans les temps"
    LATE = "late", "En retard"
    DONE = "done", "Objectif atteint"


class ProofKind(models.TextChoices):
    PAYSLIP = "payslip", "Bulletin de paie"
    TIMESHEET = "timesheet", "Relevé d'heures"
    INVOICE = "invoice", "Facture"


# Modalities through which hours come from an SIAE (counted apart in reports).
SIAE_MODALITIES = (Modality.ETTI, Modality.AI_GEIQ, Modality.SIAE_SUBCONTRACTING)
