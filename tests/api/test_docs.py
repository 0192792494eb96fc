"""The API documentation speaks French to the people reading it: every operation of the schema has its group,
summary and description from common/api_docs.py, and no developer's docstring shows through."""

import pytest
import yaml
from django.urls import reverse

from common.api_docs import OPERATIONS

pytestmark = pytest.mark.django_db


def operations(client):
    schema = yaml.safe_load(client.get(reverse("schema")).content)
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if isinstance(operation, dict):
                yield method, path, operation


def test_every_operation_is_described_in_french(client):
    found = {(method, path): operation for method, path, operation in operations(client)}

    assert set(found) == set(OPERATIONS), "describe the new operations in common/api_docs.py"
    for key, operation in found.items():
        group, summary, description = OPERATIONS[key]
        assert (operation["tags"], operation["summary"], operation["description"]) == ([group], summary, description)
        for internal in ("visible_to", "objects.", "``", "Submission", "Hours statements"):
            assert internal not in operation["description"], key


def test_the_docs_page_has_the_sites_header_and_a_way_back(client):
    page = client.get(reverse("api-docs")).content.decode()

    assert 'class="fr-header"' in page and 'class="fr-footer"' in page
    assert "Retour à l&#x27;accueil" in page or "Retour à l'accueil" in page
    assert "<h1>Documentation de l&#x27;API</h1>" in page or "<h1>Documentation de l'API</h1>" in page
