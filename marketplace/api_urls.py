from rest_framework.routers import SimpleRouter

from marketplace import api

router = SimpleRouter()
router.register("positions", api.PositionViewSet, basename="api-position")
router.register("candidates", api.CandidateViewSet, basename="api-candidate")
router.register("candidate-imports", api.CandidateImportViewSet, basename="api-candidate-import")
router.register("eligibility-checks", api.EligibilityCheckViewSet, basename="api-eligibility-check")
router.register("submissions", api.SubmissionViewSet, basename="api-submission")
router.register("placements", api.PlacementViewSet, basename="api-placement")
router.register("sessions", api.InformationSessionViewSet, basename="api-session")
router.register("invitations", api.SessionInvitationViewSet, basename="api-invitation")

urlpatterns = router.urls
