"""Tell the organisation that must act next: an in-app notification and an email to its members."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string

from accounts.models import Membership
from marketplace.models import Notification


def notify(*, organisations, text, link=""):
    """Creates one notification per organisation and, once the transaction commits, emails their members."""
    organisations = list(organisations)
    if not organisations:
        return
    Notification.objects.bulk_create(Notification(recipient=org, text=text, link=link) for org in organisations)
    emails = sorted(
        set(
            Membership.objects.filter(organisation__in=organisations, user__is_active=True).values_list(
                "user__email", flat=True
            )
        )
    )
    if not emails:
        return
    body = render_to_string("notifications/email/notification.txt", {"text": text, "url": settings.SITE_URL + link})
    # One message per person, so that no one sees the other recipients.
    messages = [(f"[Passerelle] {text[:120]}", body, None, [email]) for email in emails]
    transaction.on_commit(lambda: send_mass_mail(messages))
