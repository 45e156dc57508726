"""Glossary commands: `medloc glossary lint|import-tbx|export-tbx|import-tico` and `medloc fix`.

`medloc fix` is the editor's view of the source fixes: a unified diff per article and the list of
changes; `--write` replaces the source files atomically (all glossary errors surface before any write).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated

import typer

from medloc.cli import app
from medloc.config import load_settings
from medloc.model import MedlocError

ProjectOption = Annotated[Path, typer.Option("--project", "-p", help="Project folder (holds medloc.toml).")]
glossary_app = typer.Typer(help="Check, import and export the medical glossary.", no_args_is_help=True)
app.add_typer(glossary_app, name="glossary")


@glossary_app.command("lint")
def lint_command(project: ProjectOption = Path("."),
                 strict: Annotated[bool, typer.Option(help="Fail on warnings too.")] = False) -> None:
    """Find duplicates, contradictions, rewrite loops, span conflicts and failing examples."""
    from medloc.glossary.lint import lint
    from medloc.glossary.load import load_glossary

    settings = load_settings(project)
    glossary = load_glossary(settings.path(settings.project.glossary_dir))
    issues = lint(glossary, settings.project.locales, settings.project.source_locale)
    for issue in issues:
        typer.echo(str(issue))
    errors = sum(i.level == "error" for i in issues)
    warnings = len(issues) - errors
    typer.echo(f"{len(glossary)} concepts: {errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        raise typer.Exit(1)


@glossary_app.command("export-tbx")
def export_tbx_command(output: Path, project: ProjectOption = Path(".")) -> None:
    """Write the glossary as TBX-Basic."""
    from medloc.fsutil import atomic_write_text
    from medloc.glossary.load import load_glossary
    from medloc.glossary.tbx import export_tbx

    settings = load_settings(project)
    glossary = load_glossary(settings.path(settings.project.glossary_dir))
    atomic_write_text(output, export_tbx(glossary, settings.project.source_locale))
    typer.echo(f"{len(glossary)} concepts written to {output}")


@glossary_app.command("import-tbx")
def import_tbx_command(source: Path, output: Path, project: ProjectOption = Path(".")) -> None:
    """Convert a TBX(-Basic) file to a glossary YAML file (review it, then put it in glossary/)."""
    from medloc.fsutil import atomic_write_text
    from medloc.glossary.dump import dump_yaml
    from medloc.glossary.tbx import import_tbx

    settings = load_settings(project)
    glossary = import_tbx(source, settings.project.source_locale)
    atomic_write_text(output, dump_yaml(glossary))
    typer.echo(f"{len(glossary)} concepts written to {output}")


@glossary_app.command("import-tico")
def import_tico_command(sources: list[Path], output: Annotated[Path, typer.Option("--out", "-o")],
                        project: ProjectOption = Path(".")) -> None:
    """Convert TICO-19 term lists (CSV or the merged TSV) into glossary YAML for the project's locales."""
    from medloc.fsutil import atomic_write_text
    from medloc.glossary.dump import dump_yaml
    from medloc.glossary.tico import import_tico

    settings = load_settings(project)
    glossary = import_tico(sources, settings.project.locales)
    atomic_write_text(output, dump_yaml(glossary))
    typer.echo(f"{len(glossary)} concepts written to {output}")


@app.command("fix")
def fix_command(
    project: ProjectOption = Path("."),
    write: Annotated[bool, typer.Option("--write", help="Rewrite the source files.")] = False,
) -> None:
    """Show the glossary's source fixes as a diff; with --write, apply them to the source files."""
    from medloc.extract import FORMATS, extract_article
    from medloc.fsutil import atomic_write_text
    from medloc.glossary import fix_article, load_terminology

    settings = load_settings(project)
    terms = load_terminology(settings)  # a malformed glossary stops here, before anything is written
    source_dir = settings.path(settings.project.source_dir)
    if not source_dir.is_dir():
        raise MedlocError("source folder not found", path=str(source_dir))
    pending: list[tuple[Path, str]] = []
    total = 0
    for path in sorted(p for p in source_dir.rglob("*") if p.suffix.lower() in FORMATS and p.is_file()):
        shown = str(path.relative_to(settings.root)) if path.is_relative_to(settings.root) else str(path)
        try:
            article = extract_article(path.name, path.read_bytes(), settings, origin=shown)
            result = fix_article(terms, article, settings)
        except MedlocError as exc:  # one unreadable article must not hide the others' fixes
            typer.echo(f"medloc: error: {exc}", err=True)
            continue
        if not result.changed:
            continue
        total += len(result.fixes)
        diff = difflib.unified_diff(article.text.splitlines(True), result.source.splitlines(True),
                                    f"a/{shown}", f"b/{shown}")
        typer.echo("".join(diff), nl=False)
        for fix in result.fixes:
            typer.echo(f"# {fix}")
        pending.append((path, result.source))
    if write:
        for path, text in pending:
            atomic_write_text(path, text)
    verb = "applied" if write else "proposed (run with --write to apply)"
    typer.echo(f"{total} fix(es) in {len(pending)} file(s) {verb}")
