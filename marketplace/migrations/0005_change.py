"""Takes over the change log's table that ``matching.0002`` renamed: the model's state only."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("marketplace", "0004_notification_moves_to_notifications"),
        ("matching", "0002_indexchange_moves_to_marketplace"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Change",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("candidate", "Candidat"), ("position", "Offre"), ("everything", "Tout")],
                                max_length=10,
                                verbose_name="nature",
                            ),
                        ),
                        ("object_id", models.PositiveBigIntegerField(verbose_name="identifiant")),
                        (
                            "changed_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="modifié le"),
                        ),
                    ],
                    options={
                        "verbose_name": "modification",
                        "verbose_name_plural": "modifications",
                        "ordering": ["pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
