"""Benchmarks: each module here has ``run(scale)`` that prints its figures; ``python -m benchmarks`` runs them."""
