from django.urls import path
from rest_framework.routers import SimpleRouter

from marketplace import api, matches_api

router = SimpleRouter()
router.register("positions", api.PositionViewSet, basename="api-position")
router.register("candidates", api.CandidateViewSet, basename="api-candidate")
router.register("candidate-imports", api.CandidateImportViewSet, basename="api-candidate-import")
router.register("eligibility-checks", api.EligibilityCheckViewSet, basename="api-eligibility-check")
router.register("submissions", api.SubmissionViewSet, basename="api-submission")
router.register("placements", api.PlacementViewSet, basename="api-placement")

urlpatterns = [
    path("positions/<int:pk>/matches/", matches_api.position_matches, name="api-position-matches"),
    path("candidates/<int:pk>/matches/", matches_api.candidate_matches, name="api-candidate-matches"),
    path("occupations/<str:code_rome>/similar/", matches_api.similar_occupations, name="api-similar-occupations"),
    *router.urls,
]
