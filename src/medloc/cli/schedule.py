"""`medloc serve`: the localize flow on a cron schedule, served from this process (Prefect serve)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from medloc.cli import app
from medloc.cli.core import ProjectOption
from medloc.config import load_settings


@app.command()
def serve(
    cron: Annotated[
        str | None, typer.Option("--cron", help="Cron schedule (UTC); default: [flow] cron in the settings.")
    ] = None,
    name: Annotated[str, typer.Option("--name", help="Deployment name (localize/NAME).")] = "medloc",
    project: ProjectOption = Path("."),
) -> None:
    """Register the `localize` deployment with its schedule and run its flow runs until stopped.

    Point PREFECT_API_URL at a Prefect server (`prefect server start`) to see and trigger runs in its
    UI; without it the schedule runs on a server embedded in this process."""
    settings = load_settings(project)  # bad settings or cron: fail before Prefect starts
    from medloc.batching import validate_flow_settings

    validate_flow_settings(settings.flow)
    from medloc.runtime import configure_prefect

    configure_prefect(project)
    from flows.serve import serve_localize, validate_cron

    expression = cron or settings.flow.cron
    upcoming = validate_cron(expression, "--cron" if cron else f"{settings.origin} [flow] cron")
    api = os.environ.get("PREFECT_API_URL") or "(embedded server: runs only while this process lives)"
    typer.echo(f"medloc: serving localize/{name} for {project.resolve()}")
    typer.echo(f"medloc: schedule {expression!r} (UTC), next runs: " + ", ".join(
        t.strftime("%Y-%m-%d %H:%M") for t in upcoming))
    typer.echo(f"medloc: Prefect API {api}; Ctrl-C stops serving")
    serve_localize(project, expression, name)
