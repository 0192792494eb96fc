from django.shortcuts import render

from accounts.perms import organisation_required
from audit.filters import AuditEventFilter
from audit.models import AuditEvent
from common.views import paginate


@organisation_required("audit.read")
def event_list(request):
    """The facilitator reads the log, newest first, filtered by person, organisation or contract."""
    events = AuditEventFilter(request.GET or None, queryset=AuditEvent.objects.for_display())
    return render(request, "audit/event_list.html", {"filter": events, "page_obj": paginate(request, events.qs)})
