"""Benchmarks run by hand (`make bench`), never as timed tests."""
