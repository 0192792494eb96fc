from django.urls import path
from rest_framework.routers import SimpleRouter

from procurement import api

router = SimpleRouter()
router.register("contracts", api.ContractViewSet, basename="contract")
router.register("siae", api.SiaeViewSet, basename="siae")
router.register("siae-orders", api.SiaeOrderViewSet, basename="siae-order")
router.register("hours", api.HoursViewSet, basename="hours")
router.register("sector-defaults", api.SectorDefaultsViewSet, basename="sector-defaults")

urlpatterns = [
    path("clause-settings/", api.ClauseSettingsView.as_view(), name="clause-settings"),
    *router.urls,
]
