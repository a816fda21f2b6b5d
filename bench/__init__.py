"""Benchmarks: scripts that print numbers (recorded in BENCHMARKS.md), not timed tests."""
