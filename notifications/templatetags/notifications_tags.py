"""The header's unread count, on every page."""

from django import template

from notifications.models import Notification

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context):
    """One COUNT query per page, for members of an organisation."""
    request = context.get("request")
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return 0
    return Notification.objects.for_member(request.user, organisation).unread().count()
