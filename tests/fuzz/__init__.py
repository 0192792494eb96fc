"""Imports and uploads fed broken, hostile and random input."""

from hypothesis import HealthCheck, settings

# How the property-based tests run: a fixed number of examples, reproducible, nothing kept on disk.
FUZZ = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
