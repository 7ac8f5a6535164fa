"""Benchmarks: run with `make bench` or `python -m bench.<name>`; figures are printed, never asserted."""
