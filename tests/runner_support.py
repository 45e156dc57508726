"""What the runner tests (threads, processes, Dask) share: a small NCI project with one bad article,
and a run summary reduced to what must be equal whichever runner processed it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from paths import NCI


def runner_project(root: Path, flow: str, pages: int) -> Path:
    """`pages` NCI press releases, one cp1252 page that fails to decode, `flow` as the [flow] table."""
    sources = root / "source_articles"
    sources.mkdir(parents=True)
    for number in range(1, pages + 1):
        shutil.copy(NCI / "en" / f"pr{number:02d}.html", sources / f"pr{number:02d}.html")
    (sources / "broken.html").write_bytes("<p>Caf\u00e9 \u201cquoted\u201d</p>".encode("cp1252"))
    (root / "medloc.toml").write_text(f'[project]\nlocales = ["es"]\n[flow]\n{flow}\n')
    return root


def comparable_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary without timings, absolute paths and QA (which differ between two project copies
    or are compared by the caller)."""
    articles = sorted(
        ({k: v for k, v in a.items() if k not in ("stages", "outputs")} for a in summary["articles"]),
        key=lambda a: a["origin"],
    )
    publish = summary.get("publish") or {}
    return {
        "processed": summary["processed"],
        "failed": summary["failed"],
        "cached": summary["cached"],
        "articles": articles,
        "published": sorted(publish.get("published", [])),
        "skipped": sorted(p["page"] for p in publish.get("skipped", [])),
    }
