"""What the schema says an operation answers is what it answers: found false by the outside probe."""

import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator

from audit.enums import ErasureReason
from marketplace.personal_data import anonymise_candidate
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.marketplace.factories import CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(schema, ref):
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def test_the_token_endpoint_declares_the_429_of_a_locked_account(schema, api_client, buyer):
    cache.clear()
    declared = schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert "429" in declared
    error = resolve(schema, declared["429"]["content"]["application/json"]["schema"])

    for _ in range(5):
        api_client.post("/api/v1/auth/token/", {"email": buyer.email, "password": "faux"})
    locked = api_client.post("/api/v1/auth/token/", {"email": buyer.email, "password": DEFAULT_PASSWORD})

    assert locked.status_code == 429
    assert set(locked.json()) == set(error["required"]) == {"detail"}
    cache.clear()


def test_consent_is_required_in_requests_and_may_be_empty_in_responses(
    schema, api_as, prescriber, prescriber_org, facilitator, facilitator_org
):
    """An anonymised person's consent is erased, and the schema said consent_at was never null."""
    candidate = CandidateFactory(prescriber=prescriber_org)
    anonymise_candidate(
        candidate=candidate, reason=ErasureReason.values[0], actor=facilitator, organisation=facilitator_org
    )

    data = api_as(prescriber).get(f"/api/v1/candidates/{candidate.pk}/").json()

    assert data["consent_at"] is None
    assert schema["components"]["schemas"]["Candidate"]["properties"]["consent_at"]["nullable"] is True
    request_schema = schema["components"]["schemas"]["CandidateRequest"]
    assert "consent_at" in request_schema["required"]
    assert "nullable" not in request_schema["properties"]["consent_at"]
    refused = api_as(prescriber).post("/api/v1/candidates/", {"consent_at": None}, format="json")
    assert refused.status_code == 400 and "consent_at" in refused.json()
