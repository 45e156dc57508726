"""Terminology QA on a translation: approved term missing, forbidden term used, do-not-translate altered.

Both sides are matched by word keys (lemma + stem), so "espasmos musculares" satisfies the approved
"espasmo muscular" and "Muskelzuckungen" satisfies "Muskelzucken". The QA issue's terminology check
calls `check_target` (or `term_findings` for ready-made Findings) per segment and locale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from medloc.glossary.hints import format_hint
from medloc.glossary.matcher import resolve
from medloc.glossary.terminology import Terminology
from medloc.model import Finding, Severity

IssueKind = Literal["missing", "forbidden", "dnt-altered"]
SEVERITY: dict[str, Severity] = {
    "forbidden": Severity.CRITICAL,
    # A translator may render a concept with a synonym or a derived form the glossary does not list;
    # that deserves a look, not a block: the safety defects are forbidden terms and altered DNT terms.
    "missing": Severity.MINOR,
    "dnt-altered": Severity.MAJOR,
}
CHECK_ID = "glossary"


@dataclass(frozen=True, slots=True)
class TermIssue:
    """A terminology problem in one translation; `span` is in the target (None: nowhere to point)."""

    kind: IssueKind
    concept: str
    message: str
    span: tuple[int, int] | None = None
    suggestion: str | None = None


def check_target(terms: Terminology, source: str, target: str, locale: str) -> list[TermIssue]:
    """Compare one translated segment with the glossary concepts found in its source."""
    if not target.strip():
        return []
    in_source = [m.ref.concept for m in terms.source.find(source)]
    all_target = terms.target(locale).find_all(target)
    kept = resolve(all_target)
    issues: list[TermIssue] = []
    for match in kept:
        if match.ref.role != "forbidden":
            continue
        concept = terms.concept(match.ref.concept)
        entry = concept.translations.get(locale)
        preferred = entry.preferred if entry else None
        issues.append(TermIssue(
            "forbidden", concept.id,
            f"forbidden term \"{target[match.start:match.end]}\" for \"{concept.term}\""
            + (f"; use \"{preferred}\"" if preferred else ""),
            (match.start, match.end), preferred,
        ))
    approved = {m.ref.concept for m in all_target if m.ref.role != "forbidden"}
    for concept_id in dict.fromkeys(in_source):
        concept = terms.concept(concept_id)
        if concept.dnt:
            issue = _dnt_issue(concept.term, concept_id, target, all_target)
            if issue:
                issues.append(issue)
            continue
        entry = concept.translations.get(locale)
        if entry is None or not entry.preferred or concept_id in approved:
            continue
        if _loosely_present(entry.approved, target, locale):
            continue
        issues.append(TermIssue(
            "missing", concept_id,
            f"\"{concept.term}\" is not translated with an approved term: "
            + format_hint(concept_id, terms, locale).removeprefix("glossary: "),
            None, entry.preferred,
        ))
    return issues


# Languages whose words hold other words: German compounds, and CJK text without spaces.
_COMPOUNDING = frozenset({"de", "nl", "sv", "da", "nb", "no", "fi", "is", "zh", "ja", "ko"})


def _loosely_present(approved: tuple[str, ...], target: str, locale: str) -> bool:
    """Is an approved term there in a form the word-key matcher cannot see?

    German builds compounds ("Östrogenspiegel" holds "Östrogen"); Romance languages derive
    adjectives ("niveles hormonales" for "hormona"). Each word of an approved term must then start
    a target word (for compounding languages: appear inside one) with at least its first five
    letters, minus an inflectional ending. Only used to silence "missing", never to approve a term
    that was marked forbidden.
    """
    words = re.findall(r"\w+", target.lower())
    compounding = locale.replace("-", "_").split("_")[0].lower() in _COMPOUNDING
    for term in approved:
        parts = re.findall(r"\w+", term.lower())
        if not parts or (len(parts) == 1 and len(parts[0]) < 4):
            continue  # a short single word ("EMG") is matched exactly or not at all
        found = True
        for part in parts:
            if len(part) <= 3:
                continue  # articles and prepositions inside a term ("de", "à") prove nothing
            stem = part[: max(5, len(part) - 2)] if len(part) > 5 else part
            if not any(stem in word if compounding else word.startswith(stem) for word in words):
                found = False
                break
        if found:
            return True
    return False


def _dnt_issue(term: str, concept_id: str, target: str, found: list) -> TermIssue | None:
    """The exact term must be in the target; point at the altered form when there is one."""
    if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", target):
        return None
    span = next(((m.start, m.end) for m in found if m.ref.concept == concept_id), None)
    if span is None:
        words = [re.escape(w) for w in re.findall(r"[^\W_]+", term)]
        loose = re.search(r"(?<!\w)" + r"[\s\-\u2010\u2011]*".join(words) + r"(?!\w)", target, re.IGNORECASE)
        span = loose.span() if loose else None
    shown = f" (found \"{target[span[0]:span[1]]}\")" if span else ""
    return TermIssue("dnt-altered", concept_id, f"\"{term}\" must stay unchanged{shown}", span, term)


def term_findings(
    terms: Terminology, source: str, target: str, locale: str, *, article: str = ""
) -> list[Finding]:
    """`check_target` as Findings (check id "glossary"): forbidden is critical, the rest major."""
    return [
        Finding(
            check=CHECK_ID,
            severity=SEVERITY[issue.kind],
            message=issue.message,
            article=article,
            locale=locale,
            source=source,
            target=target,
            span=issue.span,
            in_target=True,
            suggestion=issue.suggestion,
            extra={"kind": issue.kind, "concept": issue.concept},
        )
        for issue in check_target(terms, source, target, locale)
    ]
