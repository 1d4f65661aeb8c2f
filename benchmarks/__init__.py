"""The performance harness: ``python -m benchmarks.run`` (see run.py and docs/benchmarks.md)."""
