"""What an organisation (or one of its members) must know or do next: shown in the app, sent by email."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class NotificationQuerySet(models.QuerySet):
    def for_member(self, user, organisation):
        """Notifications addressed to the organisation as a whole or to this member."""
        if organisation is None:
            return self.none()
        return self.filter(models.Q(user=None) | models.Q(user=user), recipient=organisation)

    def unread(self):
        return self.filter(read_at=None)

    def about(self, objects):
        """Notifications whose subject is one of ``objects``: a queryset, or a list of rows of one model."""
        if isinstance(objects, models.QuerySet):
            model, keys = objects.model, objects.values("pk")
        else:
            objects = list(objects)
            if not objects:
                return self.none()
            model, keys = type(objects[0]), [obj.pk for obj in objects]
        return self.filter(subject_type=ContentType.objects.get_for_model(model), subject_id__in=keys)


class Notification(models.Model):
    """A message to the organisation that must act next (``notifications.services.notify``).

    ``text`` names no one: it is also the subject of the email. Whatever names or describes a person
    (their name, a refusal reason written about them) goes in ``details``, erased with that person's data.
    ``subject`` is the object the news is about (a submission, a placement, a candidate, an hours
    statement): erasure finds the notifications by that key, never by their text or link."""

    recipient = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="notifications", verbose_name="destinataire"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name="personne destinataire",
    )
    text = models.CharField("message", max_length=500)
    details = models.TextField("précisions", blank=True)
    link = models.CharField("lien", max_length=300, blank=True)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="type du sujet"
    )
    subject_id = models.PositiveBigIntegerField("identifiant du sujet", null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    created_at = models.DateTimeField("créée le", default=timezone.now)
    read_at = models.DateTimeField("lue le", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # Erasure looks notifications up by subject (``NotificationQuerySet.about``).
            models.Index(fields=["subject_type", "subject_id"], name="notification_subject_idx"),
        ]

    def __str__(self):
        return self.text
