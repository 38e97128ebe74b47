"""Benchmarks run on demand (`make bench`), not by the test suite."""
