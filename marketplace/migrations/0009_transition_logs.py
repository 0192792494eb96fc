"""One transition log shape (accounts.workflows.TransitionLog). The submission's log keeps its rows: the comment
becomes the reason, a refusal's code (kept on the submission) is written out in it, ``actor_organisation`` becomes
``organisation``. Positions and placements get their logs, rebuilt from what is known: creation (the author, or the
hire), then the moves the audit trail recorded (or the facilitator's decision on the placement)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# RefusalReason's labels when this migration was written.
REFUSAL_LABELS = {
    "profile_mismatch": "Profil ne correspondant pas au poste",
    "missing_qualification": "Qualification ou expérience insuffisante",
    "not_eligible": "Candidat non éligible à la clause",
    "not_available": "Candidat non disponible",
    "candidate_declined": "Le candidat a décliné",
    "no_show": "Absence à l'entretien",
    "position_filled": "Poste déjà pourvu",
    "other": "Autre motif",
}


def write_out_refusal_codes(apps, schema_editor):
    Log = apps.get_model("marketplace", "SubmissionTransition")
    for step in Log.objects.exclude(reason="").only("pk", "reason", "note").iterator():
        label = REFUSAL_LABELS.get(step.reason, step.reason)
        Log.objects.filter(pk=step.pk).update(note=f"{label} : {step.note}" if step.note else label)


def log_model(name, subject, verbose_name, verbose_name_plural):
    return migrations.CreateModel(
        name=name,
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("from_state", models.CharField(blank=True, max_length=20, verbose_name="état de départ")),
            ("to_state", models.CharField(max_length=20, verbose_name="nouvel état")),
            ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="le")),
            ("reason", models.TextField(blank=True, verbose_name="motif")),
            (
                "actor",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to=settings.AUTH_USER_MODEL,
                    verbose_name="par",
                ),
            ),
            (
                "organisation",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="accounts.organisation",
                    verbose_name="pour l'organisation",
                ),
            ),
            subject,
        ],
        options={
            "verbose_name": verbose_name,
            "verbose_name_plural": verbose_name_plural,
            "ordering": ["at", "pk"],
            "abstract": False,
        },
    )


def fill_logs(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    User = apps.get_model("accounts", "User")
    Organisation = apps.get_model("accounts", "Organisation")
    Position = apps.get_model("marketplace", "Position")
    PositionLog = apps.get_model("marketplace", "PositionTransition")
    users = set(User.objects.values_list("pk", flat=True))
    organisations = set(Organisation.objects.values_list("pk", flat=True))

    # Positions: created by their author for the company, then the moves the audit log recorded.
    content_type = ContentType.objects.filter(app_label="marketplace", model="position").first()
    moves = {}
    if content_type is not None:
        events = AuditEvent.objects.filter(content_type=content_type, action="position_moved").order_by("at", "pk")
        for event in events.iterator():
            moves.setdefault(event.object_id, []).append(event)
    rows = []
    for position in Position.objects.only("pk", "company_id", "created_by_id", "created_at", "state").iterator():
        steps = moves.get(position.pk, [])
        first = steps[0].details.get("from", position.state) if steps else position.state
        rows.append(
            PositionLog(
                position_id=position.pk,
                from_state="",
                to_state=first,
                actor_id=position.created_by_id,
                organisation_id=position.company_id,
                at=position.created_at,
            )
        )
        rows += [
            PositionLog(
                position_id=position.pk,
                from_state=event.details.get("from", ""),
                to_state=event.details.get("to", ""),
                actor_id=event.actor_id,
                organisation_id=event.actor_organisation_id,
                at=event.at,
            )
            for event in steps
            if event.actor_id in users and event.actor_organisation_id in organisations and event.details.get("to")
        ]
        if len(rows) >= 5000:
            PositionLog.objects.bulk_create(rows)
            rows = []
    PositionLog.objects.bulk_create(rows)

    # Placements: created by the hire (the submission's step to "hired"), then the facilitator's decision.
    connection = schema_editor.connection
    at = connection.ops.quote_name("at")
    log, placements, submissions_log = "marketplace_placementtransition", "marketplace_placement", "marketplace_submissiontransition"
    columns = f"placement_id, from_state, to_state, actor_id, organisation_id, {at}, reason"
    facilitator_of = (
        "(SELECT m.organisation_id FROM accounts_membership m JOIN accounts_organisation o ON o.id = m.organisation_id "
        "WHERE m.user_id = p.decided_by_id AND o.kind = 'facilitator' ORDER BY m.id LIMIT 1)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {log} ({columns}) SELECT p.id, '', 'pending', t.actor_id, t.organisation_id, t.{at}, '' "
            f"FROM {placements} p JOIN {submissions_log} t ON t.submission_id = p.submission_id "
            f"AND t.to_state = 'hired'"
        )
        content_type = ContentType.objects.filter(app_label="marketplace", model="placement").first()
        if content_type is not None:
            cursor.execute(
                f"INSERT INTO {log} ({columns}) SELECT p.id, 'pending', p.state, e.actor_id, e.actor_organisation_id, "
                f"e.{at}, p.decision_note FROM {placements} p JOIN audit_auditevent e ON e.object_id = p.id "
                f"AND e.content_type_id = %s AND e.action IN ('placement_validated', 'placement_refused') "
                f"WHERE p.state <> 'pending' AND e.actor_id IN (SELECT id FROM accounts_user) "
                f"AND e.actor_organisation_id IN (SELECT id FROM accounts_organisation)",
                [content_type.pk],
            )
        cursor.execute(
            f"INSERT INTO {log} ({columns}) SELECT p.id, 'pending', p.state, p.decided_by_id, {facilitator_of}, "
            f"COALESCE(p.decided_at, p.created_at), p.decision_note FROM {placements} p "
            f"WHERE p.state <> 'pending' AND p.decided_by_id IS NOT NULL AND {facilitator_of} IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {log} t WHERE t.placement_id = p.id AND t.from_state = 'pending')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("audit", "0004_information_sessions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("marketplace", "0008_information_sessions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(write_out_refusal_codes, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="submissiontransition", name="reason"),
        migrations.RenameField(model_name="submissiontransition", old_name="note", new_name="reason"),
        migrations.AlterField(
            model_name="submissiontransition",
            name="reason",
            field=models.TextField(blank=True, verbose_name="motif"),
        ),
        migrations.RenameField(
            model_name="submissiontransition", old_name="actor_organisation", new_name="organisation"
        ),
        migrations.AlterField(
            model_name="submissiontransition",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organisation",
                verbose_name="pour l'organisation",
            ),
        ),
        migrations.AlterField(
            model_name="submissiontransition",
            name="from_state",
            field=models.CharField(blank=True, max_length=20, verbose_name="état de départ"),
        ),
        migrations.AlterField(
            model_name="submissiontransition",
            name="to_state",
            field=models.CharField(max_length=20, verbose_name="nouvel état"),
        ),
        migrations.AlterModelOptions(
            name="submissiontransition",
            options={
                "ordering": ["at", "pk"],
                "verbose_name": "changement d'état de candidature",
                "verbose_name_plural": "changements d'état des candidatures",
            },
        ),
        log_model(
            "PositionTransition",
            (
                "position",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="transitions",
                    to="marketplace.position",
                    verbose_name="offre",
                ),
            ),
            "changement d'état d'une offre",
            "changements d'état des offres",
        ),
        log_model(
            "PlacementTransition",
            (
                "placement",
                models.ForeignKey(
                    on_delete=django.db.models.deletion.CASCADE,
                    related_name="transitions",
                    to="marketplace.placement",
                    verbose_name="mise à l'emploi",
                ),
            ),
            "changement d'état d'une mise à l'emploi",
            "changements d'état des mises à l'emploi",
        ),
        migrations.RunPython(fill_logs, migrations.RunPython.noop, elidable=True),
    ]
