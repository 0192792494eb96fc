import pytest

from matching import index as matching_index
from tests.api.world import build_world


@pytest.fixture(autouse=True)
def _matching_index_dir(settings, tmp_path):
    """The matcher's index is built from this test's data, in its own directory."""
    settings.MATCHING_INDEX_DIR = tmp_path / "matching"
    matching_index.reset()
    yield
    matching_index.reset()


@pytest.fixture
def world(organisations):
    return build_world(organisations)
