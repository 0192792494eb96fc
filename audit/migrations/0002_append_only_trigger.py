"""On PostgreSQL, the database itself refuses to change or delete an audit event, whatever the
client (the application, a shell, a script). SQLite has no such trigger: the model refuses instead."""

from django.db import migrations

FORBID = [
    """
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Le journal d''audit ne se modifie pas et ne s''efface pas (% refusé).', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$""",
    """
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
]
ALLOW = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)  # no parameters: "%" is PL/pgSQL's, not a placeholder

    return operation


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(run(FORBID), run(ALLOW), elidable=False)]
