"""Schemathesis walks every operation of /api/schema/ as several roles: no 5xx, and every answer (status,
content type, body) is one the schema declares. Each generated request is sent as each role in turn, in one world
built once per operation (a world per operation and role cost a third of the run)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from marketplace.models import (
    Candidate,
    CandidateImport,
    EligibilityCheck,
    InformationSession,
    Placement,
    Position,
    SessionInvitation,
    Submission,
)
from procurement.models import Contract, HoursStatement, SectorDefaults, SiaeOrder, SiaeProfile
from reference.models import Occupation

# Fixtures of tests/conftest.py; "anonymous" sends no token of its own (schemathesis then tries made-up ones).
ROLES = ["anonymous", "facilitator", "buyer", "company_user", "prescriber", "siae_user"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Which objects a path's identifier names, so that generated ids often hit real rows (own and others').
PATH_OBJECTS = {
    "candidates": (Candidate, "pk"),
    "candidate-imports": (CandidateImport, "pk"),
    "contracts": (Contract, "pk"),
    "eligibility-checks": (EligibilityCheck, "pk"),
    "hours": (HoursStatement, "pk"),
    "invitations": (SessionInvitation, "pk"),
    "placements": (Placement, "pk"),
    "positions": (Position, "pk"),
    "sessions": (InformationSession, "pk"),
    "siae": (SiaeProfile, "pk"),
    "siae-orders": (SiaeOrder, "pk"),
    "submissions": (Submission, "pk"),
    "occupations": (Occupation, "code_rome"),
    "sector-defaults": (SectorDefaults, "sector"),
}

# The schema as /api/schema/ serves it (``test_errors.py`` checks they are equal), built without a request so
# that collecting the tests needs no database. The coverage phase (every boundary value of every field, both
# valid and invalid) is off: it takes minutes per role; random fuzzing of valid and invalid requests stays
# within a minute for the whole run.
# A fixed seed: without one, schemathesis seeds each run at random, whatever hypothesis' ``derandomize`` says.
CONFIG = schemathesis.Config.from_dict({"seed": 6, "phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True), config=CONFIG)
schema.app = application


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, the generated identifier is replaced by one of an existing object."""
    if not path_parameters:
        return st.just(path_parameters)
    model, field = PATH_OBJECTS[context.operation.path.split("/")[3]]
    existing = list(model.objects.order_by(field).values_list(field, flat=True))
    name = next(iter(path_parameters))
    return st.one_of(st.just(path_parameters), st.sampled_from(existing).map(lambda v: {**path_parameters, name: v}))


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI application, which closes the database connection when a request
    ends, and with it the test's transaction on PostgreSQL: Django's test client keeps it open the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def headers(request, roles, db):
    """{role: the headers its requests carry}."""
    headers = {}
    for role in roles:
        if role == "anonymous":
            headers[role] = {}
        else:
            _, token = AuthToken.objects.create(user=request.getfixturevalue(role))
            headers[role] = {"Authorization": f"Token {token}"}
    return headers


@schema.parametrize()
# Once per CI run is enough, on the real database (where NUL bytes and integer bounds bite): it is the suite's
# longest test, and the SQLite run would only repeat it.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="run on PostgreSQL, the production database")
# Reproducible in CI (derandomize), nothing kept on disk between runs (database=None). The health checks are
# about slow or filtered data generation, which the requests' own cost makes irrelevant here.
@settings(max_examples=10, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
# Unparametrized, schemathesis' tests would share one node id, and pytest-xdist would run only one of them.
@pytest.mark.parametrize("roles", [ROLES], ids=["roles"])
def test_api_conforms_to_its_schema(case, roles, headers, world):
    for role in roles:
        # The role is not in the test's name: the failure's « Reproduce with » shows this header.
        case.call_and_validate(headers={**headers[role], "X-Test-Role": role}, checks=CHECKS)
