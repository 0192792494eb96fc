from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as accounts_views
from common import pages as site_pages
from common.health import health

admin.site.site_header = "Passerelle – administration"
# The admin is entered through the site's login, with its second step and its lockout, never through a password
# form of its own.
admin.site.login = secure_admin_login(admin.site.login)
handler404 = "common.api_errors.not_found"
handler500 = "common.api_errors.server_error"

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("comptes/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("referentiels/", include("reference.urls")),
    path("marches/rapports/", include("reporting.urls")),
    path("marches/", include("procurement.urls")),
    path("", include("marketplace.urls")),
    path("", include("matching.urls")),
    path("", include("notifications.urls")),
    path("journal-d-audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "api/docs/",
        # The split view serves Swagger UI's start-up script from a URL of its own: the CSP refuses inline scripts.
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html")),
        name="api-docs",
    ),
    # Browsers ask for it on pages that name no icon (the admin's); resolved on request, once static files are built.
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=lazy(static, str)("dsfr/dist/favicon/favicon.ico"))),
    ),
    # Trust pages, linked from the footer.
    path("accessibilite/", site_pages.accessibility_statement, name="accessibility"),
    path("mentions-legales/", site_pages.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", site_pages.personal_data, name="personal_data"),
    path("donnees-personnelles/candidats/", site_pages.candidate_information, name="candidate_information"),
    path("aide/", site_pages.help_page, name="help"),
]

if settings.DEBUG or getattr(settings, "SERVE_MEDIA", False):
    # The demo (config/settings/dev.py) serves uploads itself, debug on or off; production never does.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
