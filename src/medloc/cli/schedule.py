"""`medloc serve`: the localize flow on a cron schedule, served from this process (Prefect serve)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medloc.cli import app
from medloc.cli.core import ProjectOption
from medloc.config import load_settings
from medloc.model import MedlocError


@app.command()
def serve(
    cron: Annotated[
        str | None, typer.Option("--cron", help="Cron schedule (UTC); default: [flow] cron in the settings.")
    ] = None,
    name: Annotated[str, typer.Option("--name", help="Deployment name (localize/NAME).")] = "medloc",
    project: ProjectOption = Path("."),
) -> None:
    """Register the `localize` deployment with its schedule and run its flow runs until stopped.

    Needs a Prefect server (`prefect server start`, PREFECT_API_URL): it keeps the schedule, and its UI
    or `prefect deployment run localize/NAME` triggers a run now."""
    settings = load_settings(project)  # bad settings or cron: fail before Prefect starts
    from medloc.batching import validate_flow_settings

    validate_flow_settings(settings.flow)
    from medloc.runtime import configure_prefect

    configure_prefect(project)
    from flows.serve import api_url, serve_localize, validate_cron

    expression = cron or settings.flow.cron
    upcoming = validate_cron(expression, "--cron" if cron else f"{settings.origin} [flow] cron")
    api = api_url()
    if not api:
        raise MedlocError(
            "a schedule needs a Prefect server (Prefect's embedded server schedules nothing): start one "
            "with `prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api",
            path="PREFECT_API_URL",
        )
    typer.echo(f"medloc: serving localize/{name} for {project.resolve()}")
    typer.echo(f"medloc: schedule {expression!r} (UTC), next runs: " + ", ".join(
        t.strftime("%Y-%m-%d %H:%M") for t in upcoming))
    typer.echo(f"medloc: Prefect API {api}; Ctrl-C stops serving")
    serve_localize(project, expression, name)
