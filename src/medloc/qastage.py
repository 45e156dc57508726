"""The flow's QA stage: the project report of a run, skipped when nothing it is made of changed.

Why its own module: `medloc.qa` checks articles and PO files (also for `medloc check`); what the
scheduled run adds is bookkeeping around it — the per-article parts it reuses (medloc.projectreport),
the record of its inputs that lets an unchanged run return the last result without any work, the
history it keeps for the next run's new/open/fixed, and the bounds on the engine memo.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from medloc.config import Settings
from medloc.fsutil import atomic_write_text
from medloc.gcpause import paused_gc
from medloc.history import history_path, legacy_path
from medloc.historystore import load_history
from medloc.model import MedlocError
from medloc.qa import record_history, run_project_qa, write_reports
from medloc.report.pages import ARTICLES
from medloc.waivers import waivers_path


def qa_run(settings: Settings) -> dict[str, Any]:
    """The flow's QA stage: project report from the stored per-article findings, compared with and
    recorded for the next run, reports written; returns what the flow shows as artifacts.

    Nothing changed since the last run: its result is returned as it was. Otherwise the report is
    assembled from per-article parts, only the changed articles' parts rebuilt (medloc.projectreport).
    """
    with paused_gc():  # ~100,000 findings' rows built and dropped: see medloc.gcpause
        return _qa_run(settings)


def _qa_run(settings: Settings) -> dict[str, Any]:
    from medloc.incremental import FileDigests
    from medloc.projectreport import build_project_report
    from medloc.report.markdown import DIGEST_ROWS, headline, render_markdown

    last = _last_run(settings)
    files = FileDigests(last.get("files") if last else None)
    paths = _qa_paths(settings)  # the QA stage writes none of them but the history: listed once
    inputs = _qa_inputs(settings, files, paths)
    if last is not None and inputs == last.get("inputs"):
        if files.to_store() != last.get("files"):  # files hashed again (racy stamps): keep the stamps
            _remember_run(settings, dict(last["result"]), files, inputs)
        return dict(last["result"])
    try:
        previous = load_history(settings)  # read per article as needed, then recorded (only changes)
        built = build_project_report(settings, previous, files)
        report = built.report
        try:
            record_history(settings, report.rows, built.histories, previous)  # `previous` reads as before
        except LookupError as exc:  # a part's history rows unreadable since it was read: not recorded
            logging.getLogger(__name__).warning("findings history not recorded (the next run compares "
                                                "with the last one recorded): %s", exc)
        try:
            written = write_reports(report, settings, fragments=built.fragments, pages=built.pages())
        except LookupError as exc:  # the parts store could not be read back: the whole report, the slow way
            logging.getLogger(__name__).warning("project report rebuilt from every finding: %s", exc)
            report = run_project_qa(settings, reuse=True, previous=previous)
            written = write_reports(report, settings)
        built.store.close()
        _prune_memo(settings)
    except MedlocError as exc:  # e.g. a malformed waivers file: say so, keep the run's other results
        line = f"QA not run: {exc}"
        return {"headline": line, "markdown": f"# medloc QA report\n\n**{line}**\n", "table": [],
                "counts": {"error": str(exc), "headline": line}}
    table = [
        {"article": s.article, "locale": s.locale, "completion %": round(s.completion, 1),
         "critical": s.severities["critical"], "major": s.severities["major"],
         "minor": s.severities["minor"], "penalty/1k words": round(s.penalty_per_1000_words, 1),
         "score": round(s.score, 1), "decision": s.decision, "why": " ".join(s.reasons)}
        for s in report.rows if s.locale != report.source_locale
    ]
    line = headline(report).replace("**", "")
    counts = {**report.counts(), "reports": written, "headline": line,
              "engines": [engine["summary"] for engine in report.engine_lines()]}
    # What the flow shows as artifacts: digests (see DIGEST_ROWS); the reports written above are whole.
    result = {"headline": line, "markdown": render_markdown(report, DIGEST_ROWS),
              "table": table[:DIGEST_ROWS], "counts": counts}
    _remember_run(settings, result, files, _qa_inputs(settings, files, paths))
    return result


def _prune_memo(settings: Settings) -> None:
    """Keep the engine memo bounded, once a run (it only grows during the per-article stage)."""
    from medloc.engines.memo import FILENAME, EngineMemo

    path = settings.path(settings.project.state_dir) / FILENAME
    if path.is_file():
        memo = EngineMemo(path)
        memo.prune()
        memo.close()


QA_RUN_FILE = "qa-run.json"
QA_RUN_SCHEMA = "medloc.qa-run/1"
_QA_SUFFIXES = (".json", ".po", ".pot", ".html", ".md", ".xml")


def _qa_paths(settings: Settings) -> list[Path]:
    """The input files of the project report (see _qa_inputs), listed once per run."""
    out = settings.path(settings.project.output_dir)
    folders = [out / "qa", out / "glossary-fixes", settings.path(settings.project.locales_dir)]
    paths = [waivers_path(settings), history_path(settings), legacy_path(settings)]
    for folder in folders:
        if folder.is_dir():
            paths += [p for p in folder.rglob("*") if p.suffix in _QA_SUFFIXES]
    return sorted(paths)


def _qa_inputs(settings: Settings, files: Any, paths: list[Path]) -> str:
    """Digest of everything the project report is made of: the stored per-article findings, PO files
    and templates, glossary-fix logs, waivers, the findings history, the settings and medloc's code
    (files by content digest with the stat shortcut), and the reports it wrote (by size and mtime:
    a deleted or replaced report is written again; hashing 250 MB of our own output is not needed)."""
    import hashlib

    from medloc.incremental import code_fingerprint

    digest = hashlib.sha256(f"{code_fingerprint()}\0{settings!r}\0{settings.root}".encode())
    for path in paths:
        digest.update(str(path).encode() + b"\0" + files.digest(path).encode())
    reports = settings.path(settings.project.output_dir) / "reports"
    for folder in (reports, reports / ARTICLES):  # the article pages too: a deleted one is written again
        for path in sorted(folder.iterdir()) if folder.is_dir() else []:
            if path.suffix in _QA_SUFFIXES and not path.name.startswith("."):
                st = path.stat()
                digest.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def _last_run(settings: Settings) -> dict[str, Any] | None:
    """The last project QA: its inputs' digest, the file records, its result (None if unusable)."""
    path = settings.path(settings.project.state_dir) / QA_RUN_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") == QA_RUN_SCHEMA and isinstance(data.get("result"), dict) \
                and isinstance(data.get("files"), dict):
            return dict(data)
    except (OSError, ValueError, AttributeError):
        pass
    return None


def _remember_run(settings: Settings, result: dict[str, Any], files: Any, inputs: str) -> None:
    """Keep the result under the digest of the inputs as this run leaves them (the history and the
    reports it just wrote included), so an unchanged next run returns it (see qa_run)."""
    payload = {"schema": QA_RUN_SCHEMA, "inputs": inputs, "files": files.to_store(), "result": result}
    atomic_write_text(settings.path(settings.project.state_dir) / QA_RUN_FILE,
                      json.dumps(payload, ensure_ascii=False) + "\n")
