"""MQM-style score and the publish gate, per article × locale.

Why these rules: MQM weights (critical 25, major 5, minor 1, info 0) summed and normalised per
1,000 source words make articles of different length comparable; in medical content one critical
error (a changed dose, a dropped "not") is a patient-safety defect, so it blocks publishing whatever
the score. Completion counts only reviewed translations — a fuzzy entry is a machine guess waiting
for a human, so it never counts as done. Every "blocked" comes with the sentences that say why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from medloc.config import Settings
from medloc.model import MQM_PENALTY, Finding, Severity
from medloc.stats import Counts


@dataclass(frozen=True, slots=True)
class Gate:
    """What a locale of an article needs to be publishable (from `[qa]` in the settings)."""

    min_completion: float = 100.0
    max_penalty_per_1000_words: float = 25.0
    require_engines: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Gate:
        qa = settings.qa
        return cls(qa.min_completion, qa.max_penalty_per_1000_words, qa.require_engines)


@dataclass(slots=True)
class Score:
    """One article × locale: progress, penalty, score, decision and the reasons for it."""

    article: str
    locale: str
    path: str = ""
    entries: int = 0
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    words: int = 0
    completion: float = 0.0
    penalty: int = 0
    penalty_per_1000_words: float = 0.0
    score: float = 100.0
    severities: dict[str, int] = field(default_factory=dict)
    waived: int = 0
    publishable: bool = False
    reasons: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def decision(self) -> str:
        return "publish" if self.publishable else "blocked"

    def to_dict(self) -> dict[str, object]:
        return {
            "article": self.article, "locale": self.locale, "path": self.path,
            "entries": self.entries, "translated": self.translated, "fuzzy": self.fuzzy,
            "untranslated": self.untranslated, "words": self.words,
            "completion": round(self.completion, 1), "penalty": self.penalty,
            "penalty_per_1000_words": round(self.penalty_per_1000_words, 2), "score": round(self.score, 2),
            "findings": dict(self.severities), "waived": self.waived,
            "decision": self.decision, "publishable": self.publishable, "reasons": list(self.reasons),
            "error": self.error,
        }


# Completion is judged by the gate's completion rule; counting each untranslated or fuzzy entry as
# an MQM error too would punish one missing translation twice and make an unfinished article look
# like a bad one. MQM scores the text that is translated.
COMPLETION_CHECKS = frozenset({"untranslated", "fuzzy"})


def penalty(findings: Iterable[Finding]) -> int:
    """Sum of MQM penalties (critical 25, major 5, minor 1, info 0)."""
    return sum(MQM_PENALTY[f.severity] for f in findings if f.check not in COMPLETION_CHECKS)


def completion(counts: Counts) -> float:
    """Percent of source words with a reviewed translation (fuzzy is not done), unrounded so that
    99.96 % never passes a 100 % gate; by entries when the catalog has no words."""
    if counts.total_words:
        return 100.0 * counts.translated_words / counts.total_words
    return 100.0 * counts.translated / counts.total if counts.total else 100.0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def score_locale(
    article: str,
    locale: str,
    counts: Counts | None,
    findings: Iterable[Finding],
    gate: Gate,
    *,
    path: str = "",
    error: str | None = None,
    waived: int = 0,
    source_critical: int = 0,
    missing_engines: Iterable[str] = (),
) -> Score:
    """Score one article × locale from its counted (not waived) findings and decide the gate."""
    counted = list(findings)
    by_severity = Counter(f.severity for f in counted)
    s = Score(article, locale, path, waived=waived, error=error,
              severities={sev.value: by_severity.get(sev, 0) for sev in Severity})
    if counts is not None:
        s.entries, s.translated = counts.total, counts.translated
        s.fuzzy, s.untranslated = counts.fuzzy, counts.untranslated
        s.words, s.completion = counts.total_words, completion(counts)
    s.penalty = penalty(counted)
    s.penalty_per_1000_words = 1000.0 * s.penalty / s.words if s.words else float(s.penalty)
    s.score = max(0.0, 100.0 - s.penalty_per_1000_words / 10.0)
    reasons: list[str] = []
    if error == "no PO file yet":
        reasons.append("not translated yet: there is no PO file for this locale.")
    elif error:
        reasons.append(f"the PO file cannot be read ({error}).")
    elif s.completion < gate.min_completion:
        todo = []
        if s.fuzzy:
            todo.append(f"{s.fuzzy} fuzzy {'entry' if s.fuzzy == 1 else 'entries'} to review")
        if s.untranslated:
            todo.append(f"{s.untranslated} untranslated")
        reasons.append(
            f"{_number(s.completion)} % of the words are translated, the gate needs "
            f"{_number(gate.min_completion)} % ({', '.join(todo) or 'nothing left to translate'})."
        )
    critical = [f for f in counted if f.severity is Severity.CRITICAL]
    if critical:
        checks = ", ".join(sorted({f.check for f in critical}))
        reasons.append(f"{_plural(len(critical), 'critical finding')} ({checks}): any critical finding "
                       "blocks publishing.")
    if s.penalty_per_1000_words > gate.max_penalty_per_1000_words:
        reasons.append(f"MQM penalty {_number(s.penalty_per_1000_words)} per 1,000 words is over the "
                       f"limit of {_number(gate.max_penalty_per_1000_words)}.")
    if source_critical:
        reasons.append(f"the source has {_plural(source_critical, 'critical finding')}: fix the source "
                       "first, the translation carries it.")
    missing = sorted(set(missing_engines))
    if missing and gate.require_engines:
        reasons.append(f"{' and '.join(missing)} not checked, and the settings require it.")
    s.publishable = not reasons
    if s.publishable:
        reasons.append(
            f"{_number(s.completion)} % translated, no critical finding, penalty "
            f"{_number(s.penalty_per_1000_words)} per 1,000 words (limit "
            f"{_number(gate.max_penalty_per_1000_words)})."
        )
        if missing:
            reasons.append(f"note: {' and '.join(missing)} not checked.")
    s.reasons = reasons
    return s


def score_source(
    article: str, locale: str, words: int, findings: Iterable[Finding], *, waived: int = 0
) -> Score:
    """The source row of an article: penalty and score for editors; blocked only by a critical."""
    counted = list(findings)
    gate = Gate(min_completion=0.0, max_penalty_per_1000_words=float("inf"))
    done = Counts(translated=1, translated_words=words)
    s = score_locale(article, locale, done, counted, gate, waived=waived)
    s.entries = s.translated = 0
    if s.publishable:
        s.reasons = [f"source: no critical finding, penalty {_number(s.penalty_per_1000_words)} "
                     "per 1,000 words."]
    return s
