from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.plumbing import build_mock_request as spectacular_build_mock_request


def build_mock_request(method, path, view, original_request, **kwargs):
    """Schema generation builds requests that never went through our middleware: the schema describes
    every organisation's API, so views are introspected with no current organisation."""
    request = spectacular_build_mock_request(method, path, view, original_request, **kwargs)
    request._request.organisation = None
    request._request.user_organisations = []
    return request


class TokenScheme(KnoxTokenScheme):
    """Our token authentication is knox's (``accounts.authentication``): described as knox's is."""

    target_class = "accounts.authentication.TokenAuthentication"
    name = "tokenAuth"
