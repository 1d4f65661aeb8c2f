"""The performance harness: run ``python -m benchmarks.run`` (see README.md beside this file)."""
