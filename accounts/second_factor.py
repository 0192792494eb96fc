"""Whether a session passed the second factor (allauth.mfa), decided once at login so that pages need no query
to know it (read by ``accounts.middleware.MFARequiredMiddleware``)."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SECOND_FACTOR_SESSION_KEY = "second_factor"
PASSED, NOT_SET_UP, MISSING = "passed", "not_set_up", "missing"


def second_factor_of_session(request, user):
    """PASSED when this session typed a code (login or reauthentication), MISSING when the person has an
    authenticator app but this session did not (a login that skipped allauth's second step), else NOT_SET_UP."""
    if any(record.get("method") == "mfa" for record in get_authentication_records(request, user)):
        return PASSED
    if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
        return MISSING
    return NOT_SET_UP


@receiver(user_logged_in)
def remember_second_factor(sender, request, user, **kwargs):
    """Every login, whatever its way in, is classified once (one query)."""
    request.session[SECOND_FACTOR_SESSION_KEY] = second_factor_of_session(request, user)
