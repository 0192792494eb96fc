from django.urls import path

from matching import api

urlpatterns = [
    path("positions/<int:pk>/matches/", api.position_matches, name="api-position-matches"),
    path("candidates/<int:pk>/matches/", api.candidate_matches, name="api-candidate-matches"),
    path("occupations/<str:code_rome>/similar/", api.similar_occupations, name="api-similar-occupations"),
]
