from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.perms import organisation_required
from audit.filters import AuditEventFilter
from audit.models import AuditEvent

PAGE_SIZE = 50


@organisation_required("audit.read")
def event_list(request):
    """The facilitator reads the log, newest first, filtered by person, organisation or contract."""
    events = AuditEventFilter(request.GET or None, queryset=AuditEvent.objects.for_display())
    page = Paginator(events.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"filter": events, "page_obj": page})
