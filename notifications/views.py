from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.perms import organisation_required
from common.views import paginate
from notifications.models import Notification


@organisation_required()
def notification_list(request):
    notifications = Notification.objects.for_member(request.user, request.organisation)
    return render(request, "notifications/notification_list.html", {"page_obj": paginate(request, notifications)})


@require_POST
@organisation_required()
def notifications_mark_read(request):
    Notification.objects.for_member(request.user, request.organisation).unread().update(read_at=timezone.now())
    return redirect("notifications:notification_list")
