"""The main navigation of each kind of organisation, in one table: at most six entries on one line, the rest
grouped in DSFR menus (``fr-nav__btn`` + ``fr-menu``). ``templates/includes/nav.html`` draws it.

An entry is a link ``(label, url name[, query string])`` or a menu ``(label, [links])``. A link is current when
the page's url name is its own or one of ``ALSO_CURRENT`` (a detail page belongs to its list); a menu is current
when one of its links is. Kinds are the ``accounts.enums.OrganisationKind`` values, written out so that this
module imports no app."""

from dataclasses import dataclass, field

from django.urls import reverse

DASHBOARD = ("Tableau de bord", "accounts:dashboard")
ORGANISATION = ("Mon organisation", "accounts:members")
SIAE_DIRECTORY = ("Annuaire des SIAE", "procurement:siae_directory")
JOB_BOARD = ("Offres d'emploi", "marketplace:job_board")
SESSIONS = ("Informations collectives", "marketplace:session_list")

NAVIGATION = {
    None: [JOB_BOARD, SIAE_DIRECTORY],
    "buyer": [
        DASHBOARD,
        ("Marchés", "procurement:contract_list"),
        ("Bilan", "reporting:report_dashboard"),
        ("Recrutement", [("Offres sur mes marchés", "marketplace:my_positions"), SESSIONS]),
        SIAE_DIRECTORY,
        ORGANISATION,
    ],
    "company": [
        DASHBOARD,
        (
            "Marchés et heures",
            [
                ("Marchés", "procurement:contract_list"),
                ("Relevés d'heures", "procurement:statement_list"),
                ("Commandes aux SIAE", "procurement:siae_order_list"),
            ],
        ),
        (
            "Recrutement",
            [
                ("Mes offres", "marketplace:my_positions"),
                SESSIONS,
                ("Candidatures", "marketplace:submission_list"),
                ("Mises à l'emploi", "marketplace:placement_list"),
            ],
        ),
        SIAE_DIRECTORY,
        ORGANISATION,
    ],
    "prescriber": [
        DASHBOARD,
        ("Mon vivier", "marketplace:candidate_list"),
        (
            "Recrutement",
            [
                ("Candidatures", "marketplace:submission_list"),
                SESSIONS,
                ("Offres", "marketplace:job_board"),
            ],
        ),
        SIAE_DIRECTORY,
        ORGANISATION,
    ],
    "siae": [
        DASHBOARD,
        ("Mes commandes", "procurement:siae_order_list"),
        ("Marchés", "procurement:contract_list"),
        ("Ma fiche", "procurement:siae_profile_edit"),
        SIAE_DIRECTORY,
        ORGANISATION,
    ],
    "facilitator": [
        DASHBOARD,
        (
            "Marchés et heures",
            [
                ("Marchés", "procurement:contract_list"),
                ("Relevés d'heures", "procurement:statement_list"),
                ("Commandes aux SIAE", "procurement:siae_order_list"),
                ("Bilan", "reporting:report_dashboard"),
                ("Valeurs de référence", "procurement:clause_settings"),
            ],
        ),
        (
            "Recrutement",
            [
                ("Candidatures", "marketplace:submission_list"),
                SESSIONS,
                ("Mises à l'emploi", "marketplace:placement_list"),
                ("Viviers", "marketplace:candidate_list"),
                ("Offres", "marketplace:my_positions"),
                ("Suivi des parcours", "marketplace:follow_up"),
                ("Équité du rapprochement", "matching:matching_fairness"),
            ],
        ),
        SIAE_DIRECTORY,
        (
            "Administration",
            [
                ORGANISATION,
                ("Organisations à valider", "accounts:decisions"),
                ("Journal d'audit", "audit:event_list"),
                ("Documentation de l'API", "api-docs"),
            ],
        ),
    ],
}

# A page that belongs to a list's entry: the list is current there too.
ALSO_CURRENT = {
    "procurement:contract_list": {
        "procurement:contract_detail",
        "procurement:contract_create",
        "procurement:contract_edit",
        "procurement:contract_award",
        "procurement:decp_import",
    },
    "procurement:statement_list": {"procurement:declare_hours"},
    "procurement:siae_directory": {"procurement:siae_detail"},
    "procurement:siae_order_list": {"procurement:siae_order_create"},
    "marketplace:my_positions": {"marketplace:position_create", "marketplace:position_edit"},
    "marketplace:job_board": {"marketplace:position_detail"},
    "marketplace:candidate_list": {
        "marketplace:candidate_detail",
        "marketplace:candidate_create",
        "marketplace:candidate_edit",
        "marketplace:candidate_import",
        "marketplace:eligibility_check",
        "marketplace:candidate_submit",
    },
    "marketplace:submission_list": {"marketplace:submission_detail"},
    "marketplace:placement_list": {"marketplace:placement_detail"},
    "marketplace:session_list": {
        "marketplace:session_detail",
        "marketplace:session_create",
        "marketplace:session_edit",
        "marketplace:invitation_detail",
        "matching:session_matches",
    },
}


@dataclass
class Entry:
    label: str
    url: str = ""
    current: bool = False
    children: list = field(default_factory=list)
    slug: str = ""


def _link(label, url_name, view_name):
    current = view_name == url_name or view_name in ALSO_CURRENT.get(url_name, ())
    return Entry(label=label, url=reverse(url_name), current=current)


def main_navigation(kind, view_name):
    """The entries of the main navigation of an organisation of ``kind`` (None: a visitor, or a person
    without organisation yet) on the page named ``view_name``."""
    entries = []
    for number, (label, target) in enumerate(NAVIGATION.get(kind, NAVIGATION[None])):
        if isinstance(target, list):
            children = [_link(child_label, url_name, view_name) for child_label, url_name in target]
            entries.append(
                Entry(
                    label=label,
                    children=children,
                    current=any(child.current for child in children),
                    slug=f"menu-{number}",
                )
            )
        else:
            entries.append(_link(label, target, view_name))
    return entries
