"""QA runs: one article (the pipeline's QA stage), the whole project, or lone PO files.

Why three entry points over one runner: the pipeline checks each article right after its catalogs
are written and stores the findings in `out/qa/<slug>.json` (an output, so the incremental state
notices when it is deleted); the flow then runs the project-wide checks once, reuses the stored
per-article findings, and writes the reports. `medloc check` does the same in one go, and checks
PO files a translator hands in without any project around them (the msgid is the source).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medloc.catalog import TEMPLATES, read_catalog
from medloc.checks.base import CheckContext, Unit
from medloc.checks.consistency import NORMAL_FORMS
from medloc.checks.engine import (
    AnyCheck,
    Runner,
    build_context,
    read_locale_units,
    selected_checks,
    units_from_article,
    units_from_po,
    units_from_template,
)
from medloc.checks.status import STATUS_OPTION, EngineStatus, State, status_from_dict, status_to_dict
from medloc.config import Settings
from medloc.findings import finding_from_dict, finding_to_dict, parse_severity
from medloc.fsutil import atomic_write_chunks, atomic_write_text
from medloc.history import ArticleRows, Previous, rows_by_article
from medloc.model import Article, Finding, MedlocError, Severity
from medloc.projectunits import ProjectUnits, load_project_units
from medloc.report.model import LocaleInput, Report, build_report, engine_findings
from medloc.report.render import DECISIONS_FILE, DECISIONS_SCHEMA
from medloc.scoring import Gate
from medloc.stats import Counts, count_entries, words
from medloc.waivers import load_waivers, waivers_path

if TYPE_CHECKING:
    from medloc.report.pages import Pages

ARTICLE_SCHEMA = "medloc.article-qa/1"
History = Mapping[str, Previous] | None  # the last run's findings by fingerprint; None: first run
LOAD = "load"  # "read the history file" where a caller has not read it already
_CONTEXTS: dict[str, Runner] = {}


@dataclass
class ArticleQA:
    """One article's per-unit findings, its locales' progress, and its engines' statuses."""

    article: str
    words: int
    locales: list[LocaleInput] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    engines: list[EngineStatus] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": ARTICLE_SCHEMA, "article": self.article, "words": self.words,
            "locales": [{"locale": li.locale, "path": li.path, "error": li.error,
                         "counts": li.counts.to_dict() if li.counts else None} for li in self.locales],
            "findings": [finding_to_dict(f) for f in self.findings],
            "engines": [status_to_dict(s) for s in self.engines],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleQA:
        if data.get("schema") != ARTICLE_SCHEMA:
            raise ValueError("not an article QA record")
        fields = ("translated", "translated_words", "fuzzy", "fuzzy_words", "untranslated",
                  "untranslated_words", "obsolete")
        locales = [
            LocaleInput(data["article"], li["locale"], li["path"],
                        Counts(**{k: li["counts"][k] for k in fields}) if li["counts"] else None, li["error"])
            for li in data["locales"]
        ]
        return cls(data["article"], int(data["words"]), locales,
                   [finding_from_dict(f) for f in data["findings"]],
                   [status_from_dict(s) for s in data["engines"]])


def runner_for(settings: Settings, checks: Sequence[AnyCheck] | None = None) -> Runner:
    """A runner with the project's checks and context; reused within a process for one settings."""
    if checks is not None:
        return Runner(checks, build_context(settings))
    key = repr(settings) + str(settings.root)
    if key not in _CONTEXTS:
        _CONTEXTS.clear()
        _CONTEXTS[key] = Runner(selected_checks(settings), build_context(settings))
    return _CONTEXTS[key]


def forget_runners() -> None:
    """Drop the runners kept by `runner_for` and the engines and glossary they hold."""
    _CONTEXTS.clear()


def _template(settings: Settings, slug: str) -> Any:
    path = settings.path(settings.project.locales_dir) / TEMPLATES / f"{slug}.pot"
    return read_catalog(path) if path.is_file() else None


def check_article(slug: str, settings: Settings, runner: Runner, *, article: Article | None = None,
                  locales: Sequence[str] | None = None) -> tuple[ArticleQA, list[Unit]]:
    """Per-unit checks of one article (source and every locale); also returns its translation units
    for the project-wide checks."""
    mark = runner.mark()
    template = _template(settings, slug)
    src = settings.project.source_locale
    if article is not None:
        source_units = units_from_article(article, src)
    else:
        source_units = units_from_template(template, article=slug, source_locale=src) if template else []
    qa = ArticleQA(slug, sum(words(u.source) for u in source_units))
    qa.findings.extend(runner.run(source_units, "source"))
    units: list[Unit] = []
    for locale in locales or settings.project.locales:
        lu = read_locale_units(settings, slug, locale, template)
        qa.locales.append(LocaleInput(slug, locale, lu.path, lu.counts, lu.error))
        qa.findings.extend(runner.run(lu.units))
        units.extend(lu.units)
    qa.engines = runner.engine_statuses(mark)
    return qa, units


def article_qa_path(settings: Settings, slug: str) -> Path:
    return settings.path(settings.project.output_dir) / "qa" / f"{slug}.json"


def qa_stage(article: Article, settings: Settings) -> str:
    """The pipeline's QA stage: check one article, store `out/qa/<slug>.json`, return its path."""
    base = runner_for(settings)  # checks and resources are shared; the status list is per article
    context = CheckContext(base.context.terminology, base.context.spellers,
                           {**base.context.options, STATUS_OPTION: []})
    qa, _ = check_article(article.slug, settings, Runner(base.checks, context), article=article)
    path = article_qa_path(settings, article.slug)
    atomic_write_text(path, json.dumps(qa.to_dict(), ensure_ascii=False) + "\n")  # C encoder: no indent
    return str(path.relative_to(settings.root)) if path.is_relative_to(settings.root) else str(path)


def stored_article_qa(settings: Settings, slug: str, locales: Sequence[str]) -> ArticleQA | None:
    """A stored article QA that can be reused: same locales, and every engine answered."""
    try:
        qa = ArticleQA.from_dict(json.loads(article_qa_path(settings, slug).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if [li.locale for li in qa.locales] != list(locales) or any(s.state in RETRY_STATES for s in qa.engines):
        return None  # a dead grammar server last time: try again now
    return qa


# Engine states worth checking again next run (an outage may be over). `not-configured` is not one of
# them: with no LanguageTool URL set, retrying cannot change the answer (a settings change re-runs
# the article anyway), and re-checking every such article made each unchanged run a full QA run.
RETRY_STATES = frozenset({State.UNAVAILABLE, State.PARTIAL})


def project_slugs(settings: Settings) -> list[str]:
    templates = settings.path(settings.project.locales_dir) / TEMPLATES
    return sorted(p.stem for p in templates.glob("*.pot")) if templates.is_dir() else []


def glossary_fixes(settings: Settings, slugs: Iterable[str]) -> list[dict[str, Any]]:
    folder = settings.path(settings.project.output_dir) / "glossary-fixes"
    fixes: list[dict[str, Any]] = []
    for slug in slugs:
        try:
            data = json.loads((folder / f"{slug}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        fixes.extend(f for f in data.get("fixes", []) if isinstance(f, dict))
    return fixes


def check_list(runner: Runner) -> list[dict[str, str]]:
    return [{"id": c.id, "name": getattr(c, "name", c.id), "severity": c.severity.value,
             "category": c.category.value, "scope": c.scope} for c in runner.checks]


def run_project_qa(settings: Settings, *, locales: Sequence[str] | None = None,
                   checks: Sequence[AnyCheck] | None = None, reuse: bool = False,
                   fail_on: str | None = None, previous: History | str = LOAD) -> Report:
    """Check every article of the project (per-unit and project-wide) and build the report.

    `previous`: the last run's findings to compare with (LOAD: read them from the history file; a
    caller that also records this run passes what it read, so the history is parsed once).

    `reuse` takes each article's findings from `out/qa/<slug>.json` when the pipeline stored them
    (the flow), re-checking only articles without a usable record.
    """
    chosen = list(locales or settings.project.locales)
    unknown = [loc for loc in chosen if loc not in settings.project.locales]
    if unknown:
        raise MedlocError(f"locale(s) {', '.join(unknown)} not in project.locales "
                          f"({', '.join(settings.project.locales)})", path=settings.origin)
    runner = runner_for(settings, checks)
    mark = runner.mark()
    slugs = project_slugs(settings)
    findings: list[Finding] = []
    inputs: list[LocaleInput] = []
    source_words: dict[str, int] = {}
    statuses: list[EngineStatus] = []
    checked: dict[str, list[Unit]] = {}  # re-checked articles: the units check_article read
    reused: list[str] = []  # articles whose stored QA is reused: units from the project-units cache
    for slug in slugs:
        qa = stored_article_qa(settings, slug, chosen) if reuse else None
        if qa is None:
            qa, checked[slug] = check_article(slug, settings, runner, locales=chosen)
        elif runner.has_project_checks:
            reused.append(slug)
        findings += qa.findings
        inputs += qa.locales
        source_words[slug] = qa.words
        statuses += qa.engines
    cached: dict[str, list[Unit]] = {}
    kept = load_project_units(settings, reused, chosen) if reused else ProjectUnits()
    for unit in kept.units:
        cached.setdefault(unit.article, []).append(unit)
    # In slug order, as the project checks always saw them (which translation comes "first" matters).
    all_units = [u for slug in slugs for u in (checked[slug] if slug in checked else cached.get(slug, []))]
    findings += runner.run_project(all_units, options={NORMAL_FORMS: kept.normal_forms})
    statuses = merge_statuses(statuses + runner.engine_statuses(mark))
    findings = [f for f in findings if f.check != "engine-unavailable"] + engine_findings(statuses, findings)
    return build_report(
        findings, inputs, scope="project", source_locale=settings.project.source_locale,
        gate=Gate.from_settings(settings), fail_on=parse_severity(fail_on or settings.qa.fail_on),
        engines=statuses, source_words=source_words, waivers=load_waivers(waivers_path(settings)),
        previous=_history(settings, previous),
        glossary_fixes=glossary_fixes(settings, slugs),
        checks=check_list(runner),
    )


def merge_statuses(statuses: list[EngineStatus]) -> list[EngineStatus]:
    from medloc.engines.status import merge

    return sorted(merge(statuses), key=lambda s: (s.kind, s.locale))


def _po_locale(po: Any, path: Path) -> str:
    return po.header_fields().get("Language", "").strip() or path.parent.name


def check_po_files(paths: Sequence[Path], settings: Settings, *, locale: str | None = None,
                   checks: Sequence[AnyCheck] | None = None, fail_on: str | None = None) -> Report:
    """Check PO files a translator hands in (no project needed): translation checks only, the
    msgid is the source; the article is the file name, the locale the header's (or `locale`)."""
    runner = runner_for(settings, checks)
    mark = runner.mark()
    findings: list[Finding] = []
    inputs: list[LocaleInput] = []
    all_units: list[Unit] = []
    for path in paths:
        po = read_catalog(path)
        loc = locale or _po_locale(po, path)
        units = units_from_po(po, article=path.stem, locale=loc, source_locale=settings.project.source_locale)
        findings += runner.run(units)
        inputs.append(LocaleInput(path.stem, loc, str(path), count_entries(po.entries)))
        all_units += units
    findings += runner.run_project(all_units)
    statuses = runner.engine_statuses(mark)
    findings = [f for f in findings if f.check != "engine-unavailable"] + engine_findings(statuses, findings)
    return build_report(
        findings, inputs, scope="files", source_locale=settings.project.source_locale,
        gate=Gate.from_settings(settings), fail_on=parse_severity(fail_on or settings.qa.fail_on),
        engines=statuses, waivers=load_waivers(waivers_path(settings)), previous=None,
        checks=check_list(runner),
    )


def record_run(report: Report, settings: Settings, previous: History | str = LOAD) -> None:
    """Store this run's findings for the next run's comparison (what was in scope is replaced).
    `previous`: the history as already read (LOAD: read it here)."""
    current = [(r.fingerprint, r.finding.check, r.finding.severity.value, r.finding.article,
                r.finding.locale, r.finding.message) for r in report.findings]
    record_history(settings, report.rows, rows_by_article(current), _history(settings, previous))


def record_history(settings: Settings, rows: Iterable[Any], current: Mapping[str, ArticleRows],
                   previous: History) -> None:
    """The history after a run whose report has these `rows` (article × locale pairs) and these
    findings (`current`, by article, as `Previous.row()`): the pairs it looked at are replaced, every
    other pair's findings are kept; only the articles whose findings changed are written
    (medloc.historystore)."""
    from medloc.historystore import record

    record(settings, ((s.article, s.locale) for s in rows), current, previous)


def _history(settings: Settings, previous: History | str) -> History:
    from medloc.historystore import load_history

    return load_history(settings) if isinstance(previous, str) else previous


def write_reports(report: Report, settings: Settings, folder: Path | None = None,
                  fragments: Callable[[str], Iterable[str]] | None = None,
                  pages: Pages | None = None) -> list[str]:
    """`out/reports/qa.json`, `qa.html` (an index) with `articles/<slug>.html`, `qa.md` and
    `qa.junit.xml`; returns the paths written (of the article pages, the folder).

    `fragments(fmt)`: the findings of a report assembled from parts (`medloc.projectreport`), streamed
    into the formats that list every finding, so the whole text is never in memory. `pages`: the
    HTML report's article pages and index (`medloc.report.pages`); without it, made from the report's
    findings (every page written)."""
    from medloc.report.html import html_chunks
    from medloc.report.pages import ARTICLES, pages_of_report, write_pages
    from medloc.report.parts import FORMATS
    from medloc.report.render import chunks

    out = folder or settings.path(settings.project.output_dir) / "reports"
    pages = pages if pages is not None else pages_of_report(report)
    write_pages(out, pages.articles)  # before the index that links to them
    written = [str(out / ARTICLES)]
    # The decisions last, so that file is never older than the reports it summarises.
    files = (("json", "qa.json"), ("html", "qa.html"), ("md", "qa.md"), ("junit", "qa.junit.xml"),
             ("decisions", DECISIONS_FILE))
    for fmt, name in files:
        if fmt == "html":
            text = html_chunks(report, pages.index_fragments, listed=pages.index_tally, index=True)
        else:
            text = chunks(report, fmt, fragments(fmt) if fragments is not None and fmt in FORMATS else None)
        atomic_write_chunks(out / name, text)
        written.append(str(out / name))
    return written


__all__ = ["DECISIONS_FILE", "DECISIONS_SCHEMA", "ArticleQA", "Severity", "check_article", "check_po_files",
           "qa_stage", "record_history", "record_run", "run_project_qa", "write_reports"]
