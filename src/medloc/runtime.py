"""Prefect's environment for a medloc project, set before Prefect is imported.

Prefect state (database, results, logs) lives inside the project (`.prefect/`, git-ignored), never
in the user's home; analytics are off (this machine has no network and the telemetry error would
only add noise); the ephemeral server gets a generous start-up timeout so a loaded 2-core machine
does not fail a run. Explicit environment settings win.
"""

from __future__ import annotations

import os
from pathlib import Path


def configure_prefect(project_root: Path | str) -> None:
    home = Path(project_root).resolve() / ".prefect"
    defaults = {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_LOCAL_STORAGE_PATH": str(home / "storage"),
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
        "PREFECT_LOGGING_TO_API_BATCH_INTERVAL": "0.5",
        "PREFECT_UI_ENABLED": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
