"""Terminology: the glossary's approved terms are used, forbidden ones are not, do-not-translate stays.

The matching (word forms, case, inflection in es/fr/de/zh) is the glossary's own
(`medloc.glossary.target.check_target`); this check only turns its issues into findings of the QA
engine with the glossary's severities: a forbidden term (a known mistranslation such as
"flesh jumping") is critical, an altered do-not-translate term is major, a missing approved term minor.
Without a glossary in the context the check reports nothing (the engine says so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from medloc.checks.base import Category, Check, CheckContext, Example, Unit
from medloc.glossary.matcher import any_of
from medloc.glossary.target import SEVERITY, check_target
from medloc.model import Finding, Severity


class TerminologyCheck(Check):
    """Glossary terms in the target: approved present, forbidden absent, do-not-translate unchanged."""

    id = "terminology"
    name = "Glossary term"
    severity = Severity.CRITICAL
    category = Category.TERMINOLOGY
    examples = (
        Example("Muscle twitching is common.", "Los espasmos musculares son frecuentes.", fails=False),
        Example(
            "Muscle twitching is common.",
            "Los saltos de carne son frecuentes.",
            fails=True,
            note="forbidden MT calque",
        ),
    )

    def __init__(self) -> None:
        self._gates: dict[tuple[int, str], Callable[[str], bool] | None] = {}

    def _gate(self, terms: object, locale: str) -> Callable[[str], bool] | None:
        """A test for the lower-case stems of the terms that can matter for `locale`: the source
        terms (preferred, allowed, forbidden, do-not-translate) and the locale's forbidden terms.
        A unit whose source and target contain none of these stems (any inflection keeps the stem)
        cannot produce a finding, so the glossary matcher is not run on it: one C-level pass instead."""
        key = (id(terms), locale)
        if key in self._gates:
            return self._gates[key]
        stems: set[str] = set()
        for concept in terms.glossary:  # type: ignore[attr-defined]
            entry = concept.translations.get(locale)
            for term in (
                concept.term,
                *concept.allowed,
                *concept.forbidden,
                *(entry.forbidden if entry else ()),
            ):
                words = term.lower().split()
                if words:
                    word = words[0]
                    stems.add(word[: max(3, len(word) - 3)] if len(word) > 5 else word)
        gate = self._gates[key] = any_of(stems)
        return gate

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        terms = context.terminology
        if terms is None or not unit.target:
            return ()
        gate = self._gate(terms, unit.locale)
        if gate is None or not gate(unit.source.lower() + "\n" + unit.target.lower()):
            return ()
        return [
            self.finding(
                unit,
                issue.message,
                span=issue.span,
                severity=SEVERITY[issue.kind],
                suggestion=issue.suggestion,
                kind=issue.kind,
                concept=issue.concept,
            )
            for issue in check_target(terms, unit.source, unit.target, unit.locale)  # type: ignore[arg-type]
        ]
