import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    """allauth keeps its rate limits (resend cooldown, failed logins) in the cache: start each test afresh."""
    cache.clear()
    yield
    cache.clear()
