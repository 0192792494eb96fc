from django.urls import path

from procurement import views

app_name = "procurement"

urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    path("nouveau/", views.contract_create, name="contract_create"),
    path("a-risque/", views.contracts_at_risk, name="contracts_at_risk"),
    path("<int:pk>/", views.contract_detail, name="contract_detail"),
    path("<int:pk>/modifier/", views.contract_edit, name="contract_edit"),
    path("<int:pk>/transition/", views.contract_transition, name="contract_transition"),
    path("<int:pk>/attribuer/", views.contract_award, name="contract_award"),
    path("<int:pk>/graphique.svg", views.contract_chart, name="contract_chart"),
    path("<int:pk>/avancement.xlsx", views.contract_export, name="contract_export"),
    path("<int:pk>/commandes-siae/nouvelle/", views.siae_order_create, name="siae_order_create"),
    path("import-decp/", views.decp_import, name="decp_import"),
    path("valeurs-de-reference/", views.clause_settings, name="clause_settings"),
    path("siae/", views.siae_directory, name="siae_directory"),
    path("siae/<int:pk>/", views.siae_detail, name="siae_detail"),
    path("siae/ma-fiche/", views.siae_profile_edit, name="siae_profile_edit"),
    path("commandes-siae/", views.siae_order_list, name="siae_order_list"),
    path("heures/", views.statement_list, name="statement_list"),
    path("heures/declarer/<int:source_pk>/", views.declare_hours, name="declare_hours"),
    path("heures/valider/", views.statement_validate_many, name="statement_validate_many"),
    path("heures/<int:pk>/valider/", views.statement_validate, name="statement_validate"),
    path("heures/<int:pk>/justificatif/", views.statement_proof, name="statement_proof"),
    path("heures/<int:pk>/corriger/", views.statement_correct, name="statement_correct"),
    path("heures/<int:pk>/refuser/", views.statement_reject, name="statement_reject"),
]
