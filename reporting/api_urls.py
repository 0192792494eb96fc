from django.urls import path

from reporting import api

urlpatterns = [
    path("reports/summary/", api.ReportSummaryView.as_view(), name="report-summary"),
]
