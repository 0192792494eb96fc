import ipaddress

from django.conf import settings

from audit import context
from audit.enums import Channel


def client_ip(request):
    """REMOTE_ADDR, or the address ``AUDIT_TRUSTED_PROXIES`` reverse proxies in front of the site
    saw, read from the right of X-Forwarded-For: entries further left are whatever the client sent."""
    proxies = settings.AUDIT_TRUSTED_PROXIES
    forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if ip.strip()]
    candidates = [forwarded[-proxies]] if proxies and len(forwarded) >= proxies else []
    for value in [*candidates, request.META.get("REMOTE_ADDR", "")]:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return None


class AuditOriginMiddleware:
    """Tells ``audit.services.record`` where each request comes from: IP, user agent, site or API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = context.Origin(
            channel=Channel.API if request.path.startswith("/api/") else Channel.WEB,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[: context.USER_AGENT_MAX],
        )
        with context.using(origin):
            return self.get_response(request)
