from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("reference.api_urls")),
    path("", include("procurement.api_urls")),
    path("", include("marketplace.api_urls")),
    path("", include("matching.api_urls")),
    path("", include("reporting.api_urls")),
]
