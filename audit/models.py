"""The audit log: one row per validation, state change, or change, export or erasure of a
candidate's personal data. Rows are written once by ``audit.services.record`` and never changed:
the model and its querysets refuse updates and deletes, and on PostgreSQL a trigger does too.

Links (actor, organisations, candidate, contract, object) keep their ids without a database
constraint, so that the log outlives what it speaks of (a demo reset, a deleted user) untouched."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from audit.enums import AuditAction, Channel

READ_ONLY = "Le journal d'audit ne se modifie pas et ne s'efface pas."


class AuditLogIsAppendOnly(Exception):
    pass


def _link(model, verbose_name, related_name="+"):
    return models.ForeignKey(
        model,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly(READ_ONLY)

    def delete(self):
        raise AuditLogIsAppendOnly(READ_ONLY)

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogIsAppendOnly(READ_ONLY)

    def for_display(self):
        # Prefetched, not joined: filtering on candidate_id or contract_id would make Django's join
        # an INNER one, hiding the events of a deleted record.
        return self.select_related("actor", "actor_organisation", "organisation", "content_type").prefetch_related(
            "candidate", "contract"
        )


class AuditEvent(models.Model):
    """Who did what, when and from where; ``details`` holds names of fields, states and counts,
    never a personal value."""

    at = models.DateTimeField("le", default=timezone.now)
    actor = _link(settings.AUTH_USER_MODEL, "par")
    actor_organisation = _link("accounts.Organisation", "pour l'organisation")
    action = models.CharField("action", max_length=40, choices=AuditAction.choices)
    content_type = _link(ContentType, "type d'objet")
    object_id = models.PositiveBigIntegerField("n° de l'objet", null=True, blank=True)
    object_label = models.CharField("objet", max_length=200, blank=True)
    # Links for the facilitator's filters.
    candidate = _link("marketplace.Candidate", "candidat", related_name="audit_events")
    organisation = _link("accounts.Organisation", "organisation concernée")
    contract = _link("procurement.Contract", "marché")
    # From where.
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    command = models.CharField("commande", max_length=100, blank=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=200, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement du journal d'audit"
        verbose_name_plural = "événements du journal d'audit"
        ordering = ["-at", "-pk"]
        indexes = [
            # The log page, newest first, whole or filtered by candidate, organisation or contract.
            models.Index(fields=["-at", "-id"], name="audit_newest_idx"),
            models.Index(fields=["candidate", "-at"], name="audit_candidate_idx"),
            models.Index(fields=["organisation", "-at"], name="audit_organisation_idx"),
            models.Index(fields=["actor_organisation", "-at"], name="audit_actor_org_idx"),
            models.Index(fields=["contract", "-at"], name="audit_contract_idx"),
        ]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} – {self.get_action_display()} – {self.object_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly(READ_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly(READ_ONLY)

    @property
    def origin_display(self):
        if self.channel == Channel.COMMAND:
            return f"commande {self.command}"
        return " · ".join(filter(None, [self.get_channel_display(), self.ip_address]))
