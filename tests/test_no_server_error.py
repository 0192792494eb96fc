"""500s a user could cause, found from outside: each is now a clear French error or a 404, never a 500.

The test client re-raises a view's exception; ``raise_request_exception=False`` lets it answer as the site would."""

import html
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client

from marketplace.enums import PositionState
from procurement.enums import StatementState
from procurement.models import HoursStatement
from tests.marketplace.factories import CandidateFactory, PositionFactory
from tests.procurement.factories import ContractFactory, HoursSourceFactory, HoursStatementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """A browser's view of the site: a server error answers 500 instead of failing the test."""

    def make(user):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        return client

    return make


def french_messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


class TestHoursRejection:
    @pytest.fixture
    def statement(self, company_org):
        return HoursStatementFactory(source=HoursSourceFactory(company=company_org))

    def test_a_reason_longer_than_a_notification_is_kept_whole(self, site, facilitator, statement):
        """On PostgreSQL the reason, copied into the 500-character notification, made a 500."""
        reason = "Le bulletin de paie ne correspond pas au mois déclaré. " * 12  # ~ 660 characters

        response = site(facilitator).post(f"/marches/heures/{statement.pk}/refuser/", {"reason": reason}, follow=True)

        assert response.status_code == 200
        statement.refresh_from_db()
        assert statement.state == StatementState.REJECTED and statement.reason == reason.strip()

    def test_a_nul_character_in_the_reason_is_refused_in_french(self, site, facilitator, statement):
        response = site(facilitator).post(
            f"/marches/heures/{statement.pk}/refuser/", {"reason": "bulletin\x00illisible"}
        )

        assert response.status_code == 200
        assert "Le caractère nul n’est pas autorisé." in html.unescape(response.content.decode())
        statement.refresh_from_db()
        assert statement.state == StatementState.DECLARED
        # The accepted boundary: the same reason without it.
        site(facilitator).post(f"/marches/heures/{statement.pk}/refuser/", {"reason": "bulletin illisible"})
        assert HoursStatement.objects.get(pk=statement.pk).state == StatementState.REJECTED


class TestPositionState:
    @pytest.mark.parametrize("data", [{"state": "volé"}, {}, {"state": "\x00"}])
    def test_an_unknown_or_missing_state_is_refused_in_french(self, site, company_user, company_org, data):
        position = PositionFactory(company=company_org)

        response = site(company_user).post(f"/offres/{position.pk}/etat/", data, follow=True)

        assert response.status_code == 200
        assert "Choisissez un état de la liste." in french_messages(response)
        position.refresh_from_db()
        assert position.state == PositionState.OPEN

    def test_a_known_state_still_moves_it(self, site, company_user, company_org):
        position = PositionFactory(company=company_org)
        site(company_user).post(f"/offres/{position.pk}/etat/", {"state": PositionState.CLOSED})
        position.refresh_from_db()
        assert position.state == PositionState.CLOSED


class TestMatcherForms:
    @pytest.mark.parametrize("candidate", ["abc", "1e5", "", "99999999999999999999999"])
    @pytest.mark.parametrize(("role", "action"), [("prescriber", "positionner"), ("facilitator", "demander")])
    def test_a_candidate_that_is_not_a_number_is_a_404(self, site, request, company_org, role, action, candidate):
        position = PositionFactory(company=company_org)
        user = request.getfixturevalue(role)

        response = site(user).post(f"/offres/{position.pk}/propositions/{action}/", {"candidate": candidate})

        assert response.status_code == 404

    def test_a_real_candidate_is_still_submitted(self, site, prescriber, prescriber_org, company_org):
        position = PositionFactory(company=company_org)
        candidate = CandidateFactory(prescriber=prescriber_org)
        response = site(prescriber).post(
            f"/offres/{position.pk}/propositions/positionner/", {"candidate": str(candidate.pk)}, follow=True
        )
        assert response.status_code == 200
        assert candidate.submissions.exists()


class TestContractReference:
    REFERENCE = r"$\foo$ 2026-$x^"

    def test_a_reference_read_as_a_formula_neither_breaks_the_chart_nor_the_export(self, site, buyer, buyer_org):
        contract = ContractFactory(buyer=buyer_org, in_progress=True, reference=self.REFERENCE)

        chart = site(buyer).get(f"/marches/{contract.pk}/graphique.svg")
        export = site(buyer).get(f"/marches/{contract.pk}/avancement.xlsx")

        assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
        assert "$\\foo$" in chart.content.decode()  # the title, as typed
        assert export.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(export.content))
        assert len(book["Graphique"]._images) == 1


class TestAnnualReport:
    @pytest.mark.parametrize("year", [0, 1, 99999])
    def test_a_year_out_of_range_is_a_404(self, site, facilitator, year):
        assert site(facilitator).get(f"/marches/rapports/annuel/{year}.xlsx").status_code == 404

    def test_a_real_year_is_served(self, site, facilitator):
        assert site(facilitator).get("/marches/rapports/annuel/2025.xlsx").status_code == 200


def test_a_dropped_database_connection_is_checked_before_reuse(settings):
    """With CONN_MAX_AGE, a connection the database dropped gave one 500 per gunicorn worker."""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_an_api_server_error_answers_json(api_as, facilitator, monkeypatch):
    from marketplace import api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(api.PositionViewSet, "list", broken)
    client = api_as(facilitator)
    client.raise_request_exception = False

    response = client.get("/api/v1/positions/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Erreur du serveur : l'équipe Passerelle est prévenue. Réessayez plus tard."}
