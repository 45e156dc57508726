"""Shared test set-up: Prefect state in a throw-away folder, analytics off, paths to shared data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Before anything imports prefect: keep its state out of the user's home and the repo.
_PREFECT_HOME = tempfile.mkdtemp(prefix="medloc-test-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "180"
os.environ["PREFECT_LOCAL_STORAGE_PATH"] = str(Path(_PREFECT_HOME) / "storage")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from paths import CORPUS, REPO  # noqa: E402 - after the environment is set

# The `reliability` fixture: tests record case counts for docs/reliability.md (see tests/reliability.py).
pytest_plugins = ["reliability"]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS} (CI lays it beside the clone)")
    return CORPUS
