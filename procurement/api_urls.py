from rest_framework.routers import SimpleRouter

from procurement import api

router = SimpleRouter()
router.register("contracts", api.ContractViewSet, basename="contract")
router.register("siae", api.SiaeViewSet, basename="siae")
router.register("siae-orders", api.SiaeOrderViewSet, basename="siae-order")
router.register("hours", api.HoursViewSet, basename="hours")

urlpatterns = router.urls
