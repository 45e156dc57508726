"""Render a `Report` in one of the formats `medloc check --format` offers."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from medloc.model import MedlocError
from medloc.report.model import Report, ReportFinding

FORMATS = ("json", "html", "md", "junit")  # what `medloc check --format` offers
DECISIONS_FILE = "qa-decisions.json"  # written beside the reports; publishing reads it
DECISIONS_SCHEMA = "medloc.qa-decisions/1"


def decisions_json(report: Report) -> str:
    """The gate's decision per article × locale, as publishing reads it.

    Why a file of its own: publishing needs only these rows, and reading them out of qa.json meant
    parsing the whole report (119 MB and ~3 s for 100,000 findings) on every run, unchanged ones
    included."""
    rows = [{"article": s.article, "locale": s.locale, "decision": s.decision, "score": round(s.score, 2),
             "reasons": list(s.reasons)} for s in report.rows]
    return json.dumps({"schema": DECISIONS_SCHEMA, "articles": rows}, ensure_ascii=False) + "\n"


def findings_json(findings: Iterable[ReportFinding]) -> str:
    """One article's findings as items of the report's "findings" array (its part of qa.json)."""
    return ", ".join(json.dumps(r.to_dict(), ensure_ascii=False) for r in findings)


def json_chunks(report: Report, fragments: Iterable[str] | None = None) -> Iterator[str]:
    """qa.json in pieces: `fragments` are `findings_json` per article in report order (without them,
    made from `report.findings`). The pieces join to exactly `json.dumps(report.to_dict())`."""
    data = report.to_dict(with_findings=False)
    keys = list(data)
    at = keys.index("fixed")  # the findings go between "articles" and "fixed"
    head, tail = {k: data[k] for k in keys[:at]}, {k: data[k] for k in keys[at:]}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "findings": ['
    first = True
    for fragment in fragments if fragments is not None else [findings_json(report.findings)]:
        if fragment:
            yield fragment if first else ", " + fragment
            first = False
    yield "], " + json.dumps(tail, ensure_ascii=False)[1:] + "\n"


def chunks(report: Report, fmt: str, fragments: Iterable[str] | None = None) -> Iterator[str]:
    """The report in `fmt` as pieces to write one after another; `fragments`: the findings' part of
    the formats that list every finding (json, html, junit), per article, when assembled from parts."""
    if fmt == "json":
        yield from json_chunks(report, fragments)
    elif fmt == "html":
        from medloc.report.html import html_chunks

        yield from html_chunks(report, fragments)
    elif fmt == "junit":
        from medloc.report.junit import junit_chunks

        yield from junit_chunks(report, fragments)
    else:
        yield render(report, fmt)


def render(report: Report, fmt: str) -> str:
    """The report as text in `fmt` (json, html, md, junit; "decisions" for publishing)."""
    if fmt == "json":
        # No indent: json.dumps then uses its C encoder (2.4x faster on a 100,000-finding report).
        return "".join(json_chunks(report))
    if fmt == "html":
        from medloc.report.html import render_html

        return render_html(report)
    if fmt == "md":
        from medloc.report.markdown import render_markdown

        return render_markdown(report)
    if fmt == "decisions":
        return decisions_json(report)
    if fmt == "junit":
        from medloc.report.junit import render_junit

        return render_junit(report)
    raise MedlocError(f"unknown report format {fmt!r} (use one of: {', '.join(FORMATS)})")
