"""Fixtures shared by every test module: one organisation and one member per role,
plus a second of each kind that must never see the first one's data."""

import datetime

import pytest
import time_machine
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.enums import OrganisationKind
from matching import index as matching_index
from tests.accounts.factories import OrganisationFactory, member_of
from tests.clock import moment


@pytest.fixture(autouse=True)
def _media_and_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _matching_index_of_its_own(settings, tmp_path):
    """The matcher's index (held by each process, saved on disk) is this test's alone: built from its own rows, in
    a directory of its own. In the project's var/matching, shared, two pytest workers could write the same snapshot
    at once, and a test could read an index built from another test's rows (or the demo's)."""
    settings.MATCHING_INDEX_DIR = tmp_path / "matching"
    matching_index.reset()
    yield
    matching_index.reset()


@pytest.fixture
def buyer_org(db):
    return OrganisationFactory(buyer=True, name="Ville de Paris (test)")


@pytest.fixture
def other_buyer_org(db):
    return OrganisationFactory(buyer=True, name="Autre acheteur (test)")


@pytest.fixture
def company_org(db):
    return OrganisationFactory(company=True, name="Bâtiment Durable (test)")


@pytest.fixture
def other_company_org(db):
    return OrganisationFactory(company=True, name="Autre entreprise (test)")


@pytest.fixture
def prescriber_org(db):
    return OrganisationFactory(prescriber=True, name="Mission locale (test)")


@pytest.fixture
def other_prescriber_org(db):
    return OrganisationFactory(prescriber=True, name="Autre prescripteur (test)")


@pytest.fixture
def siae_org(db):
    return OrganisationFactory(siae=True, name="EI Rebond (test)")


@pytest.fixture
def facilitator_org(db):
    return OrganisationFactory(kind=OrganisationKind.FACILITATOR, name="Maison de l'Emploi de Paris (test)")


@pytest.fixture
def organisations(
    buyer_org, other_buyer_org, company_org, prescriber_org, other_prescriber_org, siae_org, facilitator_org
):
    """One organisation of each kind (two buyers, one company, two prescribers), by role."""
    return {
        "buyer": buyer_org,
        "other_buyer": other_buyer_org,
        "company": company_org,
        "prescriber": prescriber_org,
        "other_prescriber": other_prescriber_org,
        "siae": siae_org,
        "facilitator": facilitator_org,
    }


@pytest.fixture
def buyer(buyer_org):
    return member_of(buyer_org, is_admin=True)


@pytest.fixture
def other_buyer(other_buyer_org):
    return member_of(other_buyer_org, is_admin=True)


@pytest.fixture
def company_user(company_org):
    return member_of(company_org, is_admin=True)


@pytest.fixture
def other_company_user(other_company_org):
    return member_of(other_company_org, is_admin=True)


@pytest.fixture
def prescriber(prescriber_org):
    return member_of(prescriber_org, is_admin=True)


@pytest.fixture
def other_prescriber(other_prescriber_org):
    return member_of(other_prescriber_org, is_admin=True)


@pytest.fixture
def siae_user(siae_org):
    return member_of(siae_org, is_admin=True)


@pytest.fixture
def facilitator(facilitator_org):
    return member_of(facilitator_org, is_admin=True)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_as():
    """``api_as(user)``: an API client sending ``user``'s token, as a script would."""

    def make(user):
        _, token = AuthToken.objects.create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    return make


@pytest.fixture
def client_as(client):
    """``client_as(user)``: the Django test client logged in as ``user``."""

    def make(user):
        client.force_login(user)
        return client

    return make


@pytest.fixture
def clock():
    """A stopped clock on 2 January 2025, 9 h in Paris; ``clock.move_to(moment(date))`` moves it (time-machine)."""
    with time_machine.travel(moment(datetime.date(2025, 1, 2)), tick=False) as traveller:
        yield traveller
