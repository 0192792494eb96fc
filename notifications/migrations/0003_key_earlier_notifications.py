"""Notifications written before they had a subject get one from their link (the only key they hold). What
named or described a person moves to ``details``, erased with the person's data: the matcher's requests
(they named the person) and a refused hire's reason (the text after "refusée par le facilitateur : ").
Hours refusals linked to the list of statements, not to one: they keep no subject."""

import re

from django.db import migrations

# (link, subject model)
LINKS = [
    (re.compile(r"^/candidatures/(\d+)/$"), "submission"),
    (re.compile(r"^/mises-a-l-emploi/(\d+)/$"), "placement"),
    (re.compile(r"^/candidats/(\d+)/offres-proposees/$"), "candidate"),
]
REFUSED_HIRE = " refusée par le facilitateur : "
MATCHER_REQUEST = "Le facilitateur vous propose de positionner une personne que vous suivez."


def _split(notification, model):
    """(text, details) of an earlier notification: what named or described a person goes to the details."""
    if model == "candidate":
        return MATCHER_REQUEST, notification.text
    if model == "placement" and REFUSED_HIRE in notification.text:
        head, reason = notification.text.split(REFUSED_HIRE, 1)
        return f"{head} refusée par le facilitateur.", f"Motif : {reason}"
    return notification.text, notification.details


def key_by_link(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = {}
    for notification in Notification.objects.filter(subject_type=None).exclude(link="").iterator():
        for pattern, model in LINKS:
            match = pattern.match(notification.link)
            if match is None:
                continue
            if model not in types:
                types[model], _ = ContentType.objects.get_or_create(app_label="marketplace", model=model)
            notification.subject_type, notification.subject_id = types[model], int(match[1])
            notification.text, notification.details = _split(notification, model)
            notification.save(update_fields=["subject_type", "subject_id", "details", "text"])
            break


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0002_subject_and_details"),
    ]

    operations = [
        migrations.RunPython(key_by_link, migrations.RunPython.noop),
    ]
