"""The notification model and the matcher's change log moved apps (to notifications, to the marketplace)
keeping their rows and ids: their tables are renamed, not recreated. Run on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("marketplace", "0003_candidate_updated_and_anonymised_at"),
    ("matching", "0001_initial"),
    ("notifications", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([(app, name) for app, name in targets if name]).apps


@pytest.mark.django_db(transaction=True)
def test_notifications_and_changes_keep_their_rows_when_their_models_move():
    old = migrate(BEFORE)
    Organisation = old.get_model("accounts", "Organisation")
    prescriber = Organisation.objects.create(
        name="Mission locale", kind="prescriber", prescriber_kind="france_travail", siret="13002526500013"
    )
    OldNotification = old.get_model("marketplace", "Notification")
    request = OldNotification.objects.create(
        recipient=prescriber,
        text="MEP (Alice Martin) vous propose de positionner Aïcha Diallo sur l'offre « Maçon » de Bâtir.",
        link="/candidats/42/offres-proposees/",
    )
    refusal = OldNotification.objects.create(
        recipient=prescriber,
        text="Mise à l'emploi n° 7 refusée par le facilitateur : Mme Diallo n'a pas son CACES.",
        link="/mises-a-l-emploi/7/",
    )
    change = old.get_model("matching", "IndexChange").objects.create(kind="candidate", object_id=42)

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Notification = new.get_model("notifications", "Notification")
    ContentType = new.get_model("contenttypes", "ContentType")
    moved = Notification.objects.get(pk=request.pk)
    assert moved.recipient_id == prescriber.pk and moved.link == request.link
    assert "Diallo" not in moved.text and moved.details == request.text
    assert (moved.subject_type, moved.subject_id) == (ContentType.objects.get(model="candidate"), 42)
    refused = Notification.objects.get(pk=refusal.pk)
    assert refused.text == "Mise à l'emploi n° 7 refusée par le facilitateur."
    assert refused.details == "Motif : Mme Diallo n'a pas son CACES."
    assert (refused.subject_type.model, refused.subject_id) == ("placement", 7)
    assert new.get_model("marketplace", "Change").objects.filter(pk=change.pk, kind="candidate", object_id=42).exists()
    # New rows follow the old ones.
    assert Notification.objects.create(recipient_id=prescriber.pk, text="Suite").pk > refusal.pk
