from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts import views as accounts_views
from config.health import health

admin.site.site_header = "Passerelle – administration"
handler404 = "config.api_errors.not_found"

urlpatterns = [
    path("", accounts_views.home, name="home"),
    path("comptes/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("referentiels/", include("reference.urls")),
    path("marches/", include("procurement.urls")),
    path("", include("marketplace.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path(
        "api/docs/",
        login_not_required(SpectacularSwaggerView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path(
        "accessibilite/",
        login_not_required(TemplateView.as_view(template_name="pages/accessibility.html")),
        name="accessibility",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
