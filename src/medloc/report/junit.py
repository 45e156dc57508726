"""JUnit XML: CI systems show each article × locale as a suite and each finding as a test.

A blocked gate and every counted finding at `fail_on` or worse is a failure; waived findings are
skipped with the waiver's reason. Built with ElementTree (escaping done for us); characters XML 1.0
forbids are dropped, since a PO file may contain them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator

from medloc.findings import at_least
from medloc.model import Severity
from medloc.report.model import Report, ReportFinding
from medloc.scoring import Score

_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: object) -> str:
    return _BAD_XML.sub("\ufffd", str(text))


def render_junit(report: Report) -> str:
    return "".join(junit_chunks(report))


def junit_chunks(report: Report, fragments: Iterable[str] | None = None) -> Iterator[str]:
    """The document in pieces: `fragments` are `suites_fragment` per article in report order (made
    from the report's rows and findings without them). The totals come from the tally, so the root
    element can be written before the suites."""
    tally = report.totals()
    tests = len(report.rows) + tally.total
    failures = sum(not s.publishable for s in report.rows) + tally.failing
    yield (f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="medloc-qa" tests="{tests}" '
           f'failures="{failures}" skipped="{tally.status["waived"]}" errors="0">')
    if fragments is None:
        rows: dict[str, list[Score]] = {}
        found: dict[str, list[ReportFinding]] = {}
        for s in report.rows:
            rows.setdefault(s.article, []).append(s)
        for r in report.findings:
            found.setdefault(r.finding.article, []).append(r)
        fragments = (suites_fragment(rows.get(a, []), found.get(a, []), report.fail_on)
                     for a in dict.fromkeys([*rows, *found]))
    yield from fragments
    yield "\n</testsuites>\n"


def suites_fragment(rows: Iterable[Score], findings: Iterable[ReportFinding], fail_on: Severity) -> str:
    """One article's suites, one per locale: the publish gate of each row, then each finding."""
    suites: dict[tuple[str, str], ET.Element] = {}

    def suite(article: str, locale: str) -> ET.Element:
        key = (article, locale)
        if key not in suites:
            suites[key] = ET.Element("testsuite", name=_x(f"{article or 'project'}/{locale}"))
        return suites[key]

    for s in rows:
        case = ET.SubElement(suite(s.article, s.locale), "testcase", classname=_x(f"{s.article}.{s.locale}"),
                             name="publish gate")
        if not s.publishable:
            failure = ET.SubElement(case, "failure", message=_x(" ".join(s.reasons)), type="blocked")
            failure.text = _x("\n".join(s.reasons))
    for r in findings:
        f = r.finding
        case = ET.SubElement(suite(f.article, f.locale), "testcase",
                             classname=_x(f"{f.article or 'project'}.{f.locale}.{f.check}"),
                             name=_x(f"{f.check} {r.fingerprint}"))
        if r.status == "waived":
            ET.SubElement(case, "skipped", message=_x(f"waived: {r.waiver.reason if r.waiver else ''}"))
        elif r.counted and at_least(f.severity, fail_on):
            failure = ET.SubElement(case, "failure", message=_x(f.message), type=f.severity.value)
            failure.text = _x(f"msgid: {f.source}\nmsgstr: {f.target}\nsuggestion: {f.suggestion or '-'}")
        else:
            out = ET.SubElement(case, "system-out")
            out.text = _x(f"{f.severity.value}: {f.message}")
    pieces = []
    for element in suites.values():
        cases = element.findall("testcase")
        element.set("tests", str(len(cases)))
        element.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
        element.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))
        element.set("errors", "0")
        ET.indent(element, level=1)
        pieces.append("\n  " + ET.tostring(element, encoding="unicode"))
    return "".join(pieces)
