from knox.auth import TokenAuthentication as KnoxTokenAuthentication

from accounts.current import set_current_organisation


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's hashed, expiring tokens (``Authorization: Token …``), also resolving the caller's current
    organisation, as the middleware does for sessions."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            django_request = request._request
            django_request.user = result[0]
            set_current_organisation(django_request)
        return result
