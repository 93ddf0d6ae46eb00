"""Loaded by pytest before Django's settings (`-p config.pytest_env` in pyproject.toml): the
suite runs with DEBUG off, as production does, so it needs a key; production has its own."""

import os

os.environ.setdefault("SECRET_KEY", "insecure-key-for-the-test-suite-only")
