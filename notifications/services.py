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
    return notify_each(
        [{"organisations": organisations, "text": text, "details": details, "link": link, "subject": subject}]
    )


def notify_each(news):
    """``notify`` for many pieces of news at once (``news``: dicts of ``notify``'s arguments), as a job that tells
    hundreds of organisations does: the notifications in one insert, the members in one query, then one email
    job per person and piece of news. Returns the notifications."""
    news = [{**item, "organisations": list(item["organisations"])} for item in news]
    rows, owners = [], []
    for index, item in enumerate(news):
        subject = item.get("subject")
        about = {}
        if subject is not None:
            about = {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}
        for organisation in item["organisations"]:
            rows.append(
                Notification(
                    recipient=organisation,
                    text=item["text"],
                    details=item.get("details", ""),
                    link=item.get("link", ""),
                    **about,
                )
            )
            owners.append(index)
    if not rows:
        return []
    notifications = Notification.objects.bulk_create(rows)
    members = {}
    for user_id, organisation_id in Membership.objects.filter(
        organisation__in={n.recipient_id for n in notifications}, user__is_active=True
    ).values_list("user_id", "organisation_id"):
        members.setdefault(organisation_id, []).append(user_id)
    # Per piece of news, each person once, with the first of its organisations' notifications.
    first = {}
    for index, notification in zip(owners, notifications, strict=True):
        for user_id in members.get(notification.recipient_id, []):
            key = (index, user_id)
            first[key] = min(first.get(key, notification.pk), notification.pk)
    for (_, user_id), notification_id in sorted(first.items()):
        tasks.send_email.enqueue(notification_id=notification_id, user_id=user_id)
    return notifications


def erase_details(*subjects):
    """Erases what notifications say about a person (``details``) in every organisation's notifications
    about ``subjects``: querysets or lists of the person's own rows (their record, submissions...)."""
    for objects in subjects:
        Notification.objects.about(objects).exclude(details="").update(details="")
