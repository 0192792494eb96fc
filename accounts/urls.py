from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("organisation/creer/", views.create_organisation, name="create_organisation"),
    path("organisation/rejoindre/", views.join_organisation, name="join_organisation"),
    path("organisation/en-attente/", views.pending, name="pending"),
    path("organisations/a-valider/", views.decisions, name="decisions"),
    path("organisations/a-valider/<str:kind>/<int:pk>/", views.decide, name="decide"),
    path("organisation/changer/", views.switch_organisation, name="switch_organisation"),
    path("organisation/membres/", views.members, name="members"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("compte/acces/", views.api_access, name="api_access"),
    path("compte/acces/jetons/<str:token_key>/revoquer/", views.revoke_api_token, name="revoke_api_token"),
    path("compte/acces/deconnexion-partout/", views.end_every_session, name="end_every_session"),
]
