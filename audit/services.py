"""The one writer of the audit log. Services call ``record`` inside their transaction, so that an
action and its trace are written together or not at all.

    audit.services.record(
        action=AuditAction.HOURS_VALIDATED, actor=actor, organisation=organisation, target=statement,
        concerned=statement.source.company_id, contract=statement.source.contract_id, details={"hours": 35},
    )
"""

from django.contrib.contenttypes.models import ContentType

from audit import context
from audit.models import AuditEvent


def label_of(target):
    """A label that names no one: the kind of object and its number."""
    return f"{str(target._meta.verbose_name).capitalize()} n° {target.pk}"


def _id(value):
    return getattr(value, "pk", value)


def build(*, action, actor, organisation, target=None, candidate=None, concerned=None, contract=None, details=None):
    """An unsaved event stamped with the current origin (``audit.context``). ``candidate``,
    ``concerned`` (the organisation the object belongs to) and ``contract`` are instances or ids."""
    origin = context.current()
    return AuditEvent(
        actor=actor,
        actor_organisation=organisation,
        action=action,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=target.pk if target is not None else None,
        object_label=label_of(target) if target is not None else "",
        candidate_id=_id(candidate),
        organisation_id=_id(concerned),
        contract_id=_id(contract),
        channel=origin.channel,
        command=origin.command,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        details=details or {},
    )


def record(**kwargs):
    """Writes one event (see ``build`` for the arguments)."""
    event = build(**kwargs)
    event.save()
    return event


def record_each(events):
    """Writes many events built with ``build`` in one query (imports)."""
    return AuditEvent.objects.bulk_create(events)
