"""The client's address, read the same way by the audit log, django-axes and allauth's rate limits."""

import ipaddress

from django.conf import settings


def trusted_proxy_networks():
    """``TRUSTED_PROXIES`` (checked by the settings): the addresses or networks the reverse proxy connects from;
    ``unix`` for a proxy reaching gunicorn through a Unix socket, where the connection has no address."""
    return [
        entry if entry == "unix" else ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES
    ]


def came_through_trusted_proxy(remote_addr):
    for network in trusted_proxy_networks():
        if network == "unix":
            if not remote_addr:
                return True
            continue
        try:
            if ipaddress.ip_address(remote_addr) in network:
                return True
        except ValueError:
            continue
    return False


def client_ip(request):
    """REMOTE_ADDR, or for a request that came through the trusted proxy (REMOTE_ADDR in ``TRUSTED_PROXIES``),
    behind ``ALLAUTH_TRUSTED_PROXY_COUNT`` reverse proxies, the address the outermost one saw, read from the right
    of X-Forwarded-For: entries further left are whatever the client sent, and a request reaching gunicorn
    directly may say anything there. None when there is no valid address (a login made in code, such as the
    test client's ``force_login``)."""
    proxies = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    remote_addr = request.META.get("REMOTE_ADDR", "")
    candidates = []
    if proxies and came_through_trusted_proxy(remote_addr):
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if ip.strip()]
        if len(forwarded) >= proxies:
            candidates.append(forwarded[-proxies])
    for value in [*candidates, remote_addr]:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return None
