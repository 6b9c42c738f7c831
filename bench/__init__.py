"""Benchmark support: the bare reference view and the load script."""
