"""Failed logins, counted by django-axes per account and address (settings ``AXES_*``): the hooks axes calls,
the French page a locked-out person sees, and the log line each lockout leaves."""

import logging
import math

from allauth.account.signals import password_reset
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.db.models import Max
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger(__name__)


def normalise(email):
    return (email or "").strip().lower() or None


def attempted_email(request, credentials):
    """The account an attempt was for (``AXES_USERNAME_CALLABLE``), the same whatever its case. allauth's login
    form and the API pass ``email``; axes itself passes ``login`` (``AXES_USERNAME_FORM_FIELD``) on success."""
    credentials = credentials or {}
    for key in ("email", settings.AXES_USERNAME_FORM_FIELD, "username"):
        if credentials.get(key):
            return normalise(credentials[key])
    return normalise(getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD))


def seconds_until_unlocked(request, credentials):
    """How long this account stays locked from this address: the cool-off runs from the last counted failure."""
    last_failure = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials), ip_address=request.axes_ip_address
    ).aggregate(last=Max("attempt_time"))["last"]
    if last_failure is None:
        return 0
    return max(0, math.ceil((last_failure + get_cool_off(request) - timezone.now()).total_seconds()))


def lockout_response(request, original_response, credentials):
    """The page shown instead of the login form once the account is locked from this address
    (``AXES_LOCKOUT_CALLABLE``): how long to wait, and the password reset that unlocks it at once."""
    minutes = max(1, math.ceil(seconds_until_unlocked(request, credentials) / 60))
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "account/lockout.html", context, status=429)


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning("Login locked out for %s from %s after repeated failures", username, ip_address)


@receiver(password_reset)
def unlock_after_password_reset(sender, request, user, **kwargs):
    """Resetting one's password proves the mailbox is one's own: the lockout has done its job."""
    count = reset(username=normalise(user.email))
    if count:
        logger.info("Login unlocked for %s by a password reset", normalise(user.email))
