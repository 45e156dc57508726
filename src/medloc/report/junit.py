"""JUnit XML: CI systems show each article × locale as a suite and each finding as a test.

A blocked gate and every counted finding at `fail_on` or worse is a failure; waived findings are
skipped with the waiver's reason. Built with ElementTree (escaping done for us); characters XML 1.0
forbids are dropped, since a PO file may contain them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from medloc.findings import at_least
from medloc.report.model import Report

_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: object) -> str:
    return _BAD_XML.sub("\ufffd", str(text))


def render_junit(report: Report) -> str:
    root = ET.Element("testsuites", name="medloc-qa")
    suites: dict[tuple[str, str], ET.Element] = {}

    def suite(article: str, locale: str) -> ET.Element:
        key = (article, locale)
        if key not in suites:
            suites[key] = ET.SubElement(root, "testsuite", name=_x(f"{article or 'project'}/{locale}"))
        return suites[key]

    for s in report.rows:
        case = ET.SubElement(suite(s.article, s.locale), "testcase", classname=_x(f"{s.article}.{s.locale}"),
                             name="publish gate")
        if not s.publishable:
            failure = ET.SubElement(case, "failure", message=_x(" ".join(s.reasons)), type="blocked")
            failure.text = _x("\n".join(s.reasons))
    for r in report.findings:
        f = r.finding
        case = ET.SubElement(suite(f.article, f.locale), "testcase",
                             classname=_x(f"{f.article or 'project'}.{f.locale}.{f.check}"),
                             name=_x(f"{f.check} {r.fingerprint}"))
        if r.status == "waived":
            ET.SubElement(case, "skipped", message=_x(f"waived: {r.waiver.reason if r.waiver else ''}"))
        elif r.counted and at_least(f.severity, report.fail_on):
            failure = ET.SubElement(case, "failure", message=_x(f.message), type=f.severity.value)
            failure.text = _x(f"msgid: {f.source}\nmsgstr: {f.target}\nsuggestion: {f.suggestion or '-'}")
        else:
            out = ET.SubElement(case, "system-out")
            out.text = _x(f"{f.severity.value}: {f.message}")
    total = failures = skipped = 0
    for element in suites.values():
        cases = element.findall("testcase")
        fails = sum(1 for c in cases if c.find("failure") is not None)
        skips = sum(1 for c in cases if c.find("skipped") is not None)
        element.set("tests", str(len(cases)))
        element.set("failures", str(fails))
        element.set("skipped", str(skips))
        element.set("errors", "0")
        total, failures, skipped = total + len(cases), failures + fails, skipped + skips
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("skipped", str(skipped))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
