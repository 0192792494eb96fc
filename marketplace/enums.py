"""Choices of the marketplace, with the French terms of the trade (see domain.md)."""

from django.db import models


class ContractType(models.TextChoices):
    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
    TEMPORARY = "temporary", "Intérim"
    APPRENTICESHIP = "apprenticeship", "Contrat d'apprentissage"
    PROFESSIONALISATION = "professionalisation", "Contrat de professionnalisation"
    CDDI = "cddi", "CDDI"


class PositionState(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    OPEN = "open", "Ouverte"
    FILLED = "filled", "Pourvue"
    CLOSED = "closed", "Fermée"


class QualificationLevel(models.TextChoices):
    """French national levels of qualification (*nomenclature des diplômes*), ordered."""

    NONE = "0", "Sans diplôme"
    LEVEL_3 = "3", "Niveau 3 (CAP, BEP)"
    LEVEL_4 = "4", "Niveau 4 (baccalauréat)"
    LEVEL_5 = "5", "Niveau 5 (bac + 2)"
    LEVEL_6 = "6", "Niveau 6 et plus (licence et au-delà)"


class FrenchLevel(models.TextChoices):
    """Common European Framework of Reference (CECRL) levels, ordered; the values sort as the levels do."""

    BELOW_A1 = "0", "Inférieur à A1"
    A1 = "1", "A1"
    A2 = "2", "A2"
    B1 = "3", "B1"
    B2 = "4", "B2"
    C1 = "5", "C1"
    C2 = "6", "C2"


class Sex(models.TextChoices):
    FEMALE = "f", "Femme"
    MALE = "m", "Homme"


class Situation(models.TextChoices):
    JOB_SEEKER = "job_seeker", "Demandeur d'emploi"
    YOUNG_NEET = "young_neet", "Jeune sans emploi ni formation"
    MINIMUM_INCOME = "minimum_income", "Allocataire de minima sociaux sans emploi"
    PRECARIOUS_JOB = "precarious_job", "En emploi précaire ou à temps partiel subi"
    TRAINING = "training", "En formation"
    OTHER = "other", "Autre situation"


class Level1Criterion(models.TextChoices):
    """One verified level-1 criterion makes a person eligible."""

    RSA = "rsa", "Bénéficiaire du RSA"
    ASS = "ass", "Bénéficiaire de l'ASS"
    AAH = "aah", "Bénéficiaire de l'AAH"
    VERY_LONG_TERM_JOB_SEEKER = "very_long_term_job_seeker", "Demandeur d'emploi de très longue durée (24 mois et plus)"


class Level2Criterion(models.TextChoices):
    """Enough verified level-2 criteria (``settings.ELIGIBILITY_LEVEL2_MIN``) make a person eligible."""

    LOW_QUALIFICATION = "low_qualification", "Niveau de formation 3 ou infra (CAP/BEP ou sans diplôme)"
    OVER_50 = "over_50", "Senior (plus de 50 ans)"
    UNDER_26 = "under_26", "Jeune (moins de 26 ans)"
    CHILD_WELFARE = "child_welfare", "Sortant de l'Aide sociale à l'enfance (ASE)"
    LONG_TERM_JOB_SEEKER = "long_term_job_seeker", "Demandeur d'emploi de longue durée (12 à 24 mois)"
    DISABLED_WORKER = "disabled_worker", "Travailleur handicapé (RQTH)"
    SINGLE_PARENT = "single_parent", "Parent isolé"
    HOMELESS = "homeless", "Sans hébergement ou hébergé"
    REFUGEE = "refugee", "Réfugié ou demandeur d'asile"
    QPV_ZRR = "qpv_zrr", "Résident d'un QPV ou d'une ZRR"
    JUSTICE = "justice", "Sortant de détention ou sous main de justice"
    FRENCH_BELOW_A1 = "french_below_a1", "Maîtrise de la langue française inférieure au niveau A1"
    MOBILITY = "mobility", "Problème de mobilité"


class ProofKind(models.TextChoices):
    CAF_CERTIFICATE = "caf_certificate", "Attestation CAF / MSA"
    FRANCE_TRAVAIL_CERTIFICATE = "france_travail_certificate", "Attestation France Travail"
    MDPH_NOTIFICATION = "mdph_notification", "Notification MDPH"
    IDENTITY_DOCUMENT = "identity_document", "Pièce d'identité"
    PROOF_OF_ADDRESS = "proof_of_address", "Justificatif de domicile"
    DIPLOMA = "diploma", "Diplôme ou attestation de niveau"
    ASE_CERTIFICATE = "ase_certificate", "Attestation de l'ASE"
    JUSTICE_DOCUMENT = "justice_document", "Document du SPIP ou de la PJJ"
    OFPRA_DOCUMENT = "ofpra_document", "Document OFPRA / titre de séjour"
    PRESCRIBER_CERTIFICATE = "prescriber_certificate", "Attestation du prescripteur"
    SWORN_STATEMENT = "sworn_statement", "Déclaration sur l'honneur"


class SubmissionState(models.TextChoices):
    SUBMITTED = "submitted", "Proposée"
    PRESELECTED = "preselected", "Présélectionnée"
    SENT_TO_COMPANY = "sent_to_company", "Transmise à l'entreprise"
    INTERVIEW = "interview", "Entretien"
    HIRED = "hired", "Embauché"
    REFUSED = "refused", "Refusée"
    WITHDRAWN = "withdrawn", "Retirée"


class RefusalReason(models.TextChoices):
    PROFILE_MISMATCH = "profile_mismatch", "Profil ne correspondant pas au poste"
    MISSING_QUALIFICATION = "missing_qualification", "Qualification ou expérience insuffisante"
    NOT_ELIGIBLE = "not_eligible", "Candidat non éligible à la clause"
    NOT_AVAILABLE = "not_available", "Candidat non disponible"
    CANDIDATE_DECLINED = "candidate_declined", "Le candidat a décliné"
    NO_SHOW = "no_show", "Absence à l'entretien"
    POSITION_FILLED = "position_filled", "Poste déjà pourvu"
    REDIRECTED = "redirected", "Réorientation vers un autre parcours"
    OTHER = "other", "Autre motif"


class PlacementState(models.TextChoices):
    PENDING = "pending", "En attente de validation"
    VALIDATED = "validated", "Validée"
    REFUSED = "refused", "Refusée"


class PlacementOutcome(models.TextChoices):
    """Where the person stands at the end of the placement; the first three are durable exits."""

    CDI = "cdi", "CDI"
    LONG_CDD = "long_cdd", "CDD de 6 mois ou plus"
    QUALIFYING_TRAINING = "qualifying_training", "Formation qualifiante"
    SHORT_CONTRACT = "short_contract", "CDD de moins de 6 mois ou intérim"
    SUBSIDISED_CONTRACT = "subsidised_contract", "Contrat aidé ou parcours d'insertion"
    JOB_SEEKING = "job_seeking", "En recherche d'emploi"
    DROPPED_OUT = "dropped_out", "Abandon ou rupture"
    OTHER = "other", "Autre"


DURABLE_OUTCOMES = frozenset({PlacementOutcome.CDI, PlacementOutcome.LONG_CDD, PlacementOutcome.QUALIFYING_TRAINING})


class SessionState(models.TextChoices):
    """An information session (*information collective*): planned, then held once attendance is recorded."""

    PLANNED = "planned", "Programmée"
    HELD = "held", "Tenue"
    CANCELLED = "cancelled", "Annulée"


class InvitationState(models.TextChoices):
    """A person's way through an information session, from the invitation to its outcome; a hire is read
    from the submission the session moved along (``SessionInvitation.submission``)."""

    INVITED = "invited", "En attente de réponse"
    CONFIRMED = "confirmed", "Venue confirmée"
    DECLINED = "declined", "Déclinée"
    WITHDRAWN = "withdrawn", "Invitation retirée"
    PRESENT = "present", "Présente"
    ABSENT = "absent", "Absente"
    PRESELECTED = "preselected", "Présélectionnée"
    SENT = "sent", "Transmise à l'entreprise"
    NOT_RETAINED = "not_retained", "Non retenue"
    REDIRECTED = "redirected", "Réorientée"


class Redirection(models.TextChoices):
    """Where the facilitator sends a person the session's positions do not suit."""

    TRAINING = "training", "Formation"
    OTHER_OFFER = "other_offer", "Autre offre d'emploi"
    OTHER_PROGRAMME = "other_programme", "Autre dispositif d'accompagnement"


class RedirectionOutcome(models.TextChoices):
    """What came of a redirection, recorded later (the MEP reports jobs, training and VAE reached, and those
    still followed)."""

    JOB = "job", "Emploi"
    TRAINING = "training", "Formation"
    VAE = "vae", "Validation des acquis de l'expérience (VAE)"
    STILL_FOLLOWED = "still_followed", "Toujours accompagnée"
    NO_FOLLOW_UP = "no_follow_up", "Sans suite"


class ImportState(models.TextChoices):
    QUEUED = "queued", "En cours"
    DONE = "done", "Terminé"
    REFUSED = "refused", "Refusé"
