import pytest

from tests.api.world import build_world


@pytest.fixture
def world(organisations):
    return build_world(organisations)
