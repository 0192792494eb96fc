from django.urls import path

from matching import views

app_name = "matching"

# The matcher's proposals and its fairness report, at the addresses they had under the marketplace.
urlpatterns = [
    path("offres/<int:pk>/propositions/", views.position_matches, name="position_matches"),
    path("offres/<int:pk>/propositions/positionner/", views.position_matches_submit, name="position_matches_submit"),
    path("offres/<int:pk>/propositions/demander/", views.position_matches_ask, name="position_matches_ask"),
    path("candidats/<int:pk>/offres-proposees/", views.candidate_matches, name="candidate_matches"),
    path("rapprochement/equite/", views.fairness_report, name="matching_fairness"),
    # People to invite to an information session, from every pool.
    path("informations-collectives/<int:pk>/propositions/", views.session_matches, name="session_matches"),
    path(
        "informations-collectives/<int:pk>/propositions/inviter/",
        views.session_matches_invite,
        name="session_matches_invite",
    ),
]
