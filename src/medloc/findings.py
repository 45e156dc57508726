"""Findings as stored data: a stable fingerprint each, and a JSON form that round-trips.

Why a fingerprint of the content rather than a PO line number: lines move whenever the article
changes elsewhere, while a finding is "the same" only as long as the check, the article, the locale,
the source text, the translation and the flagged text are. Change any of them (a translator edits
the segment) and the fingerprint changes: a waiver stops applying and the finding comes back, and
run comparison shows the old one fixed and the new one new.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from medloc.model import Finding, Severity

SEVERITY_ORDER: dict[Severity, int] = {
    Severity.CRITICAL: 0, Severity.MAJOR: 1, Severity.MINOR: 2, Severity.INFO: 3,
}


def span_text(finding: Finding) -> str:
    """The flagged text: the span of the target (or source), "" without a span."""
    if finding.span is None:
        return ""
    text = finding.target if finding.in_target else finding.source
    start, end = finding.span
    return text[max(0, start):max(0, end)]


def fingerprint(finding: Finding) -> str:
    """16 hex digits over check, article, locale, source, target, where and what is flagged."""
    parts = (finding.check, finding.article, finding.locale, finding.source, finding.target,
             "t" if finding.in_target else "s", span_text(finding))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def fingerprints(findings: Iterable[Finding]) -> list[tuple[str, Finding]]:
    """Fingerprint each finding; the 2nd, 3rd… identical one gets `-2`, `-3` (same text twice)."""
    seen: dict[str, int] = {}
    out: list[tuple[str, Finding]] = []
    for finding in findings:
        base = fingerprint(finding)
        seen[base] = seen.get(base, 0) + 1
        out.append((base if seen[base] == 1 else f"{base}-{seen[base]}", finding))
    return out


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "check": finding.check, "severity": finding.severity.value, "message": finding.message,
        "category": finding.category, "article": finding.article, "locale": finding.locale,
        "source": finding.source, "target": finding.target,
        "span": list(finding.span) if finding.span else None, "in_target": finding.in_target,
        "suggestion": finding.suggestion, "extra": dict(finding.extra),
    }


def finding_from_dict(data: dict[str, Any]) -> Finding:
    span = data.get("span")
    return Finding(
        check=str(data["check"]), severity=Severity(data["severity"]), message=str(data["message"]),
        category=str(data.get("category") or ""), article=str(data.get("article") or ""),
        locale=str(data.get("locale") or ""), source=str(data.get("source") or ""),
        target=str(data.get("target") or ""),
        span=(int(span[0]), int(span[1])) if span else None, in_target=bool(data.get("in_target", True)),
        suggestion=data.get("suggestion"),
        extra={str(k): str(v) for k, v in (data.get("extra") or {}).items()},
    )


def at_least(severity: Severity, threshold: Severity) -> bool:
    """True when `severity` is as bad as `threshold` or worse."""
    return SEVERITY_ORDER[severity] <= SEVERITY_ORDER[threshold]


def parse_severity(value: str, *, origin: str = "settings") -> Severity:
    """A severity name from settings or the command line; anything else is an error naming it."""
    from medloc.model import MedlocError

    try:
        return Severity(value.strip().lower())
    except ValueError:
        names = ", ".join(s.value for s in Severity)
        raise MedlocError(f"unknown severity {value!r} (use one of: {names})", path=origin) from None
