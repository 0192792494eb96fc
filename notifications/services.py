"""Tell the organisation that must act next: an in-app notification and an email to each of its members.

Any app with news calls ``notify`` directly, inside the transaction that makes the news. The emails are
jobs of the task queue (``notifications.tasks``), written in that same transaction: nothing is sent for
a change rolled back, and a mail server that fails never fails, or undoes, the change itself.
"""

from django.contrib.contenttypes.models import ContentType

from accounts.models import Membership
from notifications import tasks
from notifications.models import Notification


def notify(*, organisations, text, details="", link="", subject=None):
    """Creates one notification per organisation and queues one email per active member (a person in two of
    the organisations gets one). ``text`` names no one (it is the email's subject); a person's name or what
    is written about them goes in ``details``; ``subject`` is the object the news is about."""
    organisations = list(organisations)
    if not organisations:
        return []
    about = {}
    if subject is not None:
        about = {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}
    notifications = Notification.objects.bulk_create(
        Notification(recipient=org, text=text, details=details, link=link, **about) for org in organisations
    )
    notification_of = {notification.recipient_id: notification.pk for notification in notifications}
    first = {}
    for user_id, organisation_id in Membership.objects.filter(
        organisation__in=organisations, user__is_active=True
    ).values_list("user_id", "organisation_id"):
        first[user_id] = min(first.get(user_id, notification_of[organisation_id]), notification_of[organisation_id])
    for user_id in sorted(first):
        tasks.send_email.enqueue(notification_id=first[user_id], user_id=user_id)
    return notifications


def erase_details(*subjects):
    """Erases what notifications say about a person (``details``) in every organisation's notifications
    about ``subjects``: querysets or lists of the person's own rows (their record, submissions...)."""
    for objects in subjects:
        Notification.objects.about(objects).exclude(details="").update(details="")
