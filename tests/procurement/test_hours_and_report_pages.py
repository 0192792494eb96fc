"""The company's hours page hides nothing behind a default filter and leads to declaring; the facilitator still
opens on its queue. The report names each table once; the progress chart fits a phone."""

import datetime
import re

import pytest
from django.urls import reverse

from procurement.enums import StatementState
from tests.procurement.factories import HoursStatementFactory, contract_in_progress_for

pytestmark = pytest.mark.django_db


def test_the_company_sees_all_its_statements_and_declares_from_its_hours_page(client_as, company_user, company_org):
    contract, source = contract_in_progress_for(company_org)
    HoursStatementFactory(source=source, month=datetime.date(2024, 3, 1), state=StatementState.VALIDATED)
    HoursStatementFactory(source=source, month=datetime.date(2024, 4, 1), state=StatementState.REJECTED, reason="Flou")

    page = client_as(company_user).get(reverse("procurement:statement_list")).content.decode()

    assert "2 relevés</caption>" in page
    assert f'href="{reverse("procurement:declare_hours", args=[source.pk])}"' in page
    assert "Déclarer des heures" in page


def test_the_facilitator_opens_on_its_queue_and_may_see_every_statement(client_as, facilitator, company_org):
    _, source = contract_in_progress_for(company_org)
    HoursStatementFactory(source=source, month=datetime.date(2024, 3, 1))
    HoursStatementFactory(source=source, month=datetime.date(2024, 4, 1), state=StatementState.VALIDATED)
    client = client_as(facilitator)

    assert "1 relevé</caption>" in client.get(reverse("procurement:statement_list")).content.decode()
    everything = client.get(reverse("procurement:statement_list"), {"state": "tous"}).content.decode()
    assert "2 relevés</caption>" in everything and "Déclarer des heures" not in everything


def test_the_report_names_each_table_once(client_as, facilitator):
    page = client_as(facilitator).get(reverse("reporting:report_dashboard")).content.decode()

    titles = re.findall(r'<h2 class="fr-h4"[^>]*>([^<]+)</h2>', page)
    assert titles
    for title in titles:
        # The heading shows; the caption repeating it is for screen readers only.
        assert page.count(f"<caption>{title}</caption>") == 1
    assert page.count('class="fr-table fr-table--no-caption"') == len(titles)


def test_the_progress_chart_scales_to_a_phone(client_as, buyer, buyer_org, company_org):
    contract, _ = contract_in_progress_for(company_org, contract__buyer=buyer_org)
    client = client_as(buyer)

    page = client.get(reverse("procurement:contract_detail", args=[contract.pk])).content.decode()
    svg = client.get(reverse("procurement:contract_chart", args=[contract.pk])).content.decode()

    assert 'class="passerelle-chart"' in page
    assert re.search(r'<svg[^>]* viewBox="0 0 [\d.]+ [\d.]+"', svg)


def test_rejecting_hours_is_confirmed_with_its_motive(client_as, facilitator, company_org):
    _, source = contract_in_progress_for(company_org)
    statement = HoursStatementFactory(source=source, month=datetime.date(2024, 3, 1))
    client = client_as(facilitator)
    url = reverse("procurement:statement_reject", args=[statement.pk])

    queue = client.get(reverse("procurement:statement_list")).content.decode()
    assert f'href="{url}" data-confirm-modal="confirm-reject-{statement.pk}"' in queue
    assert f'id="confirm-reject-{statement.pk}" class="fr-modal"' in queue and "pour de bon" in queue
    assert "pour de bon" in client.get(url).content.decode()

    without_motive = client.post(url, {"reason": ""})
    assert without_motive.status_code == 200 and "Ce champ est obligatoire." in without_motive.content.decode()
    statement.refresh_from_db()
    assert statement.state == StatementState.DECLARED

    client.post(url, {"reason": "Bulletin illisible"})
    statement.refresh_from_db()
    assert (statement.state, statement.reason) == (StatementState.REJECTED, "Bulletin illisible")
