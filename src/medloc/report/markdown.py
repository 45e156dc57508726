"""The Markdown report: the run's decisions at a glance (also the Prefect artifact)."""

from __future__ import annotations

from medloc.report.model import SERIOUS_LIMIT, Report, ReportFinding

LIMIT = SERIOUS_LIMIT
# Rows a Prefect artifact lists (the run summary, the QA digest and its decisions table). Why a bound:
# the Prefect server keeps every run's artifacts, and listing a 1,000-article project in full stored
# ~3 MB in its database per run (70 MB a day on an hourly schedule) and cost each run ~0.4 s.
DIGEST_ROWS = 100


def cell(text: object) -> str:
    """A table cell: pipes escaped, one line, no raw HTML (a msgstr is never trusted)."""
    s = str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")
    return s.replace("<", "&lt;").replace(">", "&gt;").replace("`", "'")


def headline(report: Report, *, news_only: bool = False) -> str:
    """The report in one line. `news_only` (an article's page): new and fixed findings only when
    there are any, and no "first run" — a page that says nothing about the run it was written in
    need not be written again when the next run changes nothing in it."""
    c = report.counts()
    sev = c["findings"]
    parts = [f"{sev[s]} {s}" for s in ("critical", "major", "minor", "info") if sev[s]]
    found = ", ".join(parts) or "no findings"
    status = c["status"]
    change = "first run" if report.first_run else f"{status['new']} new, {c['fixed']} fixed since last run"
    if news_only:
        change = f"{status['new']} new, {c['fixed']} fixed since last run" \
            if status["new"] or c["fixed"] else ""
    waived = f"{status['waived']} waived" if status["waived"] else ""
    note = ", ".join(x for x in (change, waived) if x)
    return (f"**{c['publishable']} of {c['rows']} article × locale pairs publishable, "
            f"{c['blocked']} blocked.** Findings: {found}{f' ({note})' if note else ''}.")


def decision_table(report: Report, limit: int | None = None) -> list[str]:
    """The publish decisions as a Markdown table; with `limit`, its first `limit` rows and a line
    saying how many more the full report has."""
    lines = ["| article | locale | done | words | critical | major | minor | penalty / 1k words | score "
             "| decision | why |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    pairs = [s for s in report.rows if s.locale != report.source_locale]
    for s in pairs[:limit]:
        sev = s.severities
        decision = "✅ publish" if s.publishable else "⛔ blocked"
        lines.append(
            f"| {cell(s.article)} | {cell(s.locale)} | {s.completion:.1f} % | {s.words} | {sev['critical']} "
            f"| {sev['major']} | {sev['minor']} | {s.penalty_per_1000_words:.1f} | {s.score:.1f} "
            f"| {decision} | {cell(' '.join(s.reasons))} |"
        )
    return lines + _more(len(pairs), limit, "article × locale pair(s)")


def left_out(total: int, limit: int | None, what: str, where: str) -> str | None:
    """"… and N more WHAT: see WHERE" when `limit` cut a list of `total` entries, else None
    (the digests here and in medloc.summary say it alike)."""
    if limit is None or total <= limit:
        return None
    return f"… and {total - limit} more {what}: see {where}"


def _more(total: int, limit: int | None, what: str) -> list[str]:
    """After a shortened list, a paragraph of its own (a line right after a table would be a row)."""
    line = left_out(total, limit, what, "the full report (qa.md, qa.html)")
    return ["", line] if line else []


def finding_line(r: ReportFinding) -> str:
    f = r.finding
    where = f"{f.article}/{f.locale}" if f.article else f.locale
    line = f" line {f.extra['line']}" if f.extra.get("line") else ""
    target = f" — «{cell(f.target[:120])}»" if f.target else ""
    return (f"- **{f.severity.value}** `{cell(f.check)}` {cell(where)}{line}: {cell(f.message)}{target} "
            f"(`{r.fingerprint}`, {r.status})")


def render_markdown(report: Report, limit: int | None = None) -> str:
    """The report in Markdown (out/reports/qa.md). With `limit`, the lists that grow with the project
    (decisions, source rows, glossary fixes) stop after `limit` entries: the Prefect artifact, kept by
    the Prefect server for every run, is a digest that points to the files."""
    lines = ["# medloc QA report", "", headline(report), ""]
    for engine in report.engine_lines():
        if not engine["checked"]:
            lines.append(f"> ⚠ **{cell(engine['summary'])}**")
            for loc in engine["locales"]:
                if not loc["ok"]:
                    lines.append(f"> - {cell(loc['line'])}")
            lines.append("")
    lines += ["## Publish decisions", "", *decision_table(report, limit), ""]
    source = [s for s in report.rows if s.locale == report.source_locale and any(s.severities.values())]
    if source:
        lines += ["## Source (for editors)", ""]
        lines += [f"- {cell(s.article)}: {s.severities['critical']} critical, {s.severities['major']} major, "
                  f"{s.severities['minor']} minor — {cell(' '.join(s.reasons))}" for s in source[:limit]]
        lines += [*_more(len(source), limit, "source article(s)"), ""]
    tally = report.totals()
    if tally.serious_total:
        lines += [f"## Critical and major findings ({tally.serious_total})", ""]
        lines += tally.serious[:LIMIT]
        if tally.serious_total > LIMIT:
            lines.append(f"- … and {tally.serious_total - LIMIT} more: see qa.html")
        lines.append("")
    if report.glossary_fixes:
        lines += [f"## Glossary fixes made in the source ({len(report.glossary_fixes)})", ""]
        lines += [f"- {cell(x.get('article', ''))} line {x.get('line', '?')}: "
                  f"«{cell(x.get('before', ''))}» → «{cell(x.get('after', ''))}» "
                  f"({cell(x.get('concept', ''))})" for x in report.glossary_fixes[:limit]]
        lines += [*_more(len(report.glossary_fixes), limit, "glossary fix(es)"), ""]
    if report.fixed:
        lines += [f"## Fixed since last run ({len(report.fixed)})", ""]
        lines += [f"- {p.severity} `{cell(p.check)}` {cell(p.article)}/{cell(p.locale)}: {cell(p.message)}"
                  for p in report.fixed[:LIMIT]]
        lines.append("")
    if report.stale_waivers:
        lines += ["## Waivers that match nothing any more", ""]
        lines += [f"- `{w.fingerprint}`: {cell(w.reason)}" for w in report.stale_waivers]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
