from django.db import models


class OrganisationKind(models.TextChoices):
    BUYER = "buyer", "Donneur d'ordre"
    COMPANY = "company", "Entreprise"
    PRESCRIBER = "prescriber", "Prescripteur"
    SIAE = "siae", "SIAE"
    FACILITATOR = "facilitator", "Facilitateur"


class PrescriberKind(models.TextChoices):
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    PLIE = "plie", "PLIE"
    CAP_EMPLOI = "cap_emploi", "Cap emploi"
    CCAS = "ccas", "CCAS / Espace insertion"
    E2C = "e2c", "École de la deuxième chance (E2C)"
    EPIDE = "epide", "EPIDE"
    ASSOCIATION = "association", "Association"
    OTHER = "other", "Autre prescripteur"


class SiaeKind(models.TextChoices):
    EI = "ei", "EI – Entreprise d'insertion"
    ETTI = "etti", "ETTI – Entreprise de travail temporaire d'insertion"
    EITI = "eiti", "EITI – Entreprise d'insertion par le travail indépendant"
    AI = "ai", "AI – Association intermédiaire"
    ACI = "aci", "ACI – Atelier et chantier d'insertion"
    GEIQ = "geiq", "GEIQ – Groupement d'employeurs pour l'insertion et la qualification"
    EA = "ea", "EA – Entreprise adaptée"
    ESAT = "esat", "ESAT – Établissement et service d'accompagnement par le travail"


class OrganisationStatus(models.TextChoices):
    """A self-registered organisation acts once the facilitator approved it; the others are approved from the start."""

    PENDING = "pending", "En attente de validation"
    APPROVED = "approved", "Validée"
    REFUSED = "refused", "Refusée"
