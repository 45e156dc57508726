"""`medloc glossary lint`: find entries that contradict each other or would make the fixer misbehave.

Errors make the fixer or the QA check wrong (a duplicate id, a term both preferred and forbidden, a
rewrite that feeds itself, two entries claiming one span, an empty translation, a failing example);
warnings are worth a look (a missing locale, two forbidden variants overlapping). Comparisons use the
matcher's word keys, so "flesh jumps" and "flesh jumping" count as the same term, as they will at run time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from medloc.glossary.fixer import fix_text
from medloc.glossary.forms import key_function
from medloc.glossary.model import Concept, Glossary
from medloc.glossary.terminology import Terminology
from medloc.glossary.tokens import tokenize

Level = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class LintIssue:
    level: Level
    code: str
    concept: str
    message: str
    where: str

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: [{self.code}] {self.concept}: {self.message}"


def lint(glossary: Glossary, locales: list[str], source_locale: str = "en") -> list[LintIssue]:
    """Every problem found, errors first, in file order within a level."""
    terms = Terminology(glossary, source_locale)
    issues: list[LintIssue] = []
    issues += _duplicates(glossary, source_locale)
    for concept in glossary:
        issues += _within(concept, locales, source_locale)
    issues += _cross_concept(glossary, source_locale)
    issues += _fixer_behaviour(terms)
    return sorted(issues, key=lambda i: i.level != "error")


def _key(text: str, locale: str) -> str:
    key = key_function(locale)
    return " ".join(key(w) for w in tokenize(text, markup=False).words)


def _issue(level: Level, code: str, concept: Concept, message: str) -> LintIssue:
    return LintIssue(level, code, concept.id, message, concept.where())


def _duplicates(glossary: Glossary, locale: str) -> list[LintIssue]:
    issues: list[LintIssue] = []
    first_id: dict[str, Concept] = {}
    first_term: dict[str, Concept] = {}
    for concept in glossary:
        if concept.id in first_id:
            issues.append(_issue("error", "duplicate-id", concept,
                                 f"id already used at {first_id[concept.id].where()}"))
        first_id.setdefault(concept.id, concept)
        key = _key(concept.term, locale)
        other = first_term.get(key)
        if other is not None and other.id != concept.id:
            issues.append(_issue("error", "duplicate-term", concept,
                                 f"term \"{concept.term}\" is already concept {other.id} ({other.where()})"))
        first_term.setdefault(key, concept)
    return issues


def _within(concept: Concept, locales: list[str], source_locale: str) -> list[LintIssue]:
    issues: list[LintIssue] = []
    approved = {_key(t, source_locale): t for t in (concept.term, *concept.allowed)}
    for term in concept.forbidden:
        if _key(term, source_locale) in approved:
            issues.append(_issue("error", "preferred-and-forbidden", concept,
                                 f"\"{term}\" is forbidden but is (a form of) the approved "
                                 f"\"{approved[_key(term, source_locale)]}\""))
    for locale, entry in concept.translations.items():
        if not entry.preferred:
            issues.append(_issue("error", "empty-translation", concept,
                                 f"{locale}: no preferred translation"))
        good = {_key(t, locale): t for t in entry.approved}
        for term in entry.forbidden:
            if _key(term, locale) in good:
                issues.append(_issue("error", "preferred-and-forbidden", concept,
                                     f"{locale}: \"{term}\" is forbidden but is (a form of) the approved "
                                     f"\"{good[_key(term, locale)]}\""))
    if not concept.dnt:
        for locale in locales:
            if locale not in concept.translations:
                issues.append(_issue("warning", "missing-locale", concept, f"no {locale} translation"))
    return issues


def _cross_concept(glossary: Glossary, locale: str) -> list[LintIssue]:
    """A forbidden variant that is another concept's approved term, or forbidden by two concepts."""
    approved: dict[str, Concept] = {}
    for concept in glossary:
        for term in (concept.term, *concept.allowed):
            approved.setdefault(_key(term, locale), concept)
    forbidden_by: dict[str, list[Concept]] = defaultdict(list)
    issues: list[LintIssue] = []
    for concept in glossary:
        for term in concept.forbidden:
            key = _key(term, locale)
            owner = approved.get(key)
            if owner is not None and owner.id != concept.id:
                issues.append(_issue("error", "forbidden-is-approved", concept,
                                     f"forbidden \"{term}\" is the approved term of {owner.id} "
                                     f"({owner.where()})"))
            if concept not in forbidden_by[key]:
                forbidden_by[key].append(concept)
    for key, owners in forbidden_by.items():
        if len(owners) > 1:
            names = ", ".join(o.id for o in owners)
            issues.append(_issue("error", "span-conflict", owners[1],
                                 f"\"{key}\" is forbidden by {names}: the fixer cannot know which to use"))
    return issues


def _fixer_behaviour(terms: Terminology) -> list[LintIssue]:
    """Run the fixer on the glossary's own terms and examples: loops, fights and wrong examples."""
    issues: list[LintIssue] = []
    for concept in terms.glossary:
        for term in (concept.term, *concept.allowed):
            for inner in terms.source.find_all(term):
                if inner.ref.role != "forbidden" or inner.ref.text == term:
                    continue
                if inner.ref.concept == concept.id:
                    issues.append(_issue("error", "rewrite-loop", concept,
                                         f"forbidden \"{inner.ref.text}\" lies inside the approved "
                                         f"\"{term}\": "
                                         f"the fixer would rewrite it into \"{term}\" wherever it appears, "
                                         "even in text that is already right"))
                else:
                    issues.append(_issue("warning", "overlap", concept,
                                         f"approved \"{term}\" contains \"{inner.ref.text}\", forbidden by "
                                         f"{inner.ref.concept}; the approved term wins where both match"))
            result = fix_text(terms, term)
            if result.changes:
                culprit = ", ".join(sorted({c.concept for c in result.changes}))
                issues.append(_issue("error", "rewrite-loop", concept,
                                     f"approved \"{term}\" would itself be rewritten (by {culprit}) to "
                                     f"\"{result.text}\": fixing would never settle"))
        for term in concept.forbidden:
            rivals = [m for m in terms.source.find_all(term)
                      if m.ref.role == "forbidden" and m.ref.concept != concept.id]
            for rival in rivals:
                issues.append(_issue("warning", "overlap", concept,
                                     f"forbidden \"{term}\" overlaps \"{rival.ref.text}\" "
                                     f"of {rival.ref.concept}; "
                                     "the longer match wins"))
            once = fix_text(terms, term).text
            twice = fix_text(terms, once)
            if twice.changes:
                issues.append(_issue("error", "rewrite-loop", concept,
                                     f"\"{term}\" → \"{once}\" → \"{twice.text}\": "
                                     "a second pass changes it again"))
        for example in concept.examples:
            got = fix_text(terms, example.wrong).text
            if got != example.right:
                issues.append(_issue("error", "example-fails", concept,
                                     f"\"{example.wrong}\" fixes to \"{got}\", expected \"{example.right}\""))
    return issues
