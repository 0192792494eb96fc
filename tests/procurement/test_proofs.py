"""Proofs of hours are private: no public URL, one checked way out (page and API), downloaded as attachments
with their stored content type and never sniffed. Who gets 404 is in tests/test_isolation_matrix.py."""

import pytest
from django.core.files.storage import storages
from django.urls import reverse

from procurement.models import HoursStatement
from tests.procurement.factories import PDF_BYTES, contract_in_progress_for, pdf_upload

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def statement(api_as, company_user, company_org):
    source = contract_in_progress_for(company_org)[1]
    response = api_as(company_user).post(
        "/api/v1/hours/",
        {"source": source.pk, "month": "2024-03-01", "hours": "35", "proof_kind": "timesheet", "proof": pdf_upload()},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    return HoursStatement.objects.get(pk=response.json()["id"])


def test_a_proof_has_no_public_address(statement):
    assert statement.proof_content_type == "application/pdf"
    # A random name, not the one uploaded (it may name the person), in the private storage.
    assert "bulletin" not in statement.proof.name and statement.proof.name.endswith(".pdf")
    assert storages["proofs"].exists(statement.proof.name)
    with pytest.raises(ValueError, match="pas d'adresse publique"):
        statement.proof.url  # noqa: B018


def check_download(response, statement, content=PDF_BYTES, content_type="application/pdf"):
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="justificatif-{statement.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize("user", ["company_user", "facilitator"])
def test_the_facilitator_and_the_declaring_company_download_it(client_as, api_as, request, statement, user):
    page = client_as(request.getfixturevalue(user)).get(reverse("procurement:statement_proof", args=[statement.pk]))
    check_download(page, statement)
    api = api_as(request.getfixturevalue(user)).get(f"/api/v1/hours/{statement.pk}/proof/")
    check_download(api, statement)


def test_the_stored_content_type_is_served_whatever_the_name(api_as, client_as, company_user, facilitator, company_org):
    source = contract_in_progress_for(company_org)[1]
    api_as(company_user).post(
        "/api/v1/hours/",
        {"source": source.pk, "month": "2024-03-01", "hours": "35", "proof_kind": "timesheet"}
        | {"proof": pdf_upload("scan.png", PNG_BYTES)},
        format="multipart",
    )
    statement = HoursStatement.objects.get()
    response = client_as(facilitator).get(reverse("procurement:statement_proof", args=[statement.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith('.png"')


def test_the_buyer_sees_the_hours_but_not_the_proof(api_as, buyer, buyer_org, statement):
    statement.source.contract.buyer = buyer_org
    statement.source.contract.save()
    body = api_as(buyer).get(f"/api/v1/hours/{statement.pk}/").json()
    assert body["hours"] == "35.00" and body["proof_url"] is None
    assert api_as(buyer).get(f"/api/v1/hours/{statement.pk}/proof/").status_code == 404


def test_the_api_links_to_the_proof_for_those_who_may_read_it(api_as, company_user, statement):
    body = api_as(company_user).get(f"/api/v1/hours/{statement.pk}/").json()
    assert body["proof_url"] == f"http://testserver/api/v1/hours/{statement.pk}/proof/"


def test_production_lets_the_web_server_send_the_file(client_as, facilitator, statement, settings):
    settings.PROOF_SENDFILE_HEADER = "X-Accel-Redirect"
    settings.PROOF_SENDFILE_PREFIX = "/justificatifs-proteges/"
    response = client_as(facilitator).get(reverse("procurement:statement_proof", args=[statement.pk]))
    assert response["X-Accel-Redirect"] == f"/justificatifs-proteges/{statement.proof.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="justificatif-{statement.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_proofs_outside_media_root_or_the_site_refuses_to_start(settings):
    from procurement.apps import proofs_are_not_public

    settings.STORAGES = {**settings.STORAGES, "proofs": {"OPTIONS": {"location": settings.MEDIA_ROOT / "proofs"}}}
    assert [error.id for error in proofs_are_not_public(None)] == ["procurement.E001"]
    settings.STORAGES = {**settings.STORAGES, "proofs": {"OPTIONS": {"location": "/srv/passerelle/proofs"}}}
    assert proofs_are_not_public(None) == []


@pytest.mark.parametrize("state", ["declared", "validated"])
def test_the_admin_links_to_the_checked_view_never_to_a_file(client, facilitator, statement, state):
    from demo import accounts as demo

    facilitator.is_staff = True
    facilitator.save()
    demo.give_staff_rights(facilitator)
    HoursStatement.objects.filter(pk=statement.pk).update(state=state)
    client.force_login(facilitator)
    response = client.get(f"/admin/procurement/hoursstatement/{statement.pk}/change/")
    assert response.status_code == 200
    assert reverse("procurement:statement_proof", args=[statement.pk]) in response.content.decode()
    assert statement.proof.name not in response.content.decode()
