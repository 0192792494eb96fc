from django.db import migrations, models


def drop_clear_text_tokens(apps, schema_editor):
    """DRF's tokens (rest_framework.authtoken, replaced by knox's hashed ones) were kept in clear: their table
    goes, with the record of its migrations, so that no key stays readable in the database or its backups."""
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name('authtoken_token')}")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='session_stamp',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=32),
        ),
        migrations.RunPython(drop_clear_text_tokens, migrations.RunPython.noop, elidable=True),
    ]
