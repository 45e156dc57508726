"""The project's HTML report as an index and one page per article.

Why not one page: on a 1,000-article project it was 128 MB with ~100,000 findings — no browser
opens that usefully, and a run in which one article changed rewrote all of it (~0.7 s of the run).
A reviewer works article by article: `out/reports/qa.html` is the index (every decision, each
article's name linking to its page, the findings about no single article, the glossary fixes, what
was fixed, stale waivers) and `out/reports/articles/<slug>.html` is one article's decisions and
findings, with the same filters. `medloc check --format html` still renders everything in one page.

Which pages a run writes: every page whose content may have changed. `articles/.pages.json` records
what each page was rendered from (its `identity`: for the flow, the key of the article's report part
and its comparison with the last run, the engines' lines, first run or not). A page is written when
its identity is unknown (the whole report was built without parts: `medloc check`), differs, or the
file is missing; the record is written after the pages, so a run killed in between leaves pages the
record does not vouch for, which the next run writes again. Pages of articles that left the report
are deleted.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medloc.fsutil import atomic_write_chunks, atomic_write_text
from medloc.history import Previous
from medloc.report.html import findings_fragment, has_page, html_chunks
from medloc.report.model import ENGINE_CHECK, Report, ReportFinding, Tally
from medloc.scoring import Score

ARTICLES = "articles"  # beside qa.html
RECORD = ".pages.json"  # in ARTICLES: what each page was rendered from
RECORD_SCHEMA = "medloc.report-pages/1"


@dataclass(frozen=True)
class ArticlePage:
    """One article's page: its slug, what it is rendered from (None: unknown), how to render it."""

    slug: str
    identity: str | None
    chunks: Callable[[], Iterable[str]]


@dataclass
class Pages:
    """The HTML report besides the report itself: the article pages and what the index lists."""

    articles: list[ArticlePage]
    index_fragments: Iterable[str]  # findings about no single article, rendered
    index_tally: Tally
    linked: set[str] = field(default_factory=set)  # slugs with a page (their rows link to it)


def article_report(report: Report, rows: list[Score], tally: Tally, fixed: list[Previous],
                   glossary_fixes: list[dict[str, Any]]) -> Report:
    """The project report narrowed to one article: what its page shows (the run's engines, gate,
    checks and time; the article's rows, findings' tally, fixes and fixed findings)."""
    return Report(scope=report.scope, source_locale=report.source_locale, gate=report.gate,
                  fail_on=report.fail_on, findings=[], rows=rows, engines=report.engines,
                  locales=sorted({s.locale for s in rows}), fixed=fixed, first_run=report.first_run,
                  glossary_fixes=glossary_fixes, checks=report.checks, generated=report.generated,
                  tally=tally)


def article_chunks(report: Report, slug: str, fragments: Iterable[str]) -> Iterable[str]:
    """An article's page: `report` is `article_report`'s, `fragments` its rendered findings."""
    return html_chunks(report, fragments, article=slug)


def pages_of_report(report: Report) -> Pages:
    """The pages of a report that holds its findings (built whole, as `medloc check` builds it).

    The same pages as the flow's parts give (`medloc.projectreport`): an article's page lists its
    findings but engine notes; the index lists those and findings about no article with a page."""
    slugs = list(dict.fromkeys(s.article for s in report.rows if has_page(s.article)))
    linked = set(slugs)
    mine: dict[str, list[ReportFinding]] = {slug: [] for slug in slugs}
    rest: list[ReportFinding] = []
    for r in report.findings:
        if r.finding.article in linked and r.finding.check != ENGINE_CHECK:
            mine[r.finding.article].append(r)
        else:
            rest.append(r)

    def page(slug: str) -> ArticlePage:
        def chunks() -> Iterable[str]:
            narrowed = article_report(
                report, [s for s in report.rows if s.article == slug], Tally.of(mine[slug], report.fail_on),
                [p for p in report.fixed if p.article == slug],
                [x for x in report.glossary_fixes if x.get("article") == slug])
            return article_chunks(narrowed, slug, [findings_fragment(mine[slug])])
        return ArticlePage(slug, None, chunks)

    return Pages([page(slug) for slug in slugs], [findings_fragment(rest)], Tally.of(rest, report.fail_on),
                 linked)


def write_pages(folder: Path, pages: Iterable[ArticlePage]) -> list[Path]:
    """Write the article pages under `folder/articles/` that may have changed; delete the pages of
    articles not in `pages`; returns the pages written."""
    where = folder / ARTICLES
    where.mkdir(parents=True, exist_ok=True)
    before = _read_record(where)
    record: dict[str, str] = {}
    written: list[Path] = []
    names: set[str] = set()
    for page in pages:
        path = where / f"{page.slug}.html"
        names.add(path.name)
        if page.identity is None or before.get(page.slug) != page.identity or not path.is_file():
            atomic_write_chunks(path, page.chunks())
            written.append(path)
        if page.identity is not None:
            record[page.slug] = page.identity
    for old in where.glob("*.html"):
        if old.name not in names:
            with contextlib.suppress(FileNotFoundError):
                old.unlink()
    if record != before or not (where / RECORD).is_file():
        atomic_write_text(where / RECORD, json.dumps({"schema": RECORD_SCHEMA, "pages": record},
                                                     ensure_ascii=False, sort_keys=True) + "\n")
    return written


def _read_record(where: Path) -> dict[str, str]:
    """The identities of the pages as last written; empty when missing or unreadable (all written)."""
    try:
        data = json.loads((where / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    pages = data.get("pages") if isinstance(data, dict) and data.get("schema") == RECORD_SCHEMA else None
    if not isinstance(pages, dict):
        return {}
    return {str(k): v for k, v in pages.items() if isinstance(v, str)}


__all__ = ["ARTICLES", "ArticlePage", "Pages", "article_report", "has_page", "pages_of_report", "write_pages"]
