import django.db.models.deletion
from django.db import migrations, models


def link_existing_occupations(apps, schema_editor):
    """Occupations already there get the domain of their first letter. Its label is provisional:
    ``load_reference_data`` writes the official one from ``reference/data/rome_domaines.csv``."""
    Occupation = apps.get_model("reference", "Occupation")
    OccupationDomain = apps.get_model("reference", "OccupationDomain")
    for letter in sorted({code[0] for code in Occupation.objects.values_list("code_rome", flat=True)}):
        OccupationDomain.objects.get_or_create(code=letter, defaults={"label": f"Domaine {letter}"})
        Occupation.objects.filter(code_rome__startswith=letter).update(domain_id=letter)


class Migration(migrations.Migration):
    dependencies = [
        ("reference", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="OccupationDomain",
            fields=[
                ("code", models.CharField(max_length=1, primary_key=True, serialize=False, verbose_name="code")),
                ("label", models.CharField(max_length=200, verbose_name="libellé")),
            ],
            options={
                "verbose_name": "grand domaine ROME",
                "verbose_name_plural": "grands domaines ROME",
                "ordering": ["code"],
            },
        ),
        migrations.AddField(
            model_name="occupation",
            name="domain",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="occupations",
                to="reference.occupationdomain",
                verbose_name="grand domaine",
            ),
        ),
        migrations.RunPython(link_existing_occupations, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="occupation",
            name="domain",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="occupations",
                to="reference.occupationdomain",
                verbose_name="grand domaine",
            ),
        ),
    ]
