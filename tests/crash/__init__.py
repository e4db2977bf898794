"""The crash-consistency harness (issue 16.7): `python -m tests.crash.harness --points 1000`."""
