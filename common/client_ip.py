"""The client's address, read the same way by the audit log, django-axes and allauth's rate limits."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or behind ``ALLAUTH_TRUSTED_PROXY_COUNT`` reverse proxies the address the outermost one
    saw, read from the right of X-Forwarded-For: entries further left are whatever the client sent. None when
    there is no valid address (a login made in code, such as the test client's ``force_login``)."""
    proxies = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if ip.strip()]
    candidates = [forwarded[-proxies]] if proxies and len(forwarded) >= proxies else []
    for value in [*candidates, request.META.get("REMOTE_ADDR", "")]:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return None
