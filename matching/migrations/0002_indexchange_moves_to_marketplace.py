"""The log of changed candidates and positions moves to the marketplace (``marketplace.Change``), which
writes it: its table is renamed here, rows and ids kept (index snapshots remember the last id they saw),
and ``marketplace.0005`` takes the model over without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="indexchange", table="marketplace_change"),
            ],
            state_operations=[
                migrations.DeleteModel(name="indexchange"),
            ],
        ),
    ]
