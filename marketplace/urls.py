from django.urls import path

from marketplace.views import candidates, personal_data, placements, positions, sessions, submissions

app_name = "marketplace"

urlpatterns = [
    # Public job board, then the company's positions.
    path("offres/", positions.job_board, name="job_board"),
    path("offres/<int:pk>/", positions.position_detail, name="position_detail"),
    path("offres/<int:pk>/proposer/", positions.position_propose, name="position_propose"),
    path("offres/gestion/", positions.my_positions, name="my_positions"),
    path("offres/nouvelle/", positions.position_edit, name="position_create"),
    path("offres/<int:pk>/modifier/", positions.position_edit, name="position_edit"),
    path("offres/<int:pk>/etat/", positions.position_state, name="position_state"),
    # Prescribers' pools and the facilitator's eligibility checks.
    path("candidats/", candidates.candidate_list, name="candidate_list"),
    path("candidats/nouveau/", candidates.candidate_edit, name="candidate_create"),
    path("candidats/importer/", candidates.candidate_import, name="candidate_import"),
    path("candidats/importer/<int:pk>/", candidates.candidate_import_job, name="candidate_import_job"),
    path("candidats/importer/modele.csv", candidates.candidate_import_template, name="candidate_import_template"),
    path("candidats/<int:pk>/", candidates.candidate_detail, name="candidate_detail"),
    path("candidats/<int:pk>/modifier/", candidates.candidate_edit, name="candidate_edit"),
    path("candidats/<int:pk>/competences/", candidates.candidate_skills, name="candidate_skills"),
    path("candidats/<int:pk>/eligibilite/", candidates.eligibility_check, name="eligibility_check"),
    path("candidats/<int:pk>/positionner/", candidates.candidate_submit, name="candidate_submit"),
    # A person's data under the GDPR.
    path("candidats/<int:pk>/donnees.<str:fmt>", personal_data.candidate_export, name="candidate_export"),
    path("candidats/<int:pk>/anonymiser/", personal_data.candidate_anonymise, name="candidate_anonymise"),
    # Submissions and placements.
    path("candidatures/", submissions.submission_list, name="submission_list"),
    path("candidatures/<int:pk>/", submissions.submission_detail, name="submission_detail"),
    path("candidatures/<int:pk>/transition/", submissions.submission_transition, name="submission_transition"),
    path("mises-a-l-emploi/", placements.placement_list, name="placement_list"),
    path("mises-a-l-emploi/export.xlsx", placements.placement_export, name="placement_export"),
    path("mises-a-l-emploi/<int:pk>/", placements.placement_detail, name="placement_detail"),
    path("mises-a-l-emploi/<int:pk>/decision/", placements.placement_decide, name="placement_decide"),
    path("mises-a-l-emploi/<int:pk>/sortie/", placements.placement_outcome, name="placement_outcome"),
    path("suivi/", placements.follow_up, name="follow_up"),
    # Information sessions (*informations collectives*) and the invitations to them.
    path("informations-collectives/", sessions.session_list, name="session_list"),
    path("informations-collectives/nouvelle/", sessions.session_edit, name="session_create"),
    path("informations-collectives/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("informations-collectives/<int:pk>/modifier/", sessions.session_edit, name="session_edit"),
    path("informations-collectives/<int:pk>/annuler/", sessions.session_cancel, name="session_cancel"),
    path("informations-collectives/<int:pk>/inviter/", sessions.session_invite, name="session_invite"),
    path("informations-collectives/<int:pk>/inscrire/", sessions.session_register, name="session_register"),
    path("informations-collectives/invitations/<int:pk>/", sessions.invitation_detail, name="invitation_detail"),
    path("informations-collectives/invitations/<int:pk>/etat/", sessions.invitation_move, name="invitation_move"),
    path(
        "informations-collectives/invitations/<int:pk>/suite/", sessions.invitation_outcome, name="invitation_outcome"
    ),
]
