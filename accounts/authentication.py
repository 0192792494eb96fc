from rest_framework.authentication import TokenAuthentication as BaseTokenAuthentication

from accounts.current import set_current_organisation


class TokenAuthentication(BaseTokenAuthentication):
    """Token auth that also resolves the caller's current organisation, as the middleware does for sessions."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            django_request = request._request
            django_request.user = result[0]
            set_current_organisation(django_request)
        return result
