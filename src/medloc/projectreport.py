"""The flow's project report, built from per-article parts: one changed article, one part rebuilt.

Why not `qa.run_project_qa` on every run: it parses every article's stored findings, scores them and
renders all of them again (on 1,000 articles: ~100,000 findings, ~17 s and ~1.5 GB for one edited
article). Here each article's share of the report is a part (`medloc.report.parts`) kept under a key
over everything it is made of; the project-level layer — engine statuses, project-wide checks, the
engines' own findings, waivers that match nothing — is recomputed each run, and it is small.

The report is the same as `run_project_qa(reuse=True)` would make, byte for byte (a test holds them
together), because a part is made by the same `build_report` over the article's findings alone:
fingerprints, statuses, scores and the sort order of findings and rows never depend on another
article, except through the inputs the key holds —

- the article's stored QA record (`out/qa/<slug>.json`, by content digest) or, for an article whose
  record could not be reused (a grammar server was down), the digest of its fresh check;
- the project-wide checks' findings about the article;
- which locales' engines answered in the whole run (a locale whose grammar was not checked blocks
  every article when `require_engines` is on), the waivers file, its glossary-fix log;
- the settings and medloc's code;

and, kept beside the key, its comparison with the last run: which of its findings are new and which
of its last findings are gone (`_comparison`), not the last run's findings themselves — after a
first run (the baseline: every finding open) the next run's history changes nothing in any part.

The last run's findings are read per article (`medloc.historystore.PastFindings`): an article whose
recorded findings have the digest its part's findings have compares as "nothing new, nothing
fixed" without reading them, so a one-edit run parses the edited article's history and the
project-level one, not 100,000 rows.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from medloc.checks.base import CheckContext, Unit
from medloc.checks.consistency import NORMAL_FORMS
from medloc.checks.engine import Runner, selected_checks
from medloc.checks.status import EngineStatus, State, status_from_dict
from medloc.config import Settings
from medloc.findings import finding_from_dict, finding_to_dict, parse_severity
from medloc.history import ArticleRows, Previous, rows_by_article
from medloc.historystore import PastFindings
from medloc.incremental import FileDigests, code_fingerprint
from medloc.model import Finding, Severity
from medloc.projectunits import load_project_units
from medloc.qa import RETRY_STATES
from medloc.report.html import has_page
from medloc.report.model import ENGINE_CHECK, Report, Tally, build_report, engine_findings
from medloc.report.pages import ArticlePage, Pages, article_chunks, article_report
from medloc.report.parts import FILENAME, ArticlePart, PartStore
from medloc.scoring import Gate
from medloc.waivers import load_waivers, waivers_path

SAVE_EVERY = 50  # parts written to the store in batches, so a cold run never holds all fragments


@dataclass
class ProjectReport:
    """The assembled report, the history to record, and the store its findings are streamed from."""

    report: Report
    histories: dict[str, ArticleRows]  # this run's findings as `Previous.row()`, by article
    store: PartStore
    slugs: list[str]
    rebuilt: list[str] = field(default_factory=list)  # the articles whose part was (re)built this run
    global_fragments: dict[str, str] = field(default_factory=dict)
    parts: list[ArticlePart] = field(default_factory=list)  # in report order, without their fragments
    global_tally: Tally = field(default_factory=Tally)  # of the findings in `global_fragments`

    def fragments(self, fmt: str) -> Iterable[str]:
        """The findings of `fmt`, article by article and then the project's own, in report order."""
        yield from self.store.fragments(fmt, self.slugs)
        yield self.global_fragments[fmt]

    def pages(self) -> Pages:
        """The HTML report's article pages, each known by what it is rendered from: the part's key
        and comparison, and what the page shows of the run (the engines' summaries). Its time stamp
        is not in it: an unchanged article's page keeps the time it was written."""
        run = _digest([line["summary"] for line in self.report.engine_lines()])

        def page(part: ArticlePart) -> ArticlePage:
            def chunks() -> Iterable[str]:
                narrowed = article_report(self.report, part.rows, part.tally, part.fixed, part.glossary_fixes)
                return article_chunks(narrowed, part.slug, self.store.fragments("html", [part.slug]))
            return ArticlePage(part.slug, _digest(part.key, part.comparison, run), chunks)

        paged = [part for part in self.parts if has_page(part.slug)]
        unpaged = [part for part in self.parts if not has_page(part.slug)]  # listed on the index
        listed = Tally()
        for part in unpaged:
            listed.add(part.tally)
        listed.add(self.global_tally)
        index = [*self.store.fragments("html", [p.slug for p in unpaged]), self.global_fragments["html"]]
        return Pages([page(part) for part in paged], index, listed, {part.slug for part in paged})


def build_project_report(settings: Settings, previous: Mapping[str, Previous] | None,
                         files: FileDigests) -> ProjectReport:
    """The project report of the stored per-article findings (see the module docstring)."""
    from medloc import qa

    chosen = list(settings.project.locales)
    source_locale = settings.project.source_locale
    checking = _Checking(settings)
    slugs = qa.project_slugs(settings)
    store = PartStore(settings.path(settings.project.state_dir) / FILENAME)
    known = store.known()

    # 1. Each article's record: from its stored part while out/qa/<slug>.json is unchanged.
    records: dict[str, dict[str, Any]] = {}
    loaded: dict[str, qa.ArticleQA] = {}
    rechecked: dict[str, list[Unit]] = {}
    for slug in slugs:
        digest = files.digest(qa.article_qa_path(settings, slug))
        part = known.get(slug)
        if part is not None and part.record.get("digest") == digest and _reusable(part.record, chosen):
            records[slug] = part.record
            continue
        article = qa.stored_article_qa(settings, slug, chosen)
        if article is None:
            article, units = qa.check_article(slug, settings, checking.runner(), locales=chosen)
            rechecked[slug] = units
            digest = "checked:" + _digest(json.dumps(article.to_dict(), ensure_ascii=False))
            loaded[slug] = article  # exists nowhere else; a stored one is read again when its part is built
        records[slug] = _record(article, digest)

    # 2. Project-wide checks, over the cached units of every article (fresh ones where re-checked).
    project_found: dict[str, list[Finding]] = {}
    project_checks = checking.project_runner()
    if project_checks.has_project_checks:
        by_article: dict[str, list[Unit]] = {}
        cached = load_project_units(settings, [s for s in slugs if s not in rechecked], chosen, files)
        for unit in cached.units:
            by_article.setdefault(unit.article, []).append(unit)
        units = [u for slug in slugs for u in rechecked.get(slug, by_article.get(slug, []))]
        for finding in project_checks.run_project(units, options={NORMAL_FORMS: cached.normal_forms}):
            project_found.setdefault(finding.article, []).append(finding)

    # 3. The run's engines, and what the whole project shares.
    statuses = qa.merge_statuses([status_from_dict(s) for slug in slugs for s in records[slug]["statuses"]]
                         + checking.statuses())
    waivers = load_waivers(waivers_path(settings))
    gate, fail_on = Gate.from_settings(settings), parse_severity(settings.qa.fail_on)
    shared = _digest(code_fingerprint(), repr(settings), str(settings.root),
                     # what a part's scores read of the engines: which locale was fully checked
                     [(s.kind, s.locale, s.ok) for s in statuses], files.digest(waivers_path(settings)))
    past = PastFindings.of_mapping(previous) if previous is not None else None
    fixes_dir = settings.path(settings.project.output_dir) / "glossary-fixes"
    common = {"scope": "project", "source_locale": source_locale, "gate": gate, "fail_on": fail_on,
              "engines": statuses, "waivers": waivers}

    # 4. Parts: reused while their findings and the comparison with the last run are the same,
    #    else rebuilt from the article's findings.
    parts: list[ArticlePart] = []
    fresh: list[ArticlePart] = []
    rebuilt: list[str] = []
    for slug in slugs:
        found = project_found.pop(slug, [])
        key = _digest(shared, records[slug]["digest"], files.digest(fixes_dir / f"{slug}.json"),
                      json.dumps([finding_to_dict(f) for f in found], ensure_ascii=False))
        part = known.get(slug)
        if part is None or part.key != key or part.comparison != _comparison(part, past):
            article = loaded.get(slug) or qa.stored_article_qa(settings, slug, chosen)
            if article is None:  # the record went away since step 1: check the article now
                article, _ = qa.check_article(slug, settings, checking.runner(), locales=chosen)
            findings = [f for f in article.findings if f.check != ENGINE_CHECK and f.article == slug]
            report = build_report(
                findings + found, article.locales, source_words={slug: article.words},
                previous=past.of(slug) if past is not None else None,
                glossary_fixes=qa.glossary_fixes(settings, [slug]), **common)
            part = ArticlePart.of(report, slug, key, records[slug])
            part.comparison = _comparison(part, past)
            fresh.append(part)
            rebuilt.append(slug)
            if len(fresh) >= SAVE_EVERY:
                store.save(fresh)
                fresh = []
        parts.append(dataclasses.replace(part, fragments={}))  # stored: streamed from there when written
    store.save(fresh)
    store.retain(slugs)

    # 5. The project's own findings (the engines', project checks' without an article), then the sum.
    notes = [Finding(check=ENGINE_CHECK, severity=Severity.INFO, message=message, locale=locale)
             for slug in slugs for locale, message in records[slug]["notes"]]
    strays = [finding_from_dict(f) for slug in slugs for f in records[slug]["strays"]]
    leftovers = strays + [f for found in project_found.values() for f in found]
    pairs = [(s.article, s.locale) for part in parts for s in part.rows]
    ours = set(slugs)
    rest = None if past is None else {  # the project's own findings, and those of articles gone
        fp: p for article in past.articles() if article not in ours for fp, p in past.of(article).items()}
    project = build_report(leftovers + engine_findings(statuses, notes), [], previous=rest, in_scope=pairs,
                           **common)
    whole = ArticlePart.of(project, "", "", {})
    tally = Tally()
    for part in [*parts, whole]:
        tally.add(part.tally)
    report = Report(
        scope="project", source_locale=source_locale, gate=gate, fail_on=fail_on, findings=[],
        rows=[s for part in parts for s in part.rows], engines=statuses,
        locales=sorted({loc for part in parts for loc in part.locales}),
        fixed=whole.fixed + [p for part in parts for p in part.fixed], first_run=previous is None,
        glossary_fixes=[x for part in parts for x in part.glossary_fixes],
        stale_waivers=[w for fp, w in sorted(waivers.items()) if fp not in tally.matched_waivers],
        checks=qa.check_list(project_checks), tally=tally,
    )
    histories = {part.slug: ArticleRows(part.history, part.history_digest) for part in parts}
    for article, entry in rows_by_article(whole.history).items():  # project-level (article ""), strays
        mine = histories.get(article)
        histories[article] = ArticleRows.of([*mine.rows, *entry.rows]) if mine is not None else entry
    return ProjectReport(report, histories, store, slugs, rebuilt, whole.fragments, parts, whole.tally)


class _Checking:
    """The checks of this run, with their resources (glossary, spellers, grammar engines) made only
    when an article has to be checked again: the project-wide checks compare units with each other
    and need none of them, and making them costs ~0.7 s a run."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._runner: Runner | None = None
        self._mark = 0

    def runner(self) -> Runner:
        from medloc.qa import runner_for

        if self._runner is None:
            self._runner = runner_for(self.settings)
            self._mark = self._runner.mark()
        return self._runner

    def project_runner(self) -> Runner:
        if self._runner is not None:
            return self._runner
        return Runner(selected_checks(self.settings), CheckContext(options={"settings": self.settings}))

    def statuses(self) -> list[EngineStatus]:
        """What the engines said while articles were checked again in this run."""
        return self._runner.engine_statuses(self._mark) if self._runner is not None else []


def _comparison(part: ArticlePart, past: PastFindings | None) -> str:
    """What the part's statuses and "fixed" list read of the last run: which of its findings are new
    and which of the article's last findings are gone (only those of the pairs it has rows for).

    Why not the last run's findings themselves in the key: after a first run (every finding open,
    the baseline) the next run's history holds exactly those findings, which changes nothing in the
    article's part; keyed on the history, every part would be rebuilt once for nothing.

    The article's last findings are read only when their digest differs from the part's findings':
    equal digests are equal findings, so nothing is new and nothing fixed (on a first run too)."""
    if past is None or past.digest(part.slug) == part.history_digest:
        return _digest("", "")  # what the lines below make of no new and no fixed finding
    mine = past.of(part.slug)
    try:
        current = {row[0] for row in part.history}  # a stored part's: read from the store now
    except LookupError:
        return ""  # unreadable since the part was read: never a stored comparison, so it is rebuilt
    pairs = {(s.article, s.locale) for s in part.rows}
    new = sorted(current - mine.keys())
    fixed = ["\x1f".join(p.row()) for fp, p in mine.items()
             if fp not in current and (p.article, p.locale) in pairs]
    return _digest("\x1e".join(new), "\x1e".join(fixed))


def _reusable(record: Mapping[str, Any], chosen: Sequence[str]) -> bool:
    """As `qa.stored_article_qa`: the same locales, and no engine whose outage is worth retrying; and
    made by this code (a record's fields are this code's: another version's is not trusted)."""
    return (record.get("code") == code_fingerprint() and record.get("locales") is not None
            and [li["locale"] for li in record["locales"]] == list(chosen)
            and not any(State(s.get("state")) in RETRY_STATES for s in record["statuses"]))


def _record(article: Any, digest: str) -> dict[str, Any]:
    """What the run needs of an article before any part is built (kept in its part)."""
    data = article.to_dict()
    return {"digest": digest, "code": code_fingerprint(), "words": article.words, "locales": data["locales"],
            "statuses": data["engines"],
            "notes": [[f.locale, f.message] for f in article.findings if f.check == ENGINE_CHECK],
            # findings about another article (none are made today): reported with the project's own
            "strays": [finding_to_dict(f) for f in article.findings
                       if f.check != ENGINE_CHECK and f.article != article.article]}


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1d".join(map(str, parts)).encode("utf-8")).hexdigest()


__all__ = ["ProjectReport", "build_project_report"]
