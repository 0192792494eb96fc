"""What the audit log records, with French labels for the facilitator's page."""

from django.db import models


class AuditAction(models.TextChoices):
    # A candidate's personal data: every change, export and erasure.
    CANDIDATE_CREATED = "candidate_created", "Création d'une fiche candidat"
    CANDIDATE_IMPORTED = "candidate_imported", "Import d'une fiche candidat"
    CANDIDATE_UPDATED = "candidate_updated", "Modification d'une fiche candidat"
    CANDIDATE_EXPORTED = "candidate_exported", "Export des données d'un candidat (RGPD)"
    CANDIDATE_ANONYMISED = "candidate_anonymised", "Anonymisation d'un candidat"
    RETENTION_RUN = "retention_run", "Application de la durée de conservation"
    PLACEMENTS_EXPORTED = "placements_exported", "Export de la liste des mises à l'emploi"
    # Validations and state changes the hours counted rely on.
    ELIGIBILITY_CHECKED = "eligibility_checked", "Vérification d'éligibilité"
    SUBMISSION_MOVED = "submission_moved", "Changement d'état d'une candidature"
    PLACEMENT_VALIDATED = "placement_validated", "Validation d'une mise à l'emploi"
    PLACEMENT_REFUSED = "placement_refused", "Refus d'une mise à l'emploi"
    PLACEMENT_OUTCOME = "placement_outcome", "Sortie d'une mise à l'emploi"
    POSITION_MOVED = "position_moved", "Changement d'état d'une offre"
    HOURS_DECLARED = "hours_declared", "Déclaration d'heures"
    HOURS_VALIDATED = "hours_validated", "Validation d'heures"
    HOURS_REJECTED = "hours_rejected", "Refus d'heures"
    HOURS_CORRECTED = "hours_corrected", "Correction d'heures d'un marché clos"
    CLAUSE_SETTINGS_CHANGED = "clause_settings_changed", "Modification des valeurs de référence"
    CONTRACT_MOVED = "contract_moved", "Changement d'état d'un marché"
    CONTRACT_AWARDED = "contract_awarded", "Attribution d'un marché"
    # Information sessions: the session's own changes, and each person's way through it.
    SESSION_SAVED = "session_saved", "Programmation ou modification d'une information collective"
    SESSION_MOVED = "session_moved", "Changement d'état d'une information collective"
    INVITATION_MOVED = "invitation_moved", "Invitation à une information collective, réponse, présence ou suite"


class Channel(models.TextChoices):
    """Where an action came from."""

    WEB = "web", "Site"
    API = "api", "API"
    COMMAND = "command", "Commande"
    SYSTEM = "system", "Système"


class ErasureReason(models.TextChoices):
    """Why a person's data was anonymised: recorded with ``CANDIDATE_ANONYMISED``, shown by the log's page."""

    REQUEST = "request", "Demande de la personne (droit à l'effacement)"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Retrait du consentement"
    FOLLOW_UP_ENDED = "follow_up_ended", "Fin de l'accompagnement"
    RETENTION = "retention", "Durée de conservation écoulée"
