from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication

from accounts.current import set_current_organisation


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's hashed, expiring tokens (``Authorization: Token …``), also resolving the caller's current
    organisation, as the middleware does for sessions."""

    def _cleanup_token(self, auth_token):
        """Only this token's own expiry, checked in memory: knox also sweeps the person's other expired tokens,
        one more query on every API call. Expired tokens are refused all the same; the account page hides them,
        and they go when used or when a new password or "log out everywhere" ends them all."""
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            django_request = request._request
            django_request.user = result[0]
            set_current_organisation(django_request)
        return result
