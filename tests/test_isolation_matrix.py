"""Who sees what: every page and API endpoint holding an organisation's data, walked by every role.

Each row names a resource and the status each role must get on a GET. 404 means the resource's
existence itself is private to that role; 403 that the role knows it exists but may not open it;
302 that an anonymous visitor is sent to the login page. Personal fields are checked apart below."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from marketplace.enums import ContractType, InvitationState, PlacementState, SubmissionState
from marketplace.models import CandidateImport, Placement, SubmissionTransition
from procurement.models import Award
from tests.accounts.factories import OrganisationFactory
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
MATRIX = {
    # resource: (url, expected status for each of ROLES, in that order)
    "dashboard": (lambda w: "/tableau-de-bord/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "contract_list": (lambda w: "/marches/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "contract_detail": (lambda w: f"/marches/{w['contract'].pk}/", (302, 200, 404, 200, 404, 404, 404, 404, 200)),
    "contract_edit": (
        lambda w: f"/marches/{w['contract'].pk}/modifier/",
        (302, 403, 404, 403, 404, 404, 404, 404, 403),
    ),
    "contract_chart": (
        lambda w: f"/marches/{w['contract'].pk}/graphique.svg",
        (302, 200, 404, 200, 404, 404, 404, 404, 200),
    ),
    "contract_export": (
        lambda w: f"/marches/{w['contract'].pk}/avancement.xlsx",
        (302, 200, 404, 200, 404, 404, 404, 404, 200),
    ),
    "contracts_at_risk": (lambda w: "/marches/a-risque/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "contract_create": (lambda w: "/marches/nouveau/", (302, 200, 200, 403, 403, 403, 403, 403, 200)),
    "decp_import": (lambda w: "/marches/import-decp/", (302, 200, 200, 403, 403, 403, 403, 403, 200)),
    "clause_settings": (lambda w: "/marches/valeurs-de-reference/", (302, 403, 403, 403, 403, 403, 403, 403, 200)),
    "siae_directory": (lambda w: "/marches/siae/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "siae_detail": (lambda w: f"/marches/siae/{w['siae_profile'].pk}/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "siae_order_list": (lambda w: "/marches/commandes-siae/", (302, 200, 200, 200, 200, 403, 403, 200, 200)),
    "statement_list": (lambda w: "/marches/heures/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    # A proof (pay slip...) goes to the facilitator and the declaring company only: 404 for anyone else,
    # anonymous visitors included, on the page as in the API.
    "statement_proof": (
        lambda w: f"/marches/heures/{w['statement'].pk}/justificatif/",
        (404, 404, 404, 200, 404, 404, 404, 404, 200),
    ),
    "statement_correct": (
        lambda w: f"/marches/heures/{w['statement'].pk}/corriger/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "declare_hours": (
        lambda w: f"/marches/heures/declarer/{w['source'].pk}/",
        (302, 403, 403, 200, 404, 403, 403, 403, 403),
    ),
    "report_dashboard": (lambda w: "/marches/rapports/", (302, 200, 200, 403, 403, 403, 403, 403, 200)),
    "annual_report": (lambda w: "/marches/rapports/annuel/2024.xlsx", (302, 403, 403, 403, 403, 403, 403, 403, 200)),
    "job_board": (lambda w: "/offres/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "position_detail": (lambda w: f"/offres/{w['position'].pk}/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "position_propose": (
        lambda w: f"/offres/{w['position'].pk}/proposer/",
        (302, 403, 403, 403, 403, 200, 200, 403, 403),
    ),
    "draft_position_detail": (
        lambda w: f"/offres/{w['draft_position'].pk}/",
        (404, 200, 404, 200, 404, 404, 404, 404, 200),
    ),
    "my_positions": (lambda w: "/offres/gestion/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "position_create": (lambda w: "/offres/nouvelle/", (302, 403, 403, 200, 200, 403, 403, 403, 403)),
    "position_edit": (lambda w: f"/offres/{w['position'].pk}/modifier/", (302, 403, 403, 200, 404, 403, 403, 403, 403)),
    "candidate_list": (lambda w: "/candidats/", (302, 403, 403, 403, 403, 200, 200, 403, 200)),
    "candidate_create": (lambda w: "/candidats/nouveau/", (302, 403, 403, 403, 403, 200, 200, 403, 403)),
    "candidate_import": (lambda w: "/candidats/importer/", (302, 403, 403, 403, 403, 200, 200, 403, 403)),
    "candidate_import_job": (
        lambda w: f"/candidats/importer/{w['candidate_import'].pk}/",
        (302, 403, 403, 403, 403, 200, 404, 403, 403),
    ),
    "candidate_detail": (lambda w: f"/candidats/{w['candidate'].pk}/", (302, 404, 404, 404, 404, 200, 404, 404, 200)),
    "candidate_edit": (
        lambda w: f"/candidats/{w['candidate'].pk}/modifier/",
        (302, 403, 403, 403, 403, 200, 404, 403, 403),
    ),
    "candidate_skills": (
        lambda w: f"/candidats/{w['candidate'].pk}/competences/",
        (302, 403, 403, 403, 403, 200, 404, 403, 403),
    ),
    "eligibility_check": (
        lambda w: f"/candidats/{w['candidate'].pk}/eligibilite/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "candidate_submit": (
        lambda w: f"/candidats/{w['candidate'].pk}/positionner/",
        (302, 403, 403, 403, 403, 200, 404, 403, 403),
    ),
    "candidate_export_json": (
        lambda w: f"/candidats/{w['candidate'].pk}/donnees.json",
        (302, 403, 403, 403, 403, 200, 404, 403, 200),
    ),
    "candidate_export_xlsx": (
        lambda w: f"/candidats/{w['candidate'].pk}/donnees.xlsx",
        (302, 403, 403, 403, 403, 200, 404, 403, 200),
    ),
    "candidate_anonymise": (
        lambda w: f"/candidats/{w['candidate'].pk}/anonymiser/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "candidate_matches": (
        lambda w: f"/candidats/{w['candidate'].pk}/offres-proposees/",
        (302, 403, 403, 403, 403, 200, 404, 403, 200),
    ),
    "submission_list": (lambda w: "/candidatures/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "submission_detail": (
        lambda w: f"/candidatures/{w['submission'].pk}/",
        (302, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    "placement_list": (lambda w: "/mises-a-l-emploi/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "placement_detail": (
        lambda w: f"/mises-a-l-emploi/{w['placement'].pk}/",
        (302, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    "placement_export": (lambda w: "/mises-a-l-emploi/export.xlsx", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "follow_up": (lambda w: "/suivi/", (302, 403, 403, 403, 403, 403, 403, 403, 200)),
    "audit_log": (lambda w: "/journal-d-audit/", (302, 403, 403, 403, 403, 403, 403, 403, 200)),
    "audit_log_of_candidate": (
        lambda w: f"/journal-d-audit/?candidat={w['candidate'].pk}",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "notification_list": (lambda w: "/notifications/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "position_matches": (
        lambda w: f"/offres/{w['position'].pk}/propositions/",
        (302, 403, 403, 403, 403, 200, 200, 403, 200),
    ),
    "matching_fairness": (lambda w: "/rapprochement/equite/", (302, 403, 403, 403, 403, 403, 403, 403, 200)),
    "members": (lambda w: "/organisation/membres/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "organisation_decisions": (
        lambda w: "/organisations/a-valider/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "api_access": (lambda w: "/compte/acces/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_me": (lambda w: "/api/v1/me/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_contracts": (lambda w: "/api/v1/contracts/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_contract": (lambda w: f"/api/v1/contracts/{w['contract'].pk}/", (401, 200, 404, 200, 404, 404, 404, 404, 200)),
    "api_contract_progress": (
        lambda w: f"/api/v1/contracts/{w['contract'].pk}/progress/",
        (401, 200, 404, 200, 404, 404, 404, 404, 200),
    ),
    "api_siae": (lambda w: "/api/v1/siae/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_siae_orders": (lambda w: "/api/v1/siae-orders/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_hours": (lambda w: "/api/v1/hours/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_hours_detail": (
        lambda w: f"/api/v1/hours/{w['statement'].pk}/",
        (401, 200, 404, 200, 404, 404, 404, 404, 200),
    ),
    "api_hours_proof": (
        lambda w: f"/api/v1/hours/{w['statement'].pk}/proof/",
        (404, 404, 404, 200, 404, 404, 404, 404, 200),
    ),
    "api_sector_defaults": (lambda w: "/api/v1/sector-defaults/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_clause_settings": (lambda w: "/api/v1/clause-settings/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_reports_summary": (lambda w: "/api/v1/reports/summary/", (401, 200, 200, 403, 403, 403, 403, 403, 200)),
    "api_positions": (lambda w: "/api/v1/positions/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_position": (lambda w: f"/api/v1/positions/{w['position'].pk}/", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_draft_position": (
        lambda w: f"/api/v1/positions/{w['draft_position'].pk}/",
        (404, 200, 404, 200, 404, 404, 404, 404, 200),
    ),
    "api_position_matches": (
        lambda w: f"/api/v1/positions/{w['position'].pk}/matches/",
        (401, 403, 403, 403, 403, 200, 200, 403, 200),
    ),
    "api_candidates": (lambda w: "/api/v1/candidates/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_candidate": (
        lambda w: f"/api/v1/candidates/{w['candidate'].pk}/",
        (401, 404, 404, 404, 404, 200, 404, 404, 200),
    ),
    "api_candidate_matches": (
        lambda w: f"/api/v1/candidates/{w['candidate'].pk}/matches/",
        (401, 403, 403, 403, 403, 200, 404, 403, 200),
    ),
    "api_candidate_import": (
        lambda w: f"/api/v1/candidate-imports/{w['candidate_import'].pk}/",
        (401, 403, 403, 403, 403, 200, 404, 403, 403),
    ),
    "api_eligibility_checks": (lambda w: "/api/v1/eligibility-checks/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_submissions": (lambda w: "/api/v1/submissions/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_submission": (
        lambda w: f"/api/v1/submissions/{w['submission'].pk}/",
        (401, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    "api_submission_history": (
        lambda w: f"/api/v1/submissions/{w['submission'].pk}/history/",
        (401, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    "api_placements": (lambda w: "/api/v1/placements/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_placement": (
        lambda w: f"/api/v1/placements/{w['placement'].pk}/",
        (401, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    "api_occupations": (lambda w: "/api/v1/occupations/?q=macon", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Information sessions: the held one has the candidate, sent to the company; the planned one nobody yet (an
    # announcement every prescriber sees, to sign its people up).
    "session_list": (lambda w: "/informations-collectives/", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    "session_create": (lambda w: "/informations-collectives/nouvelle/", (302, 403, 403, 403, 403, 403, 403, 403, 200)),
    "session_detail": (
        lambda w: f"/informations-collectives/{w['session'].pk}/",
        (302, 200, 404, 200, 404, 200, 404, 404, 200),
    ),
    "planned_session_detail": (
        lambda w: f"/informations-collectives/{w['planned_session'].pk}/",
        (302, 200, 404, 200, 404, 200, 200, 404, 200),
    ),
    "session_edit": (
        lambda w: f"/informations-collectives/{w['planned_session'].pk}/modifier/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "session_matches": (
        lambda w: f"/informations-collectives/{w['planned_session'].pk}/propositions/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "invitation_detail": (
        lambda w: f"/informations-collectives/invitations/{w['session_invitation'].pk}/",
        (302, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    # The confirmation pages of irreversible moves (without JavaScript): cancelling is the facilitator's alone;
    # the person sent to the company has no move left that ends their way, so no one gets a form (403), and
    # those who may not read the invitation do not learn it exists (404).
    "session_cancel_confirm": (
        lambda w: f"/informations-collectives/{w['planned_session'].pk}/annuler/",
        (302, 403, 403, 403, 403, 403, 403, 403, 200),
    ),
    "invitation_move_confirm": (
        lambda w: f"/informations-collectives/invitations/{w['session_invitation'].pk}/etat/?to=withdrawn",
        (302, 404, 404, 403, 404, 403, 404, 404, 403),
    ),
    "api_sessions": (lambda w: "/api/v1/sessions/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_session": (
        lambda w: f"/api/v1/sessions/{w['session'].pk}/",
        (401, 200, 404, 200, 404, 200, 404, 404, 200),
    ),
    "api_planned_session": (
        lambda w: f"/api/v1/sessions/{w['planned_session'].pk}/",
        (401, 200, 404, 200, 404, 200, 200, 404, 200),
    ),
    "api_invitations": (lambda w: "/api/v1/invitations/", (401, 200, 200, 200, 200, 200, 200, 200, 200)),
    "api_invitation": (
        lambda w: f"/api/v1/invitations/{w['session_invitation'].pk}/",
        (401, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
    "api_invitation_history": (
        lambda w: f"/api/v1/invitations/{w['session_invitation'].pk}/history/",
        (401, 404, 404, 200, 404, 200, 404, 404, 200),
    ),
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


@pytest.fixture
def world(buyer_org, company_org, prescriber_org, facilitator_org):
    """One contract of ``buyer_org`` awarded to ``company_org``, one open position on it, one candidate of
    ``prescriber_org`` sent to the company from an information session held today and hired (placement pending),
    one hours statement, and an information session planned for the position."""
    contract = ContractFactory(buyer=buyer_org, in_progress=True)
    Award.objects.create(contract=contract, company=company_org, hours_share=contract.clause_hours)
    source = HoursSourceFactory(contract=contract, company=company_org)
    statement = HoursStatementFactory(source=source, proof=pdf_upload(), proof_content_type="application/pdf")
    position = PositionFactory(company=company_org, contract=contract)
    candidate = CandidateFactory(prescriber=prescriber_org)
    EligibilityCheckFactory(candidate=candidate, checked_by_organisation=facilitator_org)
    submission = SubmissionFactory(candidate=candidate, position=position, sent=True, note=PRESCRIBER_NOTES[0])
    SubmissionTransition.objects.create(
        submission=submission,
        to_state=SubmissionState.PRESELECTED,
        actor=submission.submitted_by,
        actor_organisation=facilitator_org,
        at=submission.reached_company_at - datetime.timedelta(hours=1),
        note=PRESCRIBER_NOTES[1],
    )
    placement = Placement.objects.create(
        submission=submission,
        position=position,
        contract_type=ContractType.CDD,
        hired_on=timezone.localdate(),
        start_date=timezone.localdate() + datetime.timedelta(days=7),
        weekly_hours=35,
        state=PlacementState.PENDING,
    )
    session = InformationSessionFactory(today=True, positions=[position], organiser=facilitator_org, state="held")
    invitation = SessionInvitationFactory(
        session=session, candidate=candidate, position=position, submission=submission, state=InvitationState.SENT
    )
    siae = OrganisationFactory(siae=True)
    return {
        "session": session,
        "session_invitation": invitation,
        "planned_session": InformationSessionFactory(positions=[position], organiser=facilitator_org),
        "contract": contract,
        "source": source,
        "statement": statement,
        "position": position,
        "candidate": candidate,
        "submission": submission,
        "placement": placement,
        "draft_position": PositionFactory(company=company_org, contract=contract, state="draft"),
        "siae": siae,
        "siae_profile": SiaeProfileFactory(organisation=siae),
        "candidate_import": CandidateImport.objects.create(
            organisation=prescriber_org, actor=submission.submitted_by, file_name="vivier.csv"
        ),
    }


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
    "submission_detail": PRESCRIBER_NOTES,
    "api_submission": PRESCRIBER_NOTES[:1],
    "api_submission_history": PRESCRIBER_NOTES[1:],
}
# Pages where criteria appear as labels, not as anyone's data: the forms a prescriber fills in for its
# own pool (choices), and the reports (row headers of aggregate counts).
CRITERIA_AS_LABELS = {"candidate_create", "candidate_import", "report_dashboard"}
# Files listing people name them for the facilitator only: a file travels, everyone else gets pseudonyms.
PSEUDONYMISED_FILES = {"placement_export"}


def fetch(role, url, request, client, api_client, api_as):
    user = None if role == "anonymous" else request.getfixturevalue(ROLE_USERS[role])
    if url.startswith("/api/"):
        return (api_client if user is None else api_as(user)).get(url)
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body(response):
    """The text a role receives, spreadsheets' cells included."""
    content = getattr(response, "streaming_content", None)
    raw = b"".join(content) if content is not None else response.content
    if response.get("Content-Type") == XLSX:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(str(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    return raw.decode("utf-8", errors="replace")


@pytest.mark.parametrize("role", ROLES)
def test_every_resource_answers_each_role_as_expected(role, world, request, client, api_client, api_as):
    column = ROLES.index(role)
    candidate_name = world["candidate"].last_name
    wrong_status, leaks = {}, {}
    for resource, (url, statuses) in MATRIX.items():
        response = fetch(role, url(world), request, client, api_client, api_as)
        if response.status_code != statuses[column]:
            wrong_status[resource] = (response.status_code, statuses[column])
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
    assert all(len(statuses) == len(ROLES) for _, statuses in MATRIX.values())
