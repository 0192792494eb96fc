from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.middleware import (
    LoginRequiredMiddleware as DjangoLoginRequiredMiddleware,
)
from django.shortcuts import redirect
from rest_framework.views import APIView

from accounts import perms
from accounts.current import set_current_organisation


class CurrentOrganisationMiddleware:
    """Sets ``request.organisation`` for session users. Token-authenticated API calls are only
    authenticated inside the view: ``accounts.authentication`` sets it for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        set_current_organisation(request)
        return self.get_response(request)


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's login-required default, except for API views: DRF authenticates those itself
    (tokens are only read inside the view) and answers 401/403 in JSON rather than redirecting."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if view_class is not None and issubclass(view_class, APIView):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class MFARequiredMiddleware:
    """Sends a person who must use two-factor authentication (``perms.mfa_required``) and has no authenticator
    app yet to its activation page, from every page but the two-factor pages themselves and logging out.
    Costs one query per request, for those people only."""

    ALLOWED_URL_NAMES = {"account_logout", "account_reauthenticate"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not perms.mfa_required(getattr(request, "user_organisations", [])):
            return None
        url_name = request.resolver_match.url_name or ""
        if url_name.startswith("mfa_") or url_name in self.ALLOWED_URL_NAMES:
            return None
        if is_mfa_enabled(request.user, [Authenticator.Type.TOTP]):
            return None
        messages.warning(
            request,
            "Votre organisation protège ses comptes par la double authentification : "
            "activez-la pour accéder à Passerelle.",
        )
        return redirect("mfa_activate_totp")
