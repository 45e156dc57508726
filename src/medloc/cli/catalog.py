"""Catalog commands: `medloc status`, `medloc tm import FILE.tmx`, `medloc tm export FILE.tmx`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated

import typer

from medloc.catalog import project_status
from medloc.cli import app
from medloc.config import load_settings
from medloc.fsutil import atomic_write_bytes
from medloc.model import MedlocError
from medloc.progress import print_table
from medloc.projectmemory import ProjectMemory
from medloc.tmx import read_tmx, write_tmx

ProjectOption = Annotated[Path, typer.Option("--project", "-p", help="Project folder (holds medloc.toml).")]
tm_app = typer.Typer(help="Translation memory: import and export TMX.", no_args_is_help=True)
app.add_typer(tm_app, name="tm")


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Per article × locale: translated / fuzzy / untranslated entries and words."""
    rows = project_status(load_settings(project))
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    table: list[tuple[str, ...]] = []
    for r in rows:
        c = r.counts
        if c is None:
            table.append((r.slug, r.locale, "-", "-", "-", "-", "-", r.error or ""))
            continue
        table.append((
            r.slug, r.locale, f"{c.percent:.0f}", f"{c.translated} ({c.translated_words} w)",
            f"{c.fuzzy} ({c.fuzzy_words} w)", f"{c.untranslated} ({c.untranslated_words} w)",
            str(c.obsolete), r.error or "",
        ))  # fmt: skip
    columns = ("article", "locale", "done %", "translated", "fuzzy", "untranslated", "obsolete", "note")
    print_table(columns, table, width=160)
    if not rows:
        typer.echo("no catalogs yet: run `medloc run` first")


@tm_app.command("import")
def tm_import(
    file: Annotated[Path, typer.Argument(help="A TMX 1.4 file (source language English).")],
    project: ProjectOption = Path("."),
) -> None:
    """Validate a TMX file and store it in the project's translation memory folder."""
    settings = load_settings(project)
    units = read_tmx(file)
    if not units:
        raise MedlocError("no translation units with an English source", path=str(file))
    target = settings.path(settings.catalog.tm_dir) / file.name
    if target.resolve() != file.resolve():
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, file.read_bytes())
        shutil.copystat(file, target)
    langs = sorted({u.locale for u in units})
    typer.echo(f"imported {len(units)} unit(s) ({', '.join(langs)}) into {target}")


@tm_app.command("export")
def tm_export(
    file: Annotated[Path, typer.Argument(help="Where to write the TMX file.")],
    project: ProjectOption = Path("."),
) -> None:
    """Write every reviewed translation (PO files and imported TMX) as one TMX file."""
    settings = load_settings(project)
    memory = ProjectMemory(settings).refreshed()
    count = write_tmx(file, memory.units(), settings.project.source_locale)
    typer.echo(f"exported {len(memory)} unit(s) in {count} <tu> to {file}")
