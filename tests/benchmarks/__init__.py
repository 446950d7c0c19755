"""Benchmarks: python3 -m tests.benchmarks.<name>."""
