"""The API documentation in French: each operation's group, summary and description, in one table read by a
drf-spectacular hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``), so that no developer's docstring
(English, naming internals) reaches the people reading /api/docs/. tests/api/test_docs.py checks that every
operation of the schema is described here."""

# (method, path) -> (group, summary, description)
OPERATIONS = {
    ("post", "/api/v1/auth/token/"): (
        "Authentification",
        "Obtenir son jeton d'API",
        "Échange l'e-mail et le mot de passe d'un compte (et son code à usage unique si la double authentification "
        "est exigée) contre son jeton, à envoyer ensuite dans l'en-tête « Authorization: Token <jeton> ».",
    ),
    ("get", "/api/v1/me/"): (
        "Authentification",
        "Mon compte",
        "Le compte de l'appelant et les organisations pour lesquelles il agit.",
    ),
    ("get", "/api/v1/contracts/"): (
        "Marchés",
        "Lister les marchés",
        "Les marchés à clause sociale que voit l'organisation : ceux d'un donneur d'ordre, ceux attribués à une "
        "entreprise, tous pour le facilitateur.",
    ),
    ("post", "/api/v1/contracts/"): (
        "Marchés",
        "Enregistrer un marché",
        "Un donneur d'ordre (ou le facilitateur pour lui) enregistre un marché en brouillon ; les heures "
        "d'insertion sont calculées (montant × part de main-d'œuvre × taux ÷ coût horaire) ou saisies.",
    ),
    ("get", "/api/v1/contracts/{id}/"): ("Marchés", "Lire un marché", "Un marché, sa clause et son état."),
    ("put", "/api/v1/contracts/{id}/"): (
        "Marchés",
        "Remplacer un marché",
        "Tant qu'il est en brouillon (ou soumis, pour le facilitateur).",
    ),
    ("patch", "/api/v1/contracts/{id}/"): (
        "Marchés",
        "Modifier un marché",
        "Tant qu'il est en brouillon (ou soumis, pour le facilitateur).",
    ),
    ("post", "/api/v1/contracts/{id}/award/"): (
        "Marchés",
        "Attribuer un marché",
        "Les entreprises attributaires, par SIRET, et leur part des heures d'insertion (le total doit être celui "
        "du marché).",
    ),
    ("get", "/api/v1/contracts/{id}/progress/"): (
        "Marchés",
        "Avancement d'un marché",
        "Heures dues, déclarées et validées, par modalité et par mois, projection à la date de fin.",
    ),
    ("post", "/api/v1/contracts/{id}/transition/"): (
        "Marchés",
        "Changer l'état d'un marché",
        "Soumettre au facilitateur, confirmer les heures, démarrer l'exécution, clore : seuls les changements "
        "permis à l'organisation dans l'état du marché sont acceptés.",
    ),
    ("get", "/api/v1/siae/"): (
        "SIAE",
        "Annuaire des SIAE",
        "Les structures d'insertion, leurs secteurs et les communes qu'elles desservent.",
    ),
    ("get", "/api/v1/siae/{id}/"): ("SIAE", "Lire la fiche d'une SIAE", "Une structure de l'annuaire."),
    ("get", "/api/v1/siae-orders/"): (
        "SIAE",
        "Lister les commandes aux SIAE",
        "Celles qu'une entreprise a passées, qu'une SIAE a reçues, sur les marchés d'un donneur d'ordre ; "
        "toutes pour le facilitateur.",
    ),
    ("post", "/api/v1/siae-orders/"): (
        "SIAE",
        "Enregistrer une commande à une SIAE",
        "Une entreprise attributaire d'un marché en exécution enregistre une sous-traitance, une co-traitance ou "
        "une mise à disposition ; ses heures comptent pour la clause.",
    ),
    ("get", "/api/v1/siae-orders/{id}/"): ("SIAE", "Lire une commande à une SIAE", "Une commande et ses heures."),
    ("get", "/api/v1/hours/"): (
        "Heures",
        "Lister les relevés d'heures",
        "Les relevés que voit l'organisation : les siens pour une entreprise, ceux de ses marchés pour un "
        "donneur d'ordre, tous pour le facilitateur.",
    ),
    ("post", "/api/v1/hours/"): (
        "Heures",
        "Déclarer des heures",
        "Une entreprise déclare les heures d'un mois pour une source (envoi multipart, avec le justificatif : "
        "PDF, JPEG ou PNG).",
    ),
    ("get", "/api/v1/hours/{id}/"): ("Heures", "Lire un relevé d'heures", "Un relevé, son état et son motif."),
    ("post", "/api/v1/hours/{id}/validate/"): (
        "Heures",
        "Valider un relevé d'heures",
        "Le facilitateur valide un relevé déclaré : ses heures comptent pour la clause.",
    ),
    ("post", "/api/v1/hours/{id}/reject/"): (
        "Heures",
        "Refuser un relevé d'heures",
        "Le facilitateur refuse un relevé déclaré, en disant pourquoi ; l'entreprise en est informée.",
    ),
    ("post", "/api/v1/hours/validate/"): (
        "Heures",
        "Valider plusieurs relevés d'heures",
        "Le facilitateur valide d'un coup les relevés nommés (en JSON) : chacun est vérifié et inscrit au journal "
        "d'audit pour lui-même ; la réponse dit lesquels sont validés et, pour les autres, pourquoi.",
    ),
    ("post", "/api/v1/hours/{id}/correct/"): (
        "Heures",
        "Corriger un relevé d'un marché clos",
        "Après la clôture, seul le facilitateur corrige les heures arrêtées, avec un motif : la correction (un "
        "écart, négatif pour retirer des heures) est comptée aussitôt et inscrite au journal d'audit.",
    ),
    ("get", "/api/v1/hours/{id}/proof/"): (
        "Heures",
        "Télécharger le justificatif d'un relevé",
        "Le bulletin de paie, le relevé d'heures ou la facture, en pièce jointe, au facilitateur et à l'entreprise "
        "qui l'a déclaré seulement : 404 pour tout autre appelant, anonyme compris.",
    ),
    ("post", "/api/v1/contracts/import-decp/"): (
        "Marchés",
        "Importer un fichier DECP",
        "Un fichier des données essentielles de la commande publique (JSON, envoi multipart) : chaque marché à "
        "considération sociale devient un marché en brouillon. La réponse est le bilan de la page : importés, "
        "déjà importés, sans considération sociale, et chaque enregistrement écarté avec ses raisons ; rien "
        "n'est écrit avec « dry_run ».",
    ),
    ("get", "/api/v1/sector-defaults/"): (
        "Valeurs de référence",
        "Lister les valeurs de référence des secteurs",
        "Part de main-d'œuvre et taux d'insertion (en pourcentage) et coût horaire chargé de chaque secteur, qui "
        "servent à calculer les heures d'un marché.",
    ),
    ("get", "/api/v1/sector-defaults/{sector}/"): (
        "Valeurs de référence",
        "Lire les valeurs de référence d'un secteur",
        "Part de main-d'œuvre et taux d'insertion en pourcentage, coût horaire chargé.",
    ),
    ("put", "/api/v1/sector-defaults/{sector}/"): (
        "Valeurs de référence",
        "Remplacer les valeurs de référence d'un secteur",
        "Le facilitateur seulement ; les taux en pourcentage, au-dessus de 0 et au plus 100.",
    ),
    ("patch", "/api/v1/sector-defaults/{sector}/"): (
        "Valeurs de référence",
        "Modifier les valeurs de référence d'un secteur",
        "Le facilitateur seulement ; les taux en pourcentage, au-dessus de 0 et au plus 100.",
    ),
    ("get", "/api/v1/clause-settings/"): (
        "Valeurs de référence",
        "Paramètres communs",
        "Heures par équivalent temps plein (1 607 h par défaut ; le rapport de la MEP comptait 1 741 h), coût "
        "horaire de référence des SIAE et heures supplémentaires tolérées (en %) au-delà des heures hebdomadaires.",
    ),
    ("put", "/api/v1/clause-settings/"): (
        "Valeurs de référence",
        "Remplacer les paramètres communs",
        "Le facilitateur seulement : chaque chiffre en équivalents temps plein suit aussitôt le nouveau diviseur.",
    ),
    ("patch", "/api/v1/clause-settings/"): (
        "Valeurs de référence",
        "Modifier les paramètres communs",
        "Le facilitateur seulement : chaque chiffre en équivalents temps plein suit aussitôt le nouveau diviseur.",
    ),
    ("get", "/api/v1/reports/summary/"): (
        "Bilans",
        "Chiffres clés d'une période",
        "Opérations, montants, heures négociées et validées, équivalents temps plein et part des SIAE : tous les "
        "marchés pour le facilitateur, les siens pour un donneur d'ordre.",
    ),
    ("get", "/api/v1/positions/"): (
        "Offres",
        "Lister les offres",
        "Les offres ouvertes, publiques ; une entreprise voit aussi ses brouillons et ses offres closes.",
    ),
    ("post", "/api/v1/positions/"): (
        "Offres",
        "Créer une offre",
        "Une entreprise attributaire crée une offre en brouillon sur l'un de ses marchés.",
    ),
    ("get", "/api/v1/positions/{id}/"): ("Offres", "Lire une offre", "Une offre et ses prérequis."),
    ("patch", "/api/v1/positions/{id}/"): ("Offres", "Modifier une offre", "Une offre de l'entreprise appelante."),
    ("get", "/api/v1/positions/{id}/matches/"): (
        "Rapprochement",
        "Candidats proposés pour une offre",
        "Classés du meilleur au moins bon après les filtres (consentement, disponibilité, mobilité, permis, pas "
        "déjà positionnés), avec les raisons de chaque proposition : le vivier du prescripteur appelant, tous les "
        "viviers pour le facilitateur.",
    ),
    ("get", "/api/v1/candidates/"): (
        "Candidats",
        "Lister les candidats",
        "Le vivier du prescripteur appelant ; tous les viviers pour le facilitateur.",
    ),
    ("post", "/api/v1/candidates/"): (
        "Candidats",
        "Ajouter un candidat",
        "Un prescripteur ajoute une personne à son vivier, avec son consentement.",
    ),
    ("get", "/api/v1/candidates/{id}/"): ("Candidats", "Lire un candidat", "Une personne du vivier de l'appelant."),
    ("get", "/api/v1/candidate-imports/{id}/"): (
        "Candidats",
        "Suivre un import de candidats",
        "Un import volumineux, lancé en arrière-plan par l'import de candidats : son état (« queued », « done », "
        "« refused ») puis son résultat, les candidats créés ou chaque ligne fautive.",
    ),
    ("patch", "/api/v1/candidates/{id}/"): (
        "Candidats",
        "Modifier un candidat",
        "Une personne du vivier du prescripteur appelant.",
    ),
    ("post", "/api/v1/candidates/import/"): (
        "Candidats",
        "Importer des candidats",
        "Un fichier CSV ou Excel, une ligne par personne : au moindre défaut, réponse 400 avec chaque ligne en "
        "erreur (numéro et raison) et rien n'est importé ; sinon 201.",
    ),
    ("get", "/api/v1/candidates/{id}/matches/"): (
        "Rapprochement",
        "Offres proposées à un candidat",
        "Offres ouvertes classées pour un candidat du vivier de l'appelant (le facilitateur : tout candidat).",
    ),
    ("get", "/api/v1/eligibility-checks/"): (
        "Éligibilité",
        "Lister les vérifications d'éligibilité",
        "Celles des candidats de l'appelant ; toutes pour le facilitateur.",
    ),
    ("post", "/api/v1/eligibility-checks/"): (
        "Éligibilité",
        "Enregistrer une vérification d'éligibilité",
        "Le facilitateur enregistre les critères vérifiés et leurs justificatifs ; la vérification vaut six mois.",
    ),
    ("get", "/api/v1/eligibility-checks/{id}/"): (
        "Éligibilité",
        "Lire une vérification d'éligibilité",
        "Les critères vérifiés, par qui et jusqu'à quand.",
    ),
    ("get", "/api/v1/submissions/"): (
        "Candidatures",
        "Lister les candidatures",
        "Celles des candidats d'un prescripteur, celles transmises à une entreprise ; toutes pour le facilitateur.",
    ),
    ("post", "/api/v1/submissions/"): (
        "Candidatures",
        "Positionner un candidat",
        "Un prescripteur propose une personne de son vivier, qui a donné son consentement, sur une offre ouverte.",
    ),
    ("get", "/api/v1/submissions/{id}/"): ("Candidatures", "Lire une candidature", "Une candidature et son état."),
    ("get", "/api/v1/submissions/{id}/history/"): (
        "Candidatures",
        "Historique d'une candidature",
        "Chaque changement d'état : quand, par qui, avec quel motif.",
    ),
    ("post", "/api/v1/submissions/{id}/transition/"): (
        "Candidatures",
        "Faire avancer une candidature",
        "Présélectionner, transmettre, convoquer, embaucher, refuser (avec un motif) ou retirer : seuls les "
        "changements permis à l'organisation dans l'état de la candidature sont acceptés.",
    ),
    ("get", "/api/v1/placements/"): (
        "Mises à l'emploi",
        "Lister les mises à l'emploi",
        "Celles de l'entreprise, des candidats d'un prescripteur ; toutes pour le facilitateur.",
    ),
    ("get", "/api/v1/placements/{id}/"): ("Mises à l'emploi", "Lire une mise à l'emploi", "Un contrat et son état."),
    ("post", "/api/v1/placements/{id}/validate/"): (
        "Mises à l'emploi",
        "Valider une mise à l'emploi",
        "Le facilitateur valide une embauche dont le candidat avait une éligibilité valide à la date d'embauche.",
    ),
    ("post", "/api/v1/placements/{id}/refuse/"): (
        "Mises à l'emploi",
        "Refuser une mise à l'emploi",
        "Le facilitateur refuse une embauche en donnant le motif (« note ») ; le poste redevient ouvert.",
    ),
    ("post", "/api/v1/placements/{id}/outcome/"): (
        "Mises à l'emploi",
        "Enregistrer la sortie",
        "La situation de la personne à la fin d'une mise à l'emploi validée.",
    ),
    ("get", "/api/v1/occupations/"): (
        "Référentiels",
        "Rechercher un métier (appellation ROME)",
        "Appellations du ROME 4.0 (France Travail) : « ?q=macon » donne « Maçon / Maçonne » en premier.",
    ),
    ("get", "/api/v1/occupations/{code_rome}/similar/"): (
        "Référentiels",
        "Métiers proches d'un métier ROME",
        "Les métiers les plus proches (compétences, textes et structure du ROME), le métier lui-même exclu.",
    ),
    ("get", "/api/v1/communes/"): (
        "Référentiels",
        "Rechercher une commune d'Île-de-France",
        "Communes d'Île-de-France et arrondissements de Paris (INSEE / IGN via API Géo) : « ?q=paris 11 » ou "
        "« ?q=75011 ».",
    ),
    ("get", "/api/v1/sessions/"): (
        "Informations collectives",
        "Lister les informations collectives",
        "Toutes pour le facilitateur ; pour un prescripteur, celles où ses candidats sont invités et celles encore "
        "programmées ; pour une entreprise, celles de ses offres ; pour un donneur d'ordre, celles des offres de "
        "ses marchés (les effectifs seulement). Chacune avec son entonnoir : invitées, confirmées, présentes, "
        "présélectionnées, transmises, embauchées.",
    ),
    ("post", "/api/v1/sessions/"): (
        "Informations collectives",
        "Programmer une information collective",
        "Le facilitateur programme une session pour une ou plusieurs offres ouvertes : date et heures, adresse et "
        "arrondissement ou lien à distance, nombre de places. Les entreprises participantes sont prévenues.",
    ),
    ("get", "/api/v1/sessions/{id}/"): (
        "Informations collectives",
        "Lire une information collective",
        "La session, son lieu, ses offres, ses places prises et son entonnoir.",
    ),
    ("patch", "/api/v1/sessions/{id}/"): (
        "Informations collectives",
        "Modifier une information collective",
        "Tant qu'elle est programmée : date, lieu, offres ou capacité (jamais sous les places déjà réservées). "
        "Un changement de date ou de lieu est annoncé aux entreprises et aux prescripteurs des personnes invitées.",
    ),
    ("post", "/api/v1/sessions/{id}/attendance/"): (
        "Informations collectives",
        "Noter les présences",
        "À partir du jour de la session, le facilitateur note les personnes présentes et absentes (identifiants "
        "d'invitations) : toutes sont enregistrées, ou aucune si l'une est refusée.",
    ),
    ("post", "/api/v1/sessions/{id}/transition/"): (
        "Informations collectives",
        "Annuler une information collective",
        "« cancelled » : les invitations en attente ou confirmées sont retirées, les prescripteurs et les "
        "entreprises prévenus. Une session tenue ne s'annule plus.",
    ),
    ("get", "/api/v1/invitations/"): (
        "Informations collectives",
        "Lister les invitations",
        "Toutes pour le facilitateur ; celles de ses candidats pour un prescripteur ; pour une entreprise, les "
        "personnes qui lui sont transmises (jamais les critères d'éligibilité) ; aucune pour un donneur d'ordre.",
    ),
    ("post", "/api/v1/invitations/"): (
        "Informations collectives",
        "Inviter ou inscrire une personne",
        "Le facilitateur invite une personne pour une offre de la session (son prescripteur répond pour elle) ; un "
        "prescripteur inscrit l'une des personnes qu'il accompagne, confirmée d'emblée. Refusé si la session est "
        "complète.",
    ),
    ("get", "/api/v1/invitations/{id}/"): (
        "Informations collectives",
        "Lire une invitation",
        "La personne, l'offre, l'état de l'invitation et, le cas échéant, le motif ou la réorientation.",
    ),
    ("get", "/api/v1/invitations/{id}/history/"): (
        "Informations collectives",
        "Historique d'une invitation",
        "Ses changements d'état, par qui et quand ; une entreprise n'en lit que la transmission.",
    ),
    ("post", "/api/v1/invitations/{id}/redirection-outcome/"): (
        "Informations collectives",
        "Noter la suite d'une réorientation",
        "Pour une personne réorientée : emploi, formation, VAE, toujours accompagnée ou sans suite.",
    ),
    ("post", "/api/v1/invitations/{id}/transition/"): (
        "Informations collectives",
        "Faire avancer une invitation",
        "Le prescripteur confirme ou décline pour la personne ; le facilitateur retire l'invitation, puis donne "
        "l'issue : présélectionnée, transmise à l'entreprise (la candidature avance d'autant), non retenue (avec un "
        "motif) ou réorientée. Seuls les changements permis à l'organisation sont acceptés.",
    ),
}


def french_operations(result, generator, request, public):
    """drf-spectacular postprocessing hook: each operation's group, summary and description from ``OPERATIONS``.
    An operation missing there keeps its summary but loses any docstring-made description (tests/api tell)."""
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            described = OPERATIONS.get((method, path))
            if described is None:
                operation.pop("description", None)
                continue
            group, summary, description = described
            operation["tags"] = [group]
            operation["summary"] = summary
            operation["description"] = description
    return result
