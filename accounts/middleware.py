from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.middleware import (
    LoginRequiredMiddleware as DjangoLoginRequiredMiddleware,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from rest_framework.views import APIView

from accounts import perms
from accounts.current import set_current_organisation
from accounts.second_factor import MISSING, SECOND_FACTOR_SESSION_KEY, second_factor_of_session


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
    """Two checks on every page and API call made with a session:

    - a person with an authenticator app whose session did not pass the second factor (logged in some other way
      than allauth's two steps) is asked for a code (allauth's reauthentication) before anything else;
    - a person who must use two-factor authentication (``perms.mfa_required``) and has no authenticator app yet
      is sent to its activation page, from every page but the two-factor pages themselves and logging out.

    Costs no query once the session is classified at login, but one per request for the people concerned."""

    ALLOWED_URL_NAMES = {"account_logout", "account_reauthenticate"}
    SECOND_STEP_URL_NAMES = {"account_logout", "mfa_reauthenticate"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        url_name = request.resolver_match.url_name or ""
        state = request.session.get(SECOND_FACTOR_SESSION_KEY)
        if state in {None, MISSING}:  # a session from before this check, or one still owing its code
            state = second_factor_of_session(request, request.user)
            request.session[SECOND_FACTOR_SESSION_KEY] = state
        if state == MISSING and url_name not in self.SECOND_STEP_URL_NAMES:
            messages.warning(request, "Votre compte est protégé par la double authentification : saisissez le code.")
            return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        if not perms.mfa_required(getattr(request, "user_organisations", [])):
            return None
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
