"""Core commands: `medloc run` (the flow) and `medloc extract` (what an editor checks first)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from medloc.cli import app
from medloc.config import load_settings
from medloc.extract import extract_article
from medloc.model import MedlocError
from medloc.pipeline import segments_payload

ProjectOption = Annotated[Path, typer.Option("--project", "-p", help="Project folder (holds medloc.toml).")]


@app.command()
def run(project: ProjectOption = Path(".")) -> None:
    """Run the localize flow on the project (embedded Prefect server) and print the run summary."""
    from medloc import progress
    from medloc.batching import validate_flow_settings
    from medloc.runtime import configure_prefect

    settings = load_settings(project)
    validate_flow_settings(settings.flow)  # bad settings: fail before Prefect starts
    configure_prefect(project)
    from flows.localize import run_localize

    with progress.reporting(progress.for_stream()):  # bars on a terminal, plain lines in CI logs
        summary = run_localize(str(project.resolve()))
    articles = summary["articles"]
    assert isinstance(articles, list)
    typer.echo(
        f"\n{summary['processed']} article(s) processed, {summary['failed']} failed, "
        f"{len(summary['cached'])} unchanged (cached) in {summary['seconds']} s"
    )  # type: ignore[arg-type]
    for article in articles:
        if article["error"]:
            typer.echo(f"  ERR {article['error']}")
        else:
            typer.echo(f"  ok  {article['slug']}: {article['segments']} segments, {article['words']} words")
    for error in summary["source_errors"]:  # type: ignore[attr-defined]
        typer.echo(f"  ERR {error}")
    out, locales = settings.path(settings.project.output_dir), settings.path(settings.project.locales_dir)
    typer.echo(f"\nRun summary: {out / 'summary.md'}")
    typer.echo(f"Extracted segments: {out / 'segments'}/   glossary fixes: {out / 'glossary-fixes'}/")
    typer.echo(f"PO files for translators: {locales}/<locale>/<slug>.po")
    published = summary.get("publish") or {}
    if isinstance(published, dict) and published.get("output_dir"):
        pages = project.resolve() / str(published["output_dir"])
        typer.echo(f"Published pages: {pages}/<locale>/<slug>.html (manifest: {pages / 'manifest.json'}): "
                   f"{published['headline']}")
    if summary["failed"]:
        raise typer.Exit(1)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="An .html, .md or .txt article.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Show the segments of one file: what translators will get, in order."""
    settings = load_settings(project)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise MedlocError(f"cannot read: {exc.strerror or exc}", path=str(file)) from exc
    article = extract_article(file.name, data, settings, origin=str(file))
    if as_json:
        payload = segments_payload(article)
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{article.path}: slug {article.slug}, {article.format}, {len(article.segments)} segments, "
        f"{article.word_count()} words"
    )
    for s in article.segments:
        typer.echo(f"{s.index:4d}  {s.line:5d}  {s.kind.value:<16} {s.text}")
