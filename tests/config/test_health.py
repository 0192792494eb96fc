from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_health_reports_the_database_without_login(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"]["ok"] is True


def test_health_answers_503_when_the_database_is_down(client):
    with mock.patch("config.health.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": {"ok": False, "error": "OperationalError"}}
