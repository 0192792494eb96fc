"""Starting reference values per sector, from facilitators' guides; the facilitator edits them afterwards."""

from decimal import Decimal

from django.db import migrations

# sector: (labour share, insertion rate, loaded hourly cost in €)
DEFAULTS = {
    "building": ("0.50", "0.05", "30"),
    "public_works": ("0.35", "0.05", "30"),
    "green_spaces": ("0.60", "0.07", "28"),
    "facility_maintenance": ("0.55", "0.05", "30"),
    "cleaning": ("0.80", "0.07", "25"),
    "removals": ("0.60", "0.05", "27"),
    "waste": ("0.50", "0.05", "28"),
    "catering": ("0.45", "0.05", "27"),
    "mail": ("0.65", "0.07", "26"),
    "printing": ("0.35", "0.05", "30"),
    "training": ("0.60", "0.05", "35"),
    "security": ("0.80", "0.05", "28"),
    "reception": ("0.80", "0.07", "26"),
    "logistics": ("0.50", "0.05", "28"),
    "it": ("0.60", "0.03", "45"),
    "textile": ("0.55", "0.07", "26"),
    "other_services": ("0.50", "0.05", "30"),
}


def seed(apps, schema_editor):
    SectorDefaults = apps.get_model("procurement", "SectorDefaults")
    ClauseSettings = apps.get_model("procurement", "ClauseSettings")
    for sector, (share, rate, cost) in DEFAULTS.items():
        SectorDefaults.objects.get_or_create(
            sector=sector,
            defaults={"labour_share": Decimal(share), "insertion_rate": Decimal(rate), "hourly_cost": Decimal(cost)},
        )
    ClauseSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0002_ledger_siae_settings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
