"""Serve the `localize` flow on a cron schedule (`medloc serve`), for a machine that stays up.

`Flow.serve` registers a deployment with the Prefect API and runs its scheduled (and manually
triggered) runs in subprocesses of this process until it is stopped. Teams with a Prefect work pool
use `prefect.yaml` at the repository root instead (`prefect deploy`, `prefect worker start`); both
run the same entry point, `flows/localize.py:localize`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from medloc.model import MedlocError

DEFAULT_DEPLOYMENT = "medloc"


def validate_cron(expression: str, origin: str = "--cron") -> list[dt.datetime]:
    """Parse `expression` the way Prefect's CronSchedule will; return its next three run times.

    A bad expression is our error, naming where it came from, instead of a pydantic trace when the
    deployment is created."""
    from cronsim import CronSim, CronSimError  # what Prefect's CronSchedule evaluates with
    from prefect.client.schemas.schedules import CronSchedule

    start = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    try:
        sim = CronSim(expression, start)
        upcoming = [next(sim) for _ in range(3)]
        CronSchedule(cron=expression, timezone="UTC")
    except (CronSimError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if isinstance(exc, CronSimError) else "rejected by Prefect"
        raise MedlocError(
            f"invalid cron expression {expression!r}: {reason} "
            "(five fields: minute hour day-of-month month day-of-week, e.g. '0 3 * * *')",
            path=origin,
        ) from None
    return upcoming


def api_url() -> str | None:
    """The Prefect API this process talks to (environment or Prefect profile); None: ephemeral.

    Prefect schedules nothing on its ephemeral server (its runner warns and serves only manual runs),
    so a schedule needs a real server."""
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    return str(url) if url else None


def serve_localize(project: Path, cron: str, name: str = DEFAULT_DEPLOYMENT) -> None:
    """Register `localize/<name>` with `cron` for `project` and run its flow runs until stopped."""
    from flows.localize import localize

    localize.serve(
        name=name,
        cron=cron,
        parameters={"project_dir": str(project.resolve())},
        description=f"medloc: localize {project.resolve()} on the schedule {cron!r} (UTC)",
        tags=["medloc"],
        pause_on_shutdown=False,  # a restarted `medloc serve` keeps its schedule active
        print_starting_message=True,
    )
