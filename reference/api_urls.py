from django.urls import path

from reference import api

urlpatterns = [
    path("occupations/", api.JobTitleSearchView.as_view(), name="api-occupations"),
    path("communes/", api.CommuneSearchView.as_view(), name="api-communes"),
]
