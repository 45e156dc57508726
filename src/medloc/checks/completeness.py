"""Is there a translation to check at all: untranslated, fuzzy, unchanged (copied source).

The other translation checks say nothing about an empty target; these three say why a segment
would be published in English (or not published): no translation, a fuzzy one (a machine-merged
suggestion nobody confirmed; never counts as done), or the source pasted as the translation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from medloc.checks.base import Category, Check, CheckContext, Example, Unit
from medloc.checks.text import WORD_RE, prose
from medloc.model import Finding, Severity


class UntranslatedCheck(Check):
    """The entry has no translation: the reader gets English (MQM: accuracy, untranslated)."""

    id = "untranslated"
    name = "Untranslated"
    severity = Severity.MAJOR
    category = Category.ACCURACY
    examples = (
        Example("Take 500 mg daily.", "", fails=True),
        Example("Take 500 mg daily.", "Tome 500 mg al día.", fails=False),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        if unit.target.strip() or not unit.source.strip() or unit.obsolete:
            return ()
        return (self.finding(unit, "not translated", in_target=False),)


class FuzzyCheck(Check):
    """A fuzzy (unconfirmed) translation: a suggestion merged from memory that no translator approved.

    Major: fuzzy text is not published, and its source may have changed numbers or negations since
    the suggestion was made.
    """

    id = "fuzzy"
    name = "Fuzzy translation"
    severity = Severity.MAJOR
    category = Category.ACCURACY
    examples = (Example("Take 500 mg daily.", "Tome 500 mg al día.", fails=False),)

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        if not unit.fuzzy or not unit.target:
            return ()
        return (self.finding(unit, "fuzzy translation: review it and remove the fuzzy flag"),)


_PROPER = re.compile(r"^(?:[A-Z0-9][\w.’'&-]*|of|and|for|the|de|del|la|y|und|et|du|des|von|für)$")
_TAGS_SPACE = re.compile(r"\s+")


class UnchangedCheck(Check):
    """The target is the source copied unchanged (MQM: accuracy, untranslated).

    Not reported when copying is right: no letters (numbers, codes), URLs/e-mails/placeholders only,
    fewer than three words (single words and short labels such as "Total", "Menu", "Email address"
    are often the same in the target language), only proper names, acronyms and brand names (every
    word capitalised: "National Cancer Institute (NCI)", "Django"), or only do-not-translate glossary
    terms.
    """

    id = "unchanged"
    name = "Source copied as translation"
    severity = Severity.MAJOR
    category = Category.ACCURACY
    examples = (
        Example("Take the tablet with food.", "Take the tablet with food.", fails=True),
        Example(
            "National Cancer Institute (NCI)", "National Cancer Institute (NCI)", locale="fr", fails=False
        ),
        Example("https://www.cancer.gov", "https://www.cancer.gov", fails=False),
        Example("Normal", "Normal", fails=False),
        Example("%(count)s / 25 mg", "%(count)s / 25 mg", fails=False),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target, source = unit.target, unit.source
        if not target or (
            target != source and _TAGS_SPACE.sub(" ", target.strip()) != _TAGS_SPACE.sub(" ", source.strip())
        ):
            return ()
        words = WORD_RE.findall(prose(source))
        if len(words) < 3 or all(_PROPER.match(w) for w in words):
            return ()
        terms = context.terminology
        if terms is not None:
            try:
                dnt = [m for m in terms.source.find(source) if terms.concept(m.ref.concept).dnt]  # type: ignore[attr-defined]
            except Exception:
                dnt = []
            covered = sum(len(WORD_RE.findall(source[m.start : m.end])) for m in dnt)
            if dnt and covered >= len(words):
                return ()
        return (self.finding(unit, "the translation is the source text copied unchanged"),)
