"""One transition log shape (accounts.workflows.TransitionLog): the contract's log keeps its rows (its note becomes
the reason), and hours statements get theirs, rebuilt from what is known: the declaration (declared_by,
declared_at), then the decision from the audit trail (or decided_by, acting for their facilitator)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def fill_statement_logs(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Contract = apps.get_model("procurement", "Contract")
    Statement = apps.get_model("procurement", "HoursStatement")
    Log = apps.get_model("procurement", "StatementTransition")
    ContractLog = apps.get_model("procurement", "ContractTransition")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    log, statement, source = Log._meta.db_table, Statement._meta.db_table, "procurement_hourssource"
    users, organisations, memberships = "accounts_user", "accounts_organisation", "accounts_membership"
    facilitator_of = (
        f"(SELECT m.organisation_id FROM {memberships} m JOIN {organisations} o ON o.id = m.organisation_id "
        f"WHERE m.user_id = %s AND o.kind = 'facilitator' ORDER BY m.id LIMIT 1)"
    )
    columns = "statement_id, from_state, to_state, actor_id, organisation_id, " + quote("at") + ", reason"
    with connection.cursor() as cursor:
        # The declaration, by its author for the company owning the source.
        cursor.execute(
            f"INSERT INTO {log} ({columns}) SELECT s.id, '', 'declared', s.declared_by_id, src.company_id, "
            f"s.declared_at, '' FROM {statement} s JOIN {source} src ON src.id = s.source_id "
            f"WHERE s.declared_by_id IS NOT NULL"
        )
        # The decision, as the audit log recorded it.
        content_type = ContentType.objects.filter(app_label="procurement", model="hoursstatement").first()
        if content_type is not None:
            cursor.execute(
                f"INSERT INTO {log} ({columns}) SELECT s.id, 'declared', s.state, e.actor_id, e.actor_organisation_id, "
                f"e.{quote('at')}, CASE WHEN s.state = 'rejected' THEN s.reason ELSE '' END "
                f"FROM {statement} s JOIN audit_auditevent e ON e.object_id = s.id AND e.content_type_id = %s "
                f"AND e.action IN ('hours_validated', 'hours_rejected') "
                f"WHERE s.state <> 'declared' AND e.actor_id IN (SELECT id FROM {users}) "
                f"AND e.actor_organisation_id IN (SELECT id FROM {organisations})",
                [content_type.pk],
            )
        # Decisions the audit log does not hold: the decider, acting for their facilitator.
        cursor.execute(
            f"INSERT INTO {log} ({columns}) SELECT s.id, 'declared', s.state, s.decided_by_id, "
            f"{facilitator_of % 's.decided_by_id'}, COALESCE(s.decided_at, s.declared_at), "
            f"CASE WHEN s.state = 'rejected' THEN s.reason ELSE '' END FROM {statement} s "
            f"WHERE s.state <> 'declared' AND s.decided_by_id IS NOT NULL "
            f"AND {facilitator_of % 's.decided_by_id'} IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM {log} t WHERE t.statement_id = s.id AND t.from_state = 'declared')"
        )
        # A contract's creation, by its author for the buyer (or the facilitator that registered it).
        contracts, contract_log = Contract._meta.db_table, ContractLog._meta.db_table
        organisation_of = (
            f"COALESCE((SELECT m.organisation_id FROM {memberships} m WHERE m.user_id = c.created_by_id "
            f"AND m.organisation_id = c.buyer_id), {facilitator_of % 'c.created_by_id'})"
        )
        cursor.execute(
            f"INSERT INTO {contract_log} (contract_id, from_state, to_state, actor_id, organisation_id, "
            f"{quote('at')}, reason) SELECT c.id, '', 'draft', c.created_by_id, {organisation_of}, c.created_at, '' "
            f"FROM {contracts} c WHERE c.created_by_id IS NOT NULL AND {organisation_of} IS NOT NULL"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("audit", "0004_information_sessions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("procurement", "0005_ledger_limits_and_private_proofs"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="contracttransition", old_name="note", new_name="reason"),
        migrations.AlterField(
            model_name="contracttransition",
            name="reason",
            field=models.TextField(blank=True, verbose_name="motif"),
        ),
        migrations.AlterField(
            model_name="contracttransition",
            name="from_state",
            field=models.CharField(blank=True, max_length=20, verbose_name="état de départ"),
        ),
        migrations.AlterField(
            model_name="contracttransition",
            name="to_state",
            field=models.CharField(max_length=20, verbose_name="nouvel état"),
        ),
        migrations.CreateModel(
            name="StatementTransition",
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
                (
                    "statement",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="transitions",
                        to="procurement.hoursstatement",
                        verbose_name="relevé d'heures",
                    ),
                ),
            ],
            options={
                "verbose_name": "changement d'état d'un relevé d'heures",
                "verbose_name_plural": "changements d'état des relevés d'heures",
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
        migrations.RunPython(fill_statement_logs, migrations.RunPython.noop, elidable=True),
    ]
