"""Benchmarks, run with `make bench`; what they measure and their results are in docs/benchmarks.md."""
