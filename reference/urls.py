from django.urls import path

from reference import views

app_name = "reference"

urlpatterns = [
    path("appellations/recherche/", views.job_title_search, name="job_title_search"),
    path("communes/recherche/", views.commune_search, name="commune_search"),
]
