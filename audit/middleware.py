from audit import context
from audit.enums import Channel
from common.client_ip import client_ip


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
