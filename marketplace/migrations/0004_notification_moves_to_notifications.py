"""The Notification model moves to the notifications app with its rows: its table is renamed here, and
``notifications.0001_initial`` takes the model over without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("marketplace", "0003_candidate_updated_and_anonymised_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="notification", table="notifications_notification"),
            ],
            state_operations=[
                migrations.DeleteModel(name="notification"),
            ],
        ),
    ]
