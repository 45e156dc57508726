"""Publishing reads the gate's decisions from the small file the QA stage writes beside the reports."""

from __future__ import annotations

import json
import os
from pathlib import Path

from qa_support import make_project

from medloc import publish, qa, qastage
from medloc.config import load_settings


def _from_report(path: Path) -> list[tuple[str, str, str, float, tuple[str, ...]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(a["article"], a["locale"], a["decision"], round(float(a["score"]), 2), tuple(a["reasons"]))
            for a in data["articles"]]


def test_decisions_file_matches_the_report_and_publishing_reads_it(tmp_path: Path) -> None:
    settings = load_settings(make_project(tmp_path), env={})
    qa._CONTEXTS.clear()
    result = qastage.qa_run(settings)
    reports = settings.path(settings.project.output_dir) / "reports"
    decisions = reports / qa.DECISIONS_FILE
    assert str(decisions) in result["counts"]["reports"] and publish.DECISIONS == qa.DECISIONS_FILE
    expected = _from_report(reports / "qa.json")
    assert len(expected) >= 4 and {d for _, _, d, _, _ in expected} >= {"publish", "blocked"}

    rows, checked_at = publish.load_decisions(settings)
    assert [(r.article, r.locale, r.decision, r.score, r.reasons) for r in rows] == expected
    assert checked_at == (reports / "qa.json").stat().st_mtime

    # The report alone (written by an older medloc, or the summary lost): same decisions from qa.json.
    decisions.unlink()
    rows, _ = publish.load_decisions(settings)
    assert [(r.article, r.locale, r.decision, r.score, r.reasons) for r in rows] == expected

    # A summary older than the report is not trusted: it may describe another report.
    row = {"article": "x", "locale": "es", "decision": "publish", "score": 100, "reasons": []}
    stale = {"schema": qa.DECISIONS_SCHEMA, "articles": [row]}
    decisions.write_text(json.dumps(stale), encoding="utf-8")
    report_time = (reports / "qa.json").stat().st_mtime_ns
    os.utime(decisions, ns=(report_time - 10**9, report_time - 10**9))
    rows, _ = publish.load_decisions(settings)
    assert [r.article for r in rows] != ["x"] and len(rows) == len(expected)
    qa._CONTEXTS.clear()


def test_a_damaged_decisions_file_falls_back_to_the_report(tmp_path: Path) -> None:
    settings = load_settings(make_project(tmp_path), env={})
    qa._CONTEXTS.clear()
    qastage.qa_run(settings)
    reports = settings.path(settings.project.output_dir) / "reports"
    expected = _from_report(reports / "qa.json")
    cut_short = '{"schema": "medloc.qa-decisions/1", "articles": ['
    (reports / qa.DECISIONS_FILE).write_text(cut_short, encoding="utf-8")
    rows, checked_at = publish.load_decisions(settings)
    assert [(r.article, r.locale, r.decision, r.score, r.reasons) for r in rows] == expected
    assert checked_at == (reports / "qa.json").stat().st_mtime
    qa._CONTEXTS.clear()
