"""Notification emails, sent by the task queue (``manage.py db_worker``), never inside a request."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from accounts.models import User
from notifications.models import Notification

SUBJECT_PREFIX = "[Passerelle] "


def message(notification, user):
    """The email of ``notification`` to ``user``: its subject is the notification's text, which names no one."""
    body = render_to_string(
        "notifications/email/notification.txt",
        {"text": notification.text, "details": notification.details, "url": settings.SITE_URL + notification.link},
    )
    return EmailMessage(f"{SUBJECT_PREFIX}{notification.text[:120]}", body, None, [user.email])


@task()
def send_email(*, notification_id, user_id, attempt=1):
    """Sends one notification to one member, as it reads when sent (details erased since are not sent).
    When the mail server fails, the job fails (``/health/`` counts it) and queues the next attempt after
    ``NOTIFICATION_EMAIL_RETRY_SECONDS[attempt - 1]``; after the last delay it gives up."""
    notification = Notification.objects.filter(pk=notification_id).first()
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if notification is None or user is None:
        return "sans objet"
    try:
        message(notification, user).send()
    except Exception:
        delays = settings.NOTIFICATION_EMAIL_RETRY_SECONDS
        if attempt <= len(delays):
            send_email.using(run_after=timezone.now() + datetime.timedelta(seconds=delays[attempt - 1])).enqueue(
                notification_id=notification_id, user_id=user_id, attempt=attempt + 1
            )
        raise
    return "envoyé"
