"""An untranslated or fuzzy entry is judged by the completion gate, not counted again as an MQM error."""

from medloc.model import Finding, Severity
from medloc.scoring import Gate, penalty, score_locale


def _finding(check: str, severity: Severity) -> Finding:
    return Finding(check=check, severity=severity, message="m", article="a", locale="es")


def test_completion_findings_carry_no_mqm_penalty() -> None:
    findings = [_finding("untranslated", Severity.MAJOR), _finding("fuzzy", Severity.MAJOR),
                _finding("numbers", Severity.CRITICAL), _finding("spelling", Severity.MINOR)]
    assert penalty(findings) == 25 + 1


def test_an_untranslated_entry_alone_blocks_by_completion_only() -> None:
    score = score_locale("a", "es", None, [_finding("untranslated", Severity.MAJOR)], Gate())
    assert score.penalty == 0
