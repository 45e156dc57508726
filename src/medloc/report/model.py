"""The QA report as data: findings with fingerprint and status, scores, engines, fixes.

Why one model for every format: the JSON (schema `medloc.qa-report/1`) is the contract; HTML,
Markdown and JUnit are views of the same `Report`, so they can never disagree about a decision.
`build_report` is where waivers, run comparison and the gate meet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from medloc.checks.status import ENGINE_KINDS, EngineStatus, status_to_dict
from medloc.findings import SEVERITY_ORDER, at_least, finding_to_dict, fingerprints, span_text
from medloc.history import Previous, compare
from medloc.model import Finding, Severity
from medloc.scoring import Gate, Score, score_locale, score_source
from medloc.stats import Counts
from medloc.waivers import Waiver

SCHEMA = "medloc.qa-report/1"
ENGINE_CHECK = "engine-unavailable"


@dataclass(slots=True)
class ReportFinding:
    fingerprint: str
    status: str  # new | open | waived
    finding: Finding
    waiver: Waiver | None = None

    @property
    def counted(self) -> bool:
        """Counts in the gate and the exit code: not waived, not an engine note."""
        return self.status != "waived" and self.finding.check != ENGINE_CHECK

    def to_dict(self) -> dict[str, Any]:
        f = self.finding
        data = finding_to_dict(f)
        return {
            "fingerprint": self.fingerprint, "status": self.status, "check": f.check,
            "severity": f.severity.value, "category": f.category, "message": f.message,
            "article": f.article, "locale": f.locale, "msgid": f.source, "msgstr": f.target,
            "span": {"start": f.span[0], "end": f.span[1], "in": "target" if f.in_target else "source",
                     "text": span_text(f)} if f.span else None,
            "suggestion": f.suggestion, "line": int(f.extra.get("line", 0) or 0),
            "reference": f.extra.get("reference", ""), "msgctxt": f.extra.get("msgctxt"),
            "extra": data["extra"], "waiver": self.waiver.to_dict() if self.waiver else None,
        }


@dataclass(slots=True)
class LocaleInput:
    """What the report needs of one article × locale besides its findings."""

    article: str
    locale: str
    path: str
    counts: Counts | None
    error: str | None = None


SERIOUS = ("critical", "major")  # listed in the Markdown report (the first `SERIOUS_LIMIT` of them)
SERIOUS_LIMIT = 50


@dataclass(slots=True)
class Tally:
    """What the report-level views need of the findings, without the findings themselves.

    Why: the headline, the filters, the summary counts and the Markdown's list of serious findings
    are sums over all findings; a project report assembled from per-article parts (see
    `medloc.report.parts`) adds up the parts' tallies instead of holding 100,000 findings.
    """

    total: int = 0
    counted: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in Severity})
    status: dict[str, int] = field(default_factory=lambda: {"new": 0, "open": 0, "waived": 0})
    every: dict[str, int] = field(default_factory=dict)  # per severity, counted or not (filter labels)
    failing: int = 0  # counted at the report's fail-on or worse
    checks: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)
    locales: set[str] = field(default_factory=set)
    serious: list[str] = field(default_factory=list)  # Markdown lines of the first SERIOUS_LIMIT, in order
    serious_total: int = 0
    matched_waivers: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, findings: Iterable[ReportFinding], fail_on: Severity) -> Tally:
        from medloc.report.markdown import finding_line  # the one view that lists findings by tally

        tally = cls()
        for r in findings:
            f = r.finding
            sev = f.severity.value
            tally.total += 1
            tally.status[r.status] += 1
            tally.every[sev] = tally.every.get(sev, 0) + 1
            tally.checks.add(f.check)
            tally.articles.add(f.article)
            tally.locales.add(f.locale)
            if r.waiver is not None:
                tally.matched_waivers.add(r.fingerprint)
            if not r.counted:
                continue
            tally.counted[sev] += 1
            if at_least(f.severity, fail_on):
                tally.failing += 1
            if sev in SERIOUS:
                tally.serious_total += 1
                if len(tally.serious) < SERIOUS_LIMIT:
                    tally.serious.append(finding_line(r))
        return tally

    def add(self, other: Tally) -> None:
        """Fold in the tally of the findings that follow this one's in report order."""
        self.total += other.total
        for mine, theirs in ((self.counted, other.counted), (self.status, other.status),
                             (self.every, other.every)):
            for key, value in theirs.items():
                mine[key] = mine.get(key, 0) + value
        self.failing += other.failing
        self.checks |= other.checks
        self.articles |= other.articles
        self.locales |= other.locales
        self.serious += other.serious[:max(0, SERIOUS_LIMIT - len(self.serious))]
        self.serious_total += other.serious_total
        self.matched_waivers |= other.matched_waivers

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "counted": self.counted, "status": self.status, "every": self.every,
                "failing": self.failing, "checks": sorted(self.checks), "articles": sorted(self.articles),
                "locales": sorted(self.locales), "serious": self.serious, "serious_total": self.serious_total,
                "matched_waivers": sorted(self.matched_waivers)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tally:
        return cls(int(data["total"]), dict(data["counted"]), dict(data["status"]), dict(data["every"]),
                   int(data["failing"]), set(data["checks"]), set(data["articles"]), set(data["locales"]),
                   [str(x) for x in data["serious"]], int(data["serious_total"]),
                   set(data["matched_waivers"]))


@dataclass(slots=True)
class Report:
    scope: str  # "project" or "files"
    source_locale: str
    gate: Gate
    fail_on: Severity
    findings: list[ReportFinding]
    rows: list[Score]
    engines: list[EngineStatus]
    locales: list[str]
    fixed: list[Previous] = field(default_factory=list)
    first_run: bool = True
    glossary_fixes: list[dict[str, Any]] = field(default_factory=list)
    stale_waivers: list[Waiver] = field(default_factory=list)
    checks: list[dict[str, str]] = field(default_factory=list)
    generated: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    tally: Tally | None = None  # set when the report was assembled from parts (findings then empty)

    def totals(self) -> Tally:
        """The findings' tally: the assembled one, or computed from `findings` (once)."""
        if self.tally is None:
            self.tally = Tally.of(self.findings, self.fail_on)
        return self.tally

    def failing(self, threshold: Severity | None = None) -> list[ReportFinding]:
        """Counted findings at `threshold` (default: the report's fail-on) or worse."""
        limit = threshold or self.fail_on
        return [r for r in self.findings if r.counted and at_least(r.finding.severity, limit)]

    def engine_lines(self) -> list[dict[str, Any]]:
        """Per kind: checked everywhere or not, and one line per locale saying why not."""
        out: list[dict[str, Any]] = []
        for kind in ENGINE_KINDS:
            statuses = [s for s in self.engines if s.kind == kind]
            if not statuses:
                out.append({"kind": kind, "checked": False, "summary": f"{kind}: not checked (no {kind} "
                            "check enabled or no engine reported)", "locales": []})
                continue
            ok = all(s.ok for s in statuses)
            bad = [s for s in statuses if not s.ok]
            where = ", ".join(s.locale for s in bad)
            summary = f"{kind}: checked" if ok else f"{kind}: not checked for {where}"
            out.append({"kind": kind, "checked": ok, "summary": summary,
                        "locales": [status_to_dict(s) for s in statuses]})
        return out

    def counts(self) -> dict[str, Any]:
        tally = self.totals()
        by_sev, by_status = dict(tally.counted), dict(tally.status)
        rows = [s for s in self.rows if s.locale != self.source_locale]
        return {"findings": by_sev, "status": by_status, "fixed": len(self.fixed),
                "publishable": sum(s.publishable for s in rows),
                "blocked": sum(not s.publishable for s in rows), "rows": len(rows)}

    def to_dict(self, *, with_findings: bool = True) -> dict[str, Any]:
        """The JSON report; `with_findings=False` leaves the findings out (`render.json_chunks` writes
        them from per-article parts between "articles" and "fixed")."""
        out: dict[str, Any] = {
            "schema": SCHEMA, "generated": self.generated, "scope": self.scope,
            "source_locale": self.source_locale, "locales": self.locales,
            "gate": {"min_completion": self.gate.min_completion,
                     "max_penalty_per_1000_words": self.gate.max_penalty_per_1000_words,
                     "require_engines": self.gate.require_engines, "fail_on": self.fail_on.value},
            "summary": {**self.counts(), "first_run": self.first_run,
                        "failing": self.totals().failing},
            "engines": self.engine_lines(),
            "articles": [s.to_dict() for s in self.rows],
        }
        if with_findings:
            out["findings"] = [r.to_dict() for r in self.findings]
        out |= {
            "fixed": [p.to_dict() for p in self.fixed],
            "glossary_fixes": self.glossary_fixes,
            "stale_waivers": [{"fingerprint": w.fingerprint, **w.to_dict()} for w in self.stale_waivers],
            "checks": self.checks,
        }
        return out


def _order(r: ReportFinding) -> tuple[object, ...]:
    f = r.finding
    line = int(f.extra.get("line", 0) or 0)
    return (not f.article, f.article, f.locale, SEVERITY_ORDER[f.severity], line, f.check)


def build_report(
    findings: Sequence[Finding],
    locales: Sequence[LocaleInput],
    *,
    scope: str,
    source_locale: str,
    gate: Gate,
    fail_on: Severity,
    engines: Sequence[EngineStatus] = (),
    source_words: Mapping[str, int] | None = None,
    waivers: Mapping[str, Waiver] | None = None,
    previous: Mapping[str, Previous] | None = None,
    glossary_fixes: Iterable[dict[str, Any]] = (),
    checks: Iterable[dict[str, str]] = (),
    in_scope: Iterable[tuple[str, str]] | None = None,
) -> Report:
    """Fingerprint, apply waivers, compare with the previous run, score and gate every row.

    `in_scope`: the (article, locale) pairs the run looked at, when more than `locales` (the report
    of the project-level findings alone still looked at every article × locale)."""
    waivers = waivers or {}
    pairs = [(li.article, li.locale) for li in locales]
    pairs += [(slug, source_locale) for slug in (source_words or {})]
    if in_scope is not None:
        pairs = list(in_scope)
    marked = fingerprints(findings)
    new, fixed = compare((fp for fp, _ in marked), dict(previous) if previous is not None else None, pairs)
    rows_findings: list[ReportFinding] = []
    for fp, finding in marked:
        waiver = waivers.get(fp)
        status = "waived" if waiver else ("new" if fp in new else "open")
        rows_findings.append(ReportFinding(fp, status, finding, waiver))
    rows_findings.sort(key=_order)
    grouped: dict[tuple[str, str], list[ReportFinding]] = {}
    for r in rows_findings:
        grouped.setdefault((r.finding.article, r.finding.locale), []).append(r)
    scores: list[Score] = []
    source_critical: dict[str, int] = {}
    for slug, words in sorted((source_words or {}).items()):
        mine = grouped.get((slug, source_locale), [])
        counted = [r.finding for r in mine if r.counted]
        source_critical[slug] = sum(f.severity is Severity.CRITICAL for f in counted)
        scores.append(score_source(slug, source_locale, words, counted,
                                   waived=sum(r.status == "waived" for r in mine)))
    for li in locales:
        mine = grouped.get((li.article, li.locale), [])
        missing = [s.kind for s in engines if s.locale == li.locale and not s.ok]
        scores.append(score_locale(
            li.article, li.locale, li.counts, [r.finding for r in mine if r.counted], gate,
            path=li.path, error=li.error, waived=sum(r.status == "waived" for r in mine),
            source_critical=source_critical.get(li.article, 0), missing_engines=missing,
        ))
    scores.sort(key=lambda s: (s.article, s.locale != source_locale, s.locale))
    used = {r.fingerprint for r in rows_findings}
    stale = [w for fp, w in sorted(waivers.items()) if fp not in used]
    return Report(
        scope=scope, source_locale=source_locale, gate=gate, fail_on=fail_on, findings=rows_findings,
        rows=scores, engines=list(engines), locales=sorted({li.locale for li in locales}),
        fixed=fixed, first_run=previous is None, glossary_fixes=list(glossary_fixes),
        stale_waivers=stale, checks=list(checks),
    )


def engine_findings(statuses: Iterable[EngineStatus], existing: Iterable[Finding] = ()) -> list[Finding]:
    """ONE `engine-unavailable` finding per locale whose grammar/spelling was not (fully) checked.

    Any such findings a check made itself are folded into it, so a locale never gets two.
    """
    by_locale: dict[str, list[str]] = {}
    for s in statuses:
        if not s.ok:
            by_locale.setdefault(s.locale, []).append(s.line())
    for f in existing:
        if f.check == ENGINE_CHECK and f.message not in by_locale.get(f.locale, []):
            by_locale.setdefault(f.locale, []).append(f.message)
    return [
        Finding(check=ENGINE_CHECK, severity=Severity.INFO, message="; ".join(lines), locale=locale,
                category="", extra={"engines": str(len(lines))})
        for locale, lines in sorted(by_locale.items())
    ]
