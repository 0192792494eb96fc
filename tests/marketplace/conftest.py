import pytest

from tests.marketplace.factories import CandidateFactory, CommuneFactory, JobTitleFactory, PositionFactory


@pytest.fixture
def position(company_org):
    """An open position of ``company_org`` with two openings."""
    return PositionFactory(company=company_org)


@pytest.fixture
def candidate(prescriber_org):
    """A consenting candidate of ``prescriber_org``."""
    return CandidateFactory(prescriber=prescriber_org)


@pytest.fixture
def job_title():
    """A job title to import people for, with a commune the rows can live in."""
    CommuneFactory()
    return JobTitleFactory()
