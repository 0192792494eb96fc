"""Who sees what: every page and API endpoint of the URLconf, walked by every role.

Each row names a URL (its name in the URLconf, with a variant in brackets) and the status each role must get. 404
means the resource's existence itself is private to that role; 403 that the role knows it exists but may not open
it; 302 that an anonymous visitor is sent to the login page (or, for an action, that the page answers with a
message). Pages and endpoints that change something are probed with a POST that changes nothing. Personal fields
are checked apart below. ``test_every_url_of_the_urlconf_is_in_the_matrix`` walks the URLconf: a new URL cannot be
added without its row."""

import datetime
import io

import openpyxl
import pytest
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.enums import OrganisationKind
from marketplace.enums import ContractType, InvitationState, PlacementState, SubmissionState
from marketplace.models import CandidateImport, Placement, SubmissionTransition
from procurement.enums import StatementState
from procurement.models import Award
from tests.accounts.factories import OrganisationFactory, member_of
from tests.marketplace.factories import (
    CandidateFactory,
    EligibilityCheckFactory,
    InformationSessionFactory,
    PositionFactory,
    SessionInvitationFactory,
    SubmissionFactory,
)
from tests.procurement.factories import (
    ContractFactory,
    HoursSourceFactory,
    HoursStatementFactory,
    SiaeProfileFactory,
    pdf_upload,
)
from tests.shared import module_rows

pytestmark = pytest.mark.xdist_group("isolation_matrix")

ROLES = [
    "anonymous",
    "buyer",
    "other_buyer",
    "company",
    "other_company",
    "prescriber",
    "other_prescriber",
    "siae",
    "facilitator",
]
# URL name (variant): (url, expected status for each of ROLES in that order[, "post" or "multipart"[, body]])
MATRIX = {
    # resource: (url, expected status for each of ROLES, in that order)
    "accounts:dashboard": (lambda w: "/tableau-de-bord/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "procurement:contract_list": (lambda w: "/marches/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "procurement:contract_detail": (
        lambda w: f"/marches/{w['contract'].pk}/",
        (302, 200, 404, 200, 404, 404, 404, 200, 200),
    ),
    "procurement:contract_edit": (
        lambda w: f"/marches/{w['contract'].pk}/modifier/",
        (302, 403, 404, 403, 404, 404, 404, 403, 403),
    ),
    "procurement:contract_chart": (
        lambda w: f"/marches/{w['contract'].pk}/graphique.svg",
        (302, 200, 404, 200, 404, 404, 404, 200, 200),
    ),
    "procurement:contract_export": (
        lambda w: f"/marches/{w['contract'].pk}/avancement.xlsx",
        (302, 200, 404, 200, 404, 404, 404, 200, 200),
    ),
    "procurement:contract_create": (lambda w: "/marches/nouveau/", (302, 200, 200, 403, 403, 403, 403, 403, 200)),
    "procurement:decp_import": (lambda w: "/marches/import-decp/", (302, 200, 200, 403, 403, 403, 403, 403, 200)),
    "procurement:clause_settings": (
        lambda w: "/marches/valeurs-de-reference/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "procurement:contracts_at_risk": (lambda w: "/marches/a-risque/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "procurement:siae_directory": (lambda w: "/marches/siae/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "procurement:siae_detail": (
        lambda w: f"/marches/siae/{w['siae_profile'].pk}/",
        (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    "procurement:siae_order_list": (
        lambda w: "/marches/commandes-siae/",
        (302, 200, 200, 200, 200, 403, 403, 200, 200),
    ),
    "procurement:statement_list": (lambda w: "/marches/heures/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    # A proof (pay slip...) goes to the facilitator and the declaring company only: 404 for anyone else,
    # anonymous visitors included, on the page as in the API.
    "procurement:statement_proof": (
        lambda w: f"/marches/heures/{w['statement'].pk}/justificatif/",
        (404, 404, 404, 200, 404, 404, 404, 404, 200),
    ),
    "procurement:statement_correct": (
        lambda w: f"/marches/heures/{w['statement'].pk}/corriger/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "procurement:declare_hours": (
        lambda w: f"/marches/heures/declarer/{w['source'].pk}/",
        (302, 403, 403, 200, 404, 403, 403, 403, 403),
    ),
    "reporting:report_dashboard": (lambda w: "/marches/rapports/", (302, 200, 200, 403, 403, 403, 403, 403, 200)),
    "reporting:annual_report": (
        lambda w: "/marches/rapports/annuel/2024.xlsx",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "marketplace:job_board": (lambda w: "/offres/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "marketplace:position_detail": (
        lambda w: f"/offres/{w['position'].pk}/",
        (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    "marketplace:position_propose": (
        lambda w: f"/offres/{w['position'].pk}/proposer/",
        (302, 403, 403, 403, 403, 200, 200, 403, 403),
    ),
    "marketplace:position_detail (brouillon)": (
        lambda w: f"/offres/{w['draft_position'].pk}/",
        (404, 200, 404, 200, 404, 404, 404, 404, 200),
    ),
    "marketplace:my_positions": (lambda w: "/offres/gestion/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "marketplace:position_create": (lambda w: "/offres/nouvelle/", (302, 403, 403, 200, 200, 403, 403, 403, 403)),
    "marketplace:position_edit": (
        lambda w: f"/offres/{w['position'].pk}/modifier/",
        (302, 403, 403, 200, 404, 403, 403, 403, 403),
    ),
    "marketplace:candidate_list": (lambda w: "/candidats/", (302, 403, 403, 403, 403, 200, 200, 403, 200)),
    "marketplace:candidate_create": (lambda w: "/candidats/nouveau/", (302, 403, 403, 403, 403, 200, 200, 403, 403)),
    "marketplace:candidate_import": (lambda w: "/candidats/importer/", (302, 403, 403, 403, 403, 200, 200, 403, 403)),
    "marketplace:candidate_import_job": (
        lambda w: f"/candidats/importer/{w['candidate_import'].pk}/",
        (302, 403, 403, 403, 403, 200, 404, 403, 403),
    ),
    "marketplace:candidate_detail": (
        lambda w: f"/candidats/{w['candidate'].pk}/",
        (302, 404, 404, 404, 404, 200, 404, 404, 200),
    ),
    "marketplace:candidate_edit": (
        lambda w: f"/candidats/{w['candidate'].pk}/modifier/",
        (302, 403, 403, 403, 403, 200, 404, 403, 403),
    ),
    "marketplace:candidate_skills": (
        lambda w: f"/candidats/{w['candidate'].pk}/competences/",
        (302, 403, 403, 403, 403, 200, 404, 403, 403),
    ),
    "marketplace:eligibility_check": (
        lambda w: f"/candidats/{w['candidate'].pk}/eligibilite/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "marketplace:candidate_submit": (
        lambda w: f"/candidats/{w['candidate'].pk}/positionner/",
        (302, 403, 403, 403, 403, 200, 404, 403, 403),
    ),
    "marketplace:candidate_export (json)": (
        lambda w: f"/candidats/{w['candidate'].pk}/donnees.json",
        (302, 403, 403, 403, 403, 200, 404, 403, 200),
    ),
    "marketplace:candidate_export (xlsx)": (
        lambda w: f"/candidats/{w['candidate'].pk}/donnees.xlsx",
        (302, 403, 403, 403, 403, 200, 404, 403, 200),
    ),
    "marketplace:candidate_anonymise": (
        lambda w: f"/candidats/{w['candidate'].pk}/anonymiser/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "matching:candidate_matches": (
        lambda w: f"/candidats/{w['candidate'].pk}/offres-proposees/",
        (302, 403, 403, 403, 403, 200, 404, 403, 200),
    ),
    "marketplace:submission_list": (lambda w: "/candidatures/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "marketplace:submission_detail": (
        lambda w: f"/candidatures/{w['submission'].pk}/",
        (302, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    "marketplace:placement_list": (lambda w: "/mises-a-l-emploi/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "marketplace:placement_detail": (
        lambda w: f"/mises-a-l-emploi/{w['placement'].pk}/",
        (302, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    "marketplace:placement_export": (
        lambda w: "/mises-a-l-emploi/export.xlsx",
        (302, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    "marketplace:follow_up": (lambda w: "/suivi/", (302, 403, 403, 403, 403, 403, 403, 403, 200)),
    "audit:event_list": (lambda w: "/journal-d-audit/", (302, 403, 403, 403, 403, 403, 403, 403, 200)),
    "audit:event_list (candidat)": (
        lambda w: f"/journal-d-audit/?candidat={w['candidate'].pk}",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "notifications:notification_list": (lambda w: "/notifications/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "matching:position_matches": (
        lambda w: f"/offres/{w['position'].pk}/propositions/",
        (302, 403, 403, 403, 403, 200, 200, 403, 200),
    ),
    "matching:matching_fairness": (lambda w: "/rapprochement/equite/", (302, 403, 403, 403, 403, 403, 403, 403, 200)),
    "accounts:members": (lambda w: "/organisation/membres/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:pending": (lambda w: "/organisation/en-attente/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:join_organisation": (
        lambda w: "/organisation/rejoindre/",
        (302, 404, 404, 404, 404, 404, 404, 404, 404),
        "post",
    ),
    "accounts:decide": (
        lambda w: f"/organisations/a-valider/organisation/{w['organisations']['company'].pk}/",
        (302, 403, 403, 403, 403, 403, 403, 403, 302),
        "post",
    ),
    "accounts:revoke_api_token": (
        lambda w: f"/compte/acces/jetons/{w['token_keys']['buyer']}/revoquer/",
        (302, 200, 404, 404, 404, 404, 404, 404, 404),
    ),
    "accounts:end_every_session": (
        lambda w: "/compte/acces/deconnexion-partout/",
        (302, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    "legal_notice": (lambda w: "/mentions-legales/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "personal_data": (lambda w: "/donnees-personnelles/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "candidate_information": (
        lambda w: "/donnees-personnelles/candidats/",
        (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    "help": (lambda w: "/aide/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:decisions": (lambda w: "/organisations/a-valider/", (302, 403, 403, 403, 403, 403, 403, 403, 200)),
    "accounts:api_access": (lambda w: "/compte/acces/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api-me": (lambda w: "/api/v1/me/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "contract-list": (lambda w: "/api/v1/contracts/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "contract-detail": (
        lambda w: f"/api/v1/contracts/{w['contract'].pk}/",
        (401, 200, 404, 200, 404, 404, 404, 200, 200),
    ),
    "contract-progress": (
        lambda w: f"/api/v1/contracts/{w['contract'].pk}/progress/",
        (401, 200, 404, 200, 404, 404, 404, 200, 200),
    ),
    "siae-list": (lambda w: "/api/v1/siae/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "siae-order-list": (lambda w: "/api/v1/siae-orders/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "hours-list": (lambda w: "/api/v1/hours/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "hours-detail": (
        lambda w: f"/api/v1/hours/{w['statement'].pk}/",
        (401, 200, 404, 200, 404, 404, 404, 404, 200),
    ),
    "report-summary": (lambda w: "/api/v1/reports/summary/", (401, 200, 200, 403, 403, 403, 403, 403, 200)),
    "api-position-list": (lambda w: "/api/v1/positions/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api-position-detail": (
        lambda w: f"/api/v1/positions/{w['position'].pk}/",
        (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    "api-position-detail (brouillon)": (
        lambda w: f"/api/v1/positions/{w['draft_position'].pk}/",
        (404, 200, 404, 200, 404, 404, 404, 404, 200),
    ),
    "api-position-matches": (
        lambda w: f"/api/v1/positions/{w['position'].pk}/matches/",
        (401, 403, 403, 403, 403, 200, 200, 403, 200),
    ),
    "api-candidate-list": (lambda w: "/api/v1/candidates/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api-candidate-detail": (
        lambda w: f"/api/v1/candidates/{w['candidate'].pk}/",
        (401, 404, 404, 404, 404, 200, 404, 404, 200),
    ),
    "api-candidate-matches": (
        lambda w: f"/api/v1/candidates/{w['candidate'].pk}/matches/",
        (401, 403, 403, 403, 403, 200, 404, 403, 200),
    ),
    "api-candidate-import-detail": (
        lambda w: f"/api/v1/candidate-imports/{w['candidate_import'].pk}/",
        (401, 403, 403, 403, 403, 200, 404, 403, 403),
    ),
    "api-eligibility-check-list": (
        lambda w: "/api/v1/eligibility-checks/",
        (401, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    "api-submission-list": (lambda w: "/api/v1/submissions/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api-submission-detail": (
        lambda w: f"/api/v1/submissions/{w['submission'].pk}/",
        (401, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    "api-submission-history": (
        lambda w: f"/api/v1/submissions/{w['submission'].pk}/history/",
        (401, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    "api-placement-list": (lambda w: "/api/v1/placements/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api-placement-detail": (
        lambda w: f"/api/v1/placements/{w['placement'].pk}/",
        (401, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    "api-occupations": (lambda w: "/api/v1/occupations/?q=macon", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "hours-proof": (
        lambda w: f"/api/v1/hours/{w['statement'].pk}/proof/",
        (404, 404, 404, 200, 404, 404, 404, 404, 200),
    ),
    "sector-defaults-list": (lambda w: "/api/v1/sector-defaults/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "clause-settings": (lambda w: "/api/v1/clause-settings/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Information sessions: the held one has the candidate, sent to the company; the planned one nobody yet (an
    # announcement every prescriber sees, to sign its people up).
    "marketplace:session_list": (
        lambda w: "/informations-collectives/",
        (302, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    "marketplace:session_create": (
        lambda w: "/informations-collectives/nouvelle/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "marketplace:session_detail": (
        lambda w: f"/informations-collectives/{w['session'].pk}/",
        (302, 200, 404, 200, 404, 200, 404, 404, 200),
    ),
    "marketplace:session_detail (planifiée)": (
        lambda w: f"/informations-collectives/{w['planned_session'].pk}/",
        (302, 200, 404, 200, 404, 200, 200, 404, 200),
    ),
    "marketplace:session_edit": (
        lambda w: f"/informations-collectives/{w['planned_session'].pk}/modifier/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "matching:session_matches": (
        lambda w: f"/informations-collectives/{w['planned_session'].pk}/propositions/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "marketplace:invitation_detail": (
        lambda w: f"/informations-collectives/invitations/{w['session_invitation'].pk}/",
        (302, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    # The confirmation pages of irreversible moves (without JavaScript): cancelling is the facilitator's alone;
    # the person sent to the company has no move left that ends their way, so no one gets a form (403), and
    # those who may not read the invitation do not learn it exists (404).
    "marketplace:session_cancel": (
        lambda w: f"/informations-collectives/{w['planned_session'].pk}/annuler/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "marketplace:invitation_move": (
        lambda w: f"/informations-collectives/invitations/{w['session_invitation'].pk}/etat/?etat=withdrawn",
        (302, 404, 404, 403, 404, 403, 404, 404, 403),
    ),
    "sector-defaults-detail": (
        lambda w: "/api/v1/sector-defaults/building/",
        (401, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    # Posts that change nothing (no statement ticked, no person named, no outcome chosen).
    "procurement:statement_validate_many": (
        lambda w: "/marches/heures/valider/",
        (302, 403, 403, 403, 403, 403, 403, 403, 302),
        "post",
    ),
    "marketplace:session_invite": (
        lambda w: f"/informations-collectives/{w['planned_session'].pk}/inviter/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
        "post",
    ),
    "marketplace:session_register": (
        lambda w: f"/informations-collectives/{w['planned_session'].pk}/inscrire/",
        (302, 403, 403, 403, 403, 200, 200, 403, 403),
        "post",
    ),
    "marketplace:invitation_outcome": (
        lambda w: f"/informations-collectives/invitations/{w['session_invitation'].pk}/suite/",
        (302, 403, 403, 403, 403, 403, 403, 403, 302),
        "post",
    ),
    "matching:session_matches_invite": (
        lambda w: f"/informations-collectives/{w['planned_session'].pk}/propositions/inviter/",
        (302, 403, 403, 403, 403, 403, 403, 403, 404),
        "post",
    ),
    "contract-import-decp": (
        lambda w: "/api/v1/contracts/import-decp/",
        (401, 400, 400, 403, 403, 403, 403, 403, 400),
        "multipart",
    ),
    "hours-validate-many": (
        lambda w: "/api/v1/hours/validate/",
        (401, 403, 403, 403, 403, 403, 403, 403, 400),
        "post",
    ),
    "hours-correct": (
        lambda w: f"/api/v1/hours/{w['statement'].pk}/correct/",
        (401, 403, 403, 403, 403, 403, 403, 403, 400),
        "post",
    ),
    "api-session-attendance": (
        lambda w: f"/api/v1/sessions/{w['session'].pk}/attendance/",
        (401, 403, 403, 403, 403, 403, 403, 403, 200),
        "post",
    ),
    "api-session-transition": (
        lambda w: f"/api/v1/sessions/{w['planned_session'].pk}/transition/",
        (401, 403, 403, 403, 403, 403, 403, 403, 400),
        "post",
    ),
    "api-invitation-transition": (
        lambda w: f"/api/v1/invitations/{w['session_invitation'].pk}/transition/",
        (401, 404, 404, 400, 404, 400, 404, 404, 400),
        "post",
    ),
    "api-invitation-redirection-outcome": (
        lambda w: f"/api/v1/invitations/{w['session_invitation'].pk}/redirection-outcome/",
        (401, 403, 403, 403, 403, 403, 403, 403, 400),
        "post",
    ),
    "api-session-list": (lambda w: "/api/v1/sessions/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api-session-detail": (
        lambda w: f"/api/v1/sessions/{w['session'].pk}/",
        (401, 200, 404, 200, 404, 200, 404, 404, 200),
    ),
    "api-session-detail (planifiée)": (
        lambda w: f"/api/v1/sessions/{w['planned_session'].pk}/",
        (401, 200, 404, 200, 404, 200, 200, 404, 200),
    ),
    "api-invitation-list": (lambda w: "/api/v1/invitations/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api-invitation-detail": (
        lambda w: f"/api/v1/invitations/{w['session_invitation'].pk}/",
        (401, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    "api-invitation-history": (
        lambda w: f"/api/v1/invitations/{w['session_invitation'].pk}/history/",
        (401, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    # Pages and actions posting a change: probed with a request that changes nothing (no target, a candidate
    # already submitted), so that every role meets the same world. 302 with a message, or 200 with the form's
    # errors, is what a role that may act gets for such a request.
    "accounts:create_organisation": (lambda w: "/organisation/creer/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "accounts:switch_organisation": (
        lambda w: "/organisation/changer/",
        (302, 404, 404, 404, 404, 404, 404, 404, 404),
        "post",
    ),
    "home": (lambda w: "/", (200, 302, 302, 302, 302, 302, 302, 302, 302)),
    "accessibility": (lambda w: "/accessibilite/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "health": (lambda w: "/health/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "reference:job_title_search": (
        lambda w: "/referentiels/appellations/recherche/?q=macon",
        (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    "reference:commune_search": (
        lambda w: "/referentiels/communes/recherche/?q=paris",
        (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    "procurement:contract_transition": (
        lambda w: f"/marches/{w['contract'].pk}/transition/",
        (302, 302, 404, 302, 404, 404, 404, 302, 302),
        "post",
    ),
    "procurement:contract_award": (
        lambda w: f"/marches/{w['contract'].pk}/attribuer/",
        (302, 200, 404, 403, 403, 403, 403, 403, 200),
    ),
    "procurement:siae_order_create": (
        lambda w: f"/marches/{w['contract'].pk}/commandes-siae/nouvelle/",
        (302, 403, 403, 200, 404, 403, 403, 403, 403),
    ),
    "procurement:siae_profile_edit": (
        lambda w: "/marches/siae/ma-fiche/",
        (302, 403, 403, 403, 403, 403, 403, 200, 403),
    ),
    "procurement:statement_transition": (
        lambda w: f"/marches/heures/{w['statement'].pk}/transition/",
        (302, 302, 404, 302, 404, 404, 404, 404, 302),
        "post",
    ),
    "marketplace:position_transition": (
        lambda w: f"/offres/{w['position'].pk}/transition/",
        (302, 403, 403, 302, 404, 403, 403, 403, 403),
        "post",
    ),
    "marketplace:candidate_import_template": (
        lambda w: "/candidats/importer/modele.csv",
        (302, 403, 403, 403, 403, 200, 200, 403, 403),
    ),
    "marketplace:submission_transition": (
        lambda w: f"/candidatures/{w['submission'].pk}/transition/",
        (302, 404, 404, 302, 404, 302, 404, 404, 302),
        "post",
    ),
    "marketplace:placement_transition": (
        lambda w: f"/mises-a-l-emploi/{w['placement'].pk}/transition/",
        (302, 404, 404, 302, 404, 302, 404, 404, 302),
        "post",
    ),
    "marketplace:placement_outcome": (
        lambda w: f"/mises-a-l-emploi/{w['placement'].pk}/sortie/",
        (302, 403, 403, 403, 403, 403, 403, 403, 302),
        "post",
    ),
    "matching:position_matches_submit": (
        lambda w: f"/offres/{w['position'].pk}/propositions/positionner/",
        (302, 403, 403, 403, 403, 302, 404, 403, 403),
        "post",
        lambda w: {"candidate": w["candidate"].pk},
    ),
    "matching:position_matches_ask": (
        lambda w: f"/offres/{w['position'].pk}/propositions/demander/",
        (302, 403, 403, 403, 403, 403, 403, 403, 302),
        "post",
        lambda w: {"candidate": w["candidate"].pk},
    ),
    "notifications:notifications_mark_read": (
        lambda w: "/notifications/lues/",
        (302, 302, 302, 302, 302, 302, 302, 302, 302),
        "post",
    ),
    "api-communes": (lambda w: "/api/v1/communes/?q=paris", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api-similar-occupations": (
        lambda w: f"/api/v1/occupations/{w['occupation']}/similar/",
        (401, 200, 200, 200, 200, 200, 200, 200, 200),
    ),
    "contract-transition": (
        lambda w: f"/api/v1/contracts/{w['contract'].pk}/transition/",
        (401, 400, 404, 400, 404, 404, 404, 400, 400),
        "post",
    ),
    "contract-award": (
        lambda w: f"/api/v1/contracts/{w['contract'].pk}/award/",
        (401, 400, 404, 400, 404, 404, 404, 400, 400),
        "post",
    ),
    "siae-detail": (lambda w: f"/api/v1/siae/{w['siae'].pk}/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "siae-order-detail": (
        lambda w: f"/api/v1/siae-orders/{w['order'].pk}/",
        (401, 200, 404, 200, 404, 404, 404, 200, 200),
    ),
    # A statement already validated: validating it again changes nothing, whoever asks. The SIAE sees the contract
    # through its order, not the company's statements.
    "hours-validate": (
        lambda w: f"/api/v1/hours/{w['validated_statement'].pk}/validate/",
        (401, 403, 403, 403, 403, 403, 403, 403, 400),
        "post",
    ),
    "hours-reject": (
        lambda w: f"/api/v1/hours/{w['statement'].pk}/reject/",
        (401, 403, 403, 403, 403, 403, 403, 403, 400),
        "post",
    ),
    "hours-transition": (
        lambda w: f"/api/v1/hours/{w['statement'].pk}/transition/",
        (401, 400, 404, 400, 404, 404, 404, 404, 400),
        "post",
    ),
    "api-position-transition": (
        lambda w: f"/api/v1/positions/{w['position'].pk}/transition/",
        (401, 400, 400, 400, 400, 400, 400, 400, 400),
        "post",
    ),
    "api-candidate-import-": (
        lambda w: "/api/v1/candidates/import/",
        (401, 403, 403, 403, 403, 400, 400, 403, 403),
        "multipart",
    ),
    "api-eligibility-check-detail": (
        lambda w: f"/api/v1/eligibility-checks/{w['check'].pk}/",
        (401, 404, 404, 404, 404, 200, 404, 404, 200),
    ),
    "api-submission-transition": (
        lambda w: f"/api/v1/submissions/{w['submission'].pk}/transition/",
        (401, 404, 404, 400, 404, 400, 404, 404, 400),
        "post",
    ),
    # A placement already refused: deciding it again changes nothing, whoever asks.
    "api-placement-validate": (
        lambda w: f"/api/v1/placements/{w['refused_placement'].pk}/validate/",
        (401, 403, 403, 403, 403, 403, 403, 403, 400),
        "post",
    ),
    "api-placement-refuse": (
        lambda w: f"/api/v1/placements/{w['placement'].pk}/refuse/",
        (401, 403, 403, 403, 403, 403, 403, 403, 400),
        "post",
    ),
    "api-placement-transition": (
        lambda w: f"/api/v1/placements/{w['placement'].pk}/transition/",
        (401, 404, 404, 400, 404, 400, 404, 404, 400),
        "post",
    ),
    "api-placement-outcome": (
        lambda w: f"/api/v1/placements/{w['placement'].pk}/outcome/",
        (401, 403, 403, 403, 403, 403, 403, 403, 400),
        "post",
    ),
    "schema": (lambda w: "/api/schema/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api-docs": (lambda w: "/api/docs/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
}

ROLE_USERS = {
    "buyer": "buyer",
    "other_buyer": "other_buyer",
    "company": "company_user",
    "other_company": "other_company_user",
    "prescriber": "prescriber",
    "other_prescriber": "other_prescriber",
    "siae": "siae_user",
    "facilitator": "facilitator",
}
# URLs of the URLconf no row walks, and why.
NOT_IN_THE_MATRIX = {
    "accounts:accept_invitation": "reached with its secret token only (tests/accounts/test_invitation.py)",
    "admin:auth_user_password_change": "the admin's, staff only (tests/accounts/test_admin.py)",
    "api-token": "exchanges credentials for a token, holds no organisation's data (tests/accounts/test_api_auth.py)",
}
# The project's own URLs: those of its apps and of config (the admin and allauth are tested on their own).
OWN_MODULES = ("accounts", "audit", "common", "config", "marketplace", "matching", "notifications", "procurement")
OWN_MODULES += ("reference", "reporting", "drf_spectacular", "django.views.generic")


def build_world():
    """One organisation and one member per role; a contract of the buyer awarded to the company, one open position
    on it and a draft, one candidate of the prescriber sent to the company and hired (placement pending), one
    statement to check and one validated, an SIAE with its profile and an order."""
    organisations = {
        "buyer": OrganisationFactory(buyer=True, name="Ville de Paris (test)"),
        "other_buyer": OrganisationFactory(buyer=True, name="Autre acheteur (test)"),
        "company": OrganisationFactory(company=True, name="Bâtiment Durable (test)"),
        "other_company": OrganisationFactory(company=True, name="Autre entreprise (test)"),
        "prescriber": OrganisationFactory(prescriber=True, name="Mission locale (test)"),
        "other_prescriber": OrganisationFactory(prescriber=True, name="Autre prescripteur (test)"),
        "siae": OrganisationFactory(siae=True, name="EI Rebond (test)"),
        "facilitator": OrganisationFactory(kind=OrganisationKind.FACILITATOR, name="Maison de l'Emploi (test)"),
    }
    users = {role: member_of(organisation, is_admin=True) for role, organisation in organisations.items()}
    created = {role: AuthToken.objects.create(user=user) for role, user in users.items()}
    tokens = {role: token for role, (_, token) in created.items()}
    contract = ContractFactory(buyer=organisations["buyer"], in_progress=True)
    Award.objects.create(contract=contract, company=organisations["company"], hours_share=contract.clause_hours)
    source = HoursSourceFactory(contract=contract, company=organisations["company"])
    position = PositionFactory(company=organisations["company"], contract=contract)
    candidate = CandidateFactory(prescriber=organisations["prescriber"])
    check = EligibilityCheckFactory(candidate=candidate, checked_by_organisation=organisations["facilitator"])
    submission = SubmissionFactory(candidate=candidate, position=position, sent=True, note=PRESCRIBER_NOTES[0])
    SubmissionTransition.objects.create(
        submission=submission,
        from_state=SubmissionState.SUBMITTED,
        to_state=SubmissionState.PRESELECTED,
        actor=submission.submitted_by,
        organisation=organisations["facilitator"],
        at=submission.reached_company_at - datetime.timedelta(hours=1),
        reason=PRESCRIBER_NOTES[1],
    )

    def placement(submission, state):
        return Placement.objects.create(
            submission=submission,
            position=position,
            contract_type=ContractType.CDD,
            hired_on=timezone.localdate(),
            start_date=timezone.localdate() + datetime.timedelta(days=7),
            weekly_hours=35,
            state=state,
        )

    other = SubmissionFactory(candidate=CandidateFactory(prescriber=organisations["prescriber"]), position=position)
    siae = SiaeProfileFactory(organisation=organisations["siae"])
    session = InformationSessionFactory(
        today=True, positions=[position], organiser=organisations["facilitator"], state="held"
    )
    invitation = SessionInvitationFactory(
        session=session, candidate=candidate, position=position, submission=submission, state=InvitationState.SENT
    )
    order = contract.siae_orders.create(
        company=organisations["company"],
        siae=organisations["siae"],
        kind="subcontracting",
        amount_excl_vat=3000,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
        hours=100,
        source=HoursSourceFactory(contract=contract, company=organisations["company"]),
    )
    return {
        "organisations": organisations,
        "users": users,
        "tokens": tokens,
        "token_keys": {role: instance.token_key for role, (instance, _) in created.items()},
        "contract": contract,
        "source": source,
        "statement": HoursStatementFactory(source=source, proof=pdf_upload(), proof_content_type="application/pdf"),
        "validated_statement": HoursStatementFactory(
            source=source, month=datetime.date(2024, 2, 1), state=StatementState.VALIDATED
        ),
        "position": position,
        "candidate": candidate,
        "check": check,
        "submission": submission,
        "placement": placement(submission, PlacementState.PENDING),
        "refused_placement": placement(other, PlacementState.REFUSED),
        "draft_position": PositionFactory(company=organisations["company"], contract=contract, state="draft"),
        "siae": siae.organisation,
        "siae_profile": siae,
        "candidate_import": CandidateImport.objects.create(
            organisation=organisations["prescriber"], actor=users["prescriber"], file_name="vivier.csv"
        ),
        "order": order,
        "session": session,
        "session_invitation": invitation,
        "planned_session": InformationSessionFactory(positions=[position], organiser=organisations["facilitator"]),
        "occupation": position.job_title.occupation_id,
    }


# Built once for the module's nine roles (tests/shared.py); the browser walk builds its own, committed.
world = module_rows(build_world)


# Roles that may never read the candidate's identity, whatever the page.
NEVER_SEE_CANDIDATE = {"anonymous", "buyer", "other_buyer", "other_company", "other_prescriber", "siae"}
# Roles that may read eligibility details (criteria, situation, birth date): the facilitator and the
# candidate's own prescriber only. The company sees the candidate it received, never these.
SEE_ELIGIBILITY = {"prescriber", "facilitator"}
ELIGIBILITY_MARKERS = [
    "Bénéficiaire du RSA",
    "Résident d'un QPV ou d'une ZRR",
    "level1_criteria",
    "level2_criteria",
    "birth_date",
    "1998-03-15",
    "15/03/1998",
]
# The prescriber's notes are a resource of their own: its message with the submission and the notes of the history
# before the submission reached the company speak of the person's situation. Only these roles read them, and they
# do read them on the submission's page and in its API (so that the check below can fail).
PRESCRIBER_NOTES = ["Note-prescripteur : situation de handicap", "Note-avant-envoi : bénéficiaire du RSA"]
SEE_PRESCRIBER_NOTES = {"prescriber", "facilitator"}
NOTES_SHOWN_IN = {
    "marketplace:submission_detail": PRESCRIBER_NOTES,
    "api-submission-detail": PRESCRIBER_NOTES[:1],
    "api-submission-history": PRESCRIBER_NOTES[1:],
}
# Pages where criteria appear as labels, not as anyone's data: the forms a prescriber fills in for its
# own pool (choices), the import's model file (a fictitious example row), the reports (row headers of aggregate
# counts) and the API's schema (field names and choices).
CRITERIA_AS_LABELS = {
    "marketplace:candidate_create",
    "marketplace:candidate_import",
    "marketplace:candidate_import_template",
    "reporting:report_dashboard",
    "schema",
}
# Files listing people name them for the facilitator only: a file travels, everyone else gets pseudonyms.
PSEUDONYMISED_FILES = {"marketplace:placement_export"}


class Browser:
    """One role's page and API clients, logged in once."""

    def __init__(self, role, world, client):
        self.page, self.api = client, APIClient()
        if role != "anonymous":
            client.force_login(world["users"][role])
            self.api.credentials(HTTP_AUTHORIZATION=f"Token {world['tokens'][role]}")

    def fetch(self, url, method="get", data=None):
        client = self.api if url.startswith("/api/") else self.page
        if method == "get":
            return client.get(url)
        return client.post(url, data or {}, **({"format": "json"} if method == "post" and client is self.api else {}))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body(response):
    """The text a role receives, spreadsheets' cells included."""
    content = getattr(response, "streaming_content", None)
    raw = b"".join(content) if content is not None else response.content
    if response.get("Content-Type") == XLSX:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(str(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    return raw.decode("utf-8", errors="replace")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_resource_answers_each_role_as_expected(role, world, client):
    column = ROLES.index(role)
    browser = Browser(role, world, client)
    candidate_name = world["candidate"].last_name
    wrong_status, leaks = {}, {}
    for resource, (url, statuses, *how) in MATRIX.items():
        method, data = (how + [None])[:2] if how else ("get", None)
        response = browser.fetch(url(world), method, data(world) if data else None)
        if statuses is None or response.status_code != statuses[column]:
            wrong_status[resource] = (response.status_code, statuses and statuses[column])
        if response.status_code != 200 or response.get("Content-Type", "").startswith("image/"):
            continue
        text = body(response)
        if role in NEVER_SEE_CANDIDATE and candidate_name in text:
            leaks[resource] = "candidate's name"
        if role != "facilitator" and resource in PSEUDONYMISED_FILES and candidate_name in text:
            leaks[resource] = "candidate's name in a file"
        notes = [note for note in PRESCRIBER_NOTES if note in text]
        if role not in SEE_PRESCRIBER_NOTES and notes:
            leaks[resource] = f"prescriber's notes {notes}"
        if role in SEE_PRESCRIBER_NOTES and notes != NOTES_SHOWN_IN.get(resource, notes):
            wrong_status[resource] = "the prescriber's notes are missing"
        if role not in SEE_ELIGIBILITY and resource not in CRITERIA_AS_LABELS:
            found = [marker for marker in ELIGIBILITY_MARKERS if marker in text]
            if found:
                leaks[resource] = f"eligibility details {found}"
    assert wrong_status == {}, f"{role}: (got, expected) {wrong_status}"
    assert leaks == {}, f"{role} reads what it must not: {leaks}"


def test_the_matrix_covers_every_role_for_every_resource():
    assert all(statuses is not None and len(statuses) == len(ROLES) for _, statuses, *_ in MATRIX.values())


def urls_of_the_project():
    """Names of the URLconf's patterns whose view is the project's own (or the API's schema and docs)."""
    found = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name and pattern.callback.__module__.startswith(OWN_MODULES):
                found.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return found


def test_every_url_of_the_urlconf_is_in_the_matrix():
    walked = {resource.split(" (")[0] for resource in MATRIX}
    assert urls_of_the_project() - walked - set(NOT_IN_THE_MATRIX) == set()
    assert set(NOT_IN_THE_MATRIX) <= urls_of_the_project()
