"""Recommender evaluation benchmark: loaders, splits, metrics, model runners and the report.

Entry point: ``python -m benchmarks.recommenders`` (``scripts/benchmark-recommenders``).
"""
