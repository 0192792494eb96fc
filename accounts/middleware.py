from django.contrib.auth.middleware import (
    LoginRequiredMiddleware as DjangoLoginRequiredMiddleware,
)
from rest_framework.views import APIView

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
