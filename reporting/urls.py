from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.report_dashboard, name="report_dashboard"),
    path("annuel/<int:year>.xlsx", views.annual_report, name="annual_report"),
]
