"""Nobody edits the audit log: not the model, not the admin, not the API, and on PostgreSQL not even
SQL sent to the database by hand."""

import pytest
from django.contrib.auth.models import Permission
from django.db import DatabaseError, connection, transaction
from django.urls import get_resolver

from audit.enums import AuditAction
from audit.models import AuditEvent, AuditLogIsAppendOnly
from audit.services import record
from marketplace.models import Candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(facilitator, facilitator_org):
    return record(action=AuditAction.CONTRACT_MOVED, actor=facilitator, organisation=facilitator_org)


def test_the_model_refuses_to_change_or_delete_an_event(event):
    event.action = AuditAction.HOURS_VALIDATED
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action=AuditAction.HOURS_VALIDATED)
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get().action == AuditAction.CONTRACT_MOVED


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize(
    "sql", ["UPDATE audit_auditevent SET action = 'hours_validated'", "DELETE FROM audit_auditevent"]
)
def test_postgresql_refuses_raw_updates_and_deletes(event, sql):
    refused = pytest.raises(DatabaseError, match="Le journal d'audit ne se modifie pas")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.get().action == AuditAction.CONTRACT_MOVED


@pytest.fixture
def staff_client(client, facilitator):
    """A staff member holding every permission on audit events Django could grant."""
    facilitator.is_staff = True
    facilitator.save()
    facilitator.user_permissions.set(Permission.objects.filter(content_type__app_label="audit"))
    client.force_login(facilitator)
    return client


def test_the_admin_reads_but_never_adds_changes_or_deletes(staff_client, event):
    assert staff_client.get("/admin/audit/auditevent/").status_code == 200
    page = staff_client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read-only view
    assert staff_client.get("/admin/audit/auditevent/add/").status_code == 403
    assert staff_client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    response = staff_client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "hours_validated"})
    assert response.status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    staff_client.post("/admin/audit/auditevent/", bulk)
    assert AuditEvent.objects.get().action == AuditAction.CONTRACT_MOVED


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), getattr(pattern.callback, "cls", None)


def test_no_api_endpoint_serves_or_writes_the_log():
    api = [(route, view) for route, view in _routes(get_resolver().url_patterns) if route.startswith("api/v1/")]
    assert len(api) > 20  # the walk does reach the API
    serialized = {
        route
        for route, view in api
        if getattr(getattr(getattr(view, "serializer_class", None), "Meta", None), "model", None) is AuditEvent
    }
    assert serialized == set()
    assert [route for route, _ in api if "audit" in route] == []


def test_the_log_outlives_what_it_speaks_of(client_as, facilitator, facilitator_org, candidate):
    """Deleting a record (the demo's reset does) leaves its events untouched, with its number."""
    record(
        action=AuditAction.CANDIDATE_UPDATED,
        actor=facilitator,
        organisation=facilitator_org,
        target=candidate,
        candidate=candidate,
        concerned=candidate.prescriber,
    )
    pk = candidate.pk
    Candidate.objects.filter(pk=pk).delete()
    event = AuditEvent.objects.get()
    assert (event.candidate_id, event.object_id, event.object_label) == (pk, pk, f"Candidat n° {pk}")
    page = client_as(facilitator).get("/journal-d-audit/", {"candidat": pk}).content.decode()
    assert f"<td>n° {pk}</td>" in page
