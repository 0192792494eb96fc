from tests.marketplace.conftest import candidate, position  # noqa: F401
