"""`medloc check` (QA of the project or of lone PO files) and `medloc waive` (accept one finding).

Exit codes: 0 when no finding (not waived) reaches `--fail-on`, 1 when one does, 2 on an error
(bad settings, unreadable PO file, unknown check id) — so CI and translators' scripts can gate on it.
"""

from __future__ import annotations

import contextlib
import getpass
import json
from pathlib import Path
from typing import Annotated

import typer

from medloc.cli import app
from medloc.config import load_settings
from medloc.fsutil import atomic_write_text, project_lock
from medloc.model import MedlocError

ProjectOption = Annotated[Path, typer.Option("--project", "-p", help="Project folder (holds medloc.toml).")]


@app.command()
def check(
    po: Annotated[list[Path] | None, typer.Option("--po", help="Check these PO files instead of the project "
                                                   "(the msgid is the source). Repeatable.")] = None,
    locale: Annotated[list[str] | None, typer.Option("--locale", "-l", help="Only this locale (repeatable); "
                                                      "with --po: the files' locale.")] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="json, html, md or junit.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    fail_on: Annotated[str | None, typer.Option("--fail-on", help="critical, major or minor (default: "
                                                 "qa.fail_on in the settings).")] = None,
    record: Annotated[bool, typer.Option("--record", help="Store this run for the next comparison "
                                          "(new / fixed).")] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Check translations (and the source) and decide what is publishable.

    Without --format/--output on a project, writes out/reports/qa.json, qa.html, qa.md and
    qa.junit.xml and prints the Markdown summary.
    """
    from medloc.historystore import load_history
    from medloc.qa import check_po_files, record_run, run_project_qa, write_reports
    from medloc.report.markdown import headline
    from medloc.report.render import FORMATS, render

    settings = load_settings(project)
    if fmt is not None and fmt not in FORMATS:
        raise MedlocError(f"unknown --format {fmt!r} (use one of: {', '.join(FORMATS)})")
    if po:
        if locale and len(locale) > 1:
            raise MedlocError("with --po give at most one --locale (the locale of the files)")
        report = check_po_files(po, settings, locale=locale[0] if locale else None, fail_on=fail_on)
    else:
        # What it writes (the findings history, out/reports/) a run of the flow writes too: under the
        # project lock, so a check during a scheduled run waits for it (up to catalog.lock_timeout_seconds)
        # instead of losing the run's history update or mixing two runs' reports.
        writes_reports = output is None and fmt is None
        holding = project_lock(settings.path(settings.project.state_dir),
                               timeout=settings.catalog.lock_timeout_seconds) \
            if record or writes_reports else contextlib.nullcontext()
        with holding:
            previous = load_history(settings)  # compared with, then (--record) replaced
            report = run_project_qa(settings, locales=locale or None, fail_on=fail_on, previous=previous)
            if record:
                record_run(report, settings, previous)
            written = write_reports(report, settings) if writes_reports else []
    if output is not None:
        chosen = fmt or {".json": "json", ".html": "html", ".htm": "html", ".md": "md",
                         ".xml": "junit"}.get(output.suffix.lower(), "json")
        atomic_write_text(output, render(report, chosen))
        typer.echo(f"report: {output}", err=True)
    elif fmt is not None:
        typer.echo(render(report, fmt), nl=False)
    elif po:
        typer.echo(render(report, "md"), nl=False)
    else:
        typer.echo(render(report, "md"), nl=False)
        typer.echo(f"\nreports: {', '.join(written)}", err=True)
    failing = report.failing()
    if failing:
        typer.echo(f"medloc check: {len(failing)} finding(s) at {report.fail_on.value} or worse "
                   f"(not waived). {headline(report).replace('**', '')}", err=True)
        raise typer.Exit(1)


@app.command()
def waive(
    fingerprint: Annotated[str, typer.Argument(help="The finding's fingerprint (from the QA report).")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why the finding is acceptable.")],
    by: Annotated[str | None, typer.Option("--by", help="Who waives it (default: your user name).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Waive even if the last report does not "
                                         "show this fingerprint.")] = False,
    project: ProjectOption = Path("."),
) -> None:
    """Accept one finding with a reason (in qa/waivers.toml); it comes back if the segment changes."""
    from medloc.waivers import add_waiver, waivers_path

    settings = load_settings(project)
    report = settings.path(settings.project.output_dir) / "reports" / "qa.json"
    about: dict[str, str] = {}
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
        match = next((f for f in data.get("findings", []) if f.get("fingerprint") == fingerprint), None)
    except (OSError, ValueError):
        match = None
    if match is not None:
        about = {k: str(match.get(k) or "") for k in ("check", "article", "locale", "message")}
    elif not force:
        raise MedlocError(f"finding {fingerprint} is not in the last report ({report}); run "
                          "`medloc check` first, or use --force")
    path = waivers_path(settings)
    waiver = add_waiver(path, fingerprint, reason, by=by or getpass.getuser(), about=about)
    typer.echo(f"waived {fingerprint} ({about.get('check', '?')}) in {path}: {waiver.reason}")
