"""The run summary: what was processed, what failed and why, in JSON and Markdown.

Written to `out/summary.json` and `out/summary.md` after every run and shown as a Prefect artifact,
so the person who scheduled the run sees at a glance which articles need attention.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from medloc.config import Settings
from medloc.fsutil import atomic_write_text
from medloc.pipeline import ArticleResult
from medloc.report.markdown import left_out

_WHOLE = "summary.md in the output folder"  # where a digest's shortened list is whole


@dataclass
class RunSummary:
    articles: list[ArticleResult] = field(default_factory=list)
    source_errors: list[str] = field(default_factory=list)
    remote: dict[str, int] = field(default_factory=dict)
    cached: list[str] = field(default_factory=list)
    seconds: float = 0.0
    qa: dict[str, object] = field(default_factory=dict)  # QA decision counts (medloc.qa.qa_run)
    publish: dict[str, Any] = field(default_factory=dict)  # medloc.publish.PublishResult.to_dict()
    withdrawn: list[str] = field(default_factory=list)  # articles whose source is gone (medloc.withdraw)
    held: list[str] = field(default_factory=list)  # gone, but more than the limit: nothing withdrawn

    @property
    def failed(self) -> int:
        return sum(1 for a in self.articles if not a.ok) + len(self.source_errors)

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": "medloc.run-summary/1",
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(self.seconds, 3),
            "processed": sum(1 for a in self.articles if a.ok),
            "failed": self.failed,
            "cached": self.cached,
            "remote": self.remote,
            "source_errors": self.source_errors,
            "articles": [a.to_dict() for a in self.articles],
            "qa": self.qa,
            "publish": self.publish,
            "withdrawn": self.withdrawn,
            "held": self.held,
        }

    def to_markdown(self, limit: int | None = None) -> str:
        """The summary in Markdown (out/summary.md: every article, by origin). With `limit` (the
        Prefect artifact, see medloc.report.markdown.DIGEST_ROWS) every list stops after `limit`
        entries: articles failed ones first, then those processed in this run, then unchanged ones;
        pages errors and stale ones first, the pages not published last."""
        lines = [
            "# medloc run",
            "",
            f"{sum(1 for a in self.articles if a.ok)} article(s) processed, {self.failed} failed, "
            f"{len(self.cached)} unchanged (cached), in {self.seconds:.1f} s.",
            "",
            "| article | format | segments | words | status |",
            "|---|---|---:|---:|---|",
        ]
        listed = sorted(self.articles, key=lambda r: r.origin)
        if limit is not None:
            cached = set(self.cached)
            listed = sorted(listed, key=lambda r: (r.ok, (r.slug or r.origin) in cached))
        for a in listed[:limit]:
            status = "ok" if a.ok else f"**error**: {_cell(a.error or '')}"
            lines.append(
                f"| {_cell(a.slug or a.origin)} | {a.format or '-'} | {a.segments} | {a.words} | {status} |"
            )
        more = left_out(len(listed), limit, "article(s)", _WHOLE)
        if more:
            lines += ["", more]
        if self.withdrawn:
            lines += ["", "## Withdrawn (source gone: out of the report and off the site; PO files kept)", ""]
            lines += _capped([f"- {_cell(slug)}" for slug in self.withdrawn], limit, "article(s)")
        if self.qa:
            lines += ["", f"QA: {self.qa.get('headline', '')} Report: out/reports/qa.html"]
        lines += _publish_lines(self.publish, limit)
        if self.source_errors:
            lines += ["", "## Sources that could not be read", ""]
            lines += _capped([f"- {_cell(e)}" for e in self.source_errors], limit, "source(s)")
        return "\n".join(lines) + "\n"


def _capped(lines: list[str], limit: int | None, what: str) -> list[str]:
    """`lines`, or its first `limit` and a line saying how many more the file lists."""
    more = left_out(len(lines), limit, what, _WHOLE)
    return [*lines[:limit], f"- {more}"] if more else lines


def _publish_lines(publish: dict[str, Any], limit: int | None = None) -> list[str]:
    """What was published, what stayed stale and why, what was not published and why; with `limit`,
    the first `limit` of those lines, the ones that need someone's attention first."""
    if not publish:
        return []
    out = publish.get("output_dir", "publish")
    head = ["", "## Published", "",
            f"{len(publish['published'])} page(s) written, {len(publish['unchanged'])} unchanged, "
            f"in {out}/<locale>/<slug>.html (manifest: {out}/manifest.json)."]
    written = [f"- written: {page}" for page in publish["published"]]
    stale = [f"- **stale** (last good page kept): {s['page']}: {_cell(s['reason'])}"
             for s in publish["stale"]]
    skipped = [f"- not published: {s['page']}: {_cell(s['reason'])}" for s in publish["skipped"]]
    withdrawn = [f"- **withdrawn** (page deleted): {page}" for page in publish.get("withdrawn", [])]
    escaped = [f"- escaped markup in {e['page']}: `{_cell(e['markup'])}`" for e in publish["escaped"]]
    errors = [f"- **error**: {_cell(e)}" for e in publish["errors"]]
    if limit is None:
        return head + written + stale + skipped + withdrawn + escaped + errors
    return head + _capped(errors + stale + withdrawn + escaped + written + skipped, limit, "page line(s)")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_summary(summary: RunSummary, settings: Settings) -> list[str]:
    out = settings.path(settings.project.output_dir)
    atomic_write_text(
        out / "summary.json", json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n"
    )
    atomic_write_text(out / "summary.md", summary.to_markdown())
    return [str(out / "summary.json"), str(out / "summary.md")]
