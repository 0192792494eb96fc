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
    # A refusal reason copied in may be longer than the in-app message holds (PostgreSQL refused it, a 500):
    # the notification shows its start, the email below the whole text.
    limit = Notification._meta.get_field("text").max_length
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    Notification.objects.bulk_create(Notification(recipient=org, text=shown, link=link) for org in organisations)
    emails = sorted(
        set(
            Membership.objects.filter(organisation__in=organisations, user__is_active=True).values_list(
                "user__email", flat=True
            )
        )
    )
    if not emails:
        return
    body = render_to_string("marketplace/email/notification.txt", {"text": text, "url": settings.SITE_URL + link})
    # One message per person, so that no one sees the other recipients.
    messages = [(f"[Passerelle] {text[:120]}", body, None, [email]) for email in emails]
    transaction.on_commit(lambda: send_mass_mail(messages))
