from django.db import migrations


def copy_placement_limits(apps, schema_editor):
    """Each validated placement lends its period and weekly hours to its hours source (the ledger's limits)."""
    Placement = apps.get_model("marketplace", "Placement")
    HoursSource = apps.get_model("procurement", "HoursSource")
    placements = Placement.objects.exclude(hours_source=None).only(
        "hours_source_id", "start_date", "planned_end_date", "weekly_hours"
    )
    for placement in placements.iterator():
        HoursSource.objects.filter(pk=placement.hours_source_id).update(
            starts_on=placement.start_date, ends_on=placement.planned_end_date, weekly_hours=placement.weekly_hours
        )


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0006_candidate_import"),
        ("procurement", "0005_ledger_limits_and_private_proofs"),
    ]

    operations = [migrations.RunPython(copy_placement_limits, migrations.RunPython.noop)]
