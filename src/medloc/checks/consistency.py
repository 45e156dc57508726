"""Consistency across the whole project: one source, one translation; one translation, one source.

Patients read several articles: a warning translated two ways looks like two warnings, and one
translation for two different sources means one of them was pasted in the wrong place. Both
directions are compared per locale on normalised text (tags, case, whitespace and final punctuation
ignored), with the message context (msgctxt) as part of the key, so "May" the month and "May" the
verb stay apart.

- same source, different targets: minor (a reviewer picks one; the finding names the others).
- different sources, same target: minor.
Both only for sources of at least four words: labels and headings ("Delete" / "Remove" ->
"Eliminar", "Action" -> "Acción" / "Acción:") legitimately vary with where they appear and would
flood the report; sentences should not.

Normalising is most of the check's time (~25 µs a text: tags, entities, a regex, casefold; 0.6 s
for the 30,000 distinct texts of a 1,000-article project), so each distinct text is normalised once
per run, and a caller that already has texts' normal forms gives them as
`context.options[NORMAL_FORMS]` (text -> `normal_form(text)`): the flow keeps them with the units in
`medloc.projectunits`, so only the changed PO files' texts are normalised again. Texts missing from
the mapping are normalised here: `medloc check` and callers without it get the same findings.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from medloc.checks.base import Category, CheckContext, Example, ProjectCheck, Unit
from medloc.checks.text import visible
from medloc.model import Finding, Severity

_PUNCT = re.compile(r"[^\w%{}()]+")
_MIN_WORDS = 4
NORMAL_FORMS = "consistency.normal_forms"  # CheckContext.options key: {text: normal_form(text)}


def normal_form(text: str) -> str:
    """The text as the check compares it: visible text, punctuation runs as one space, casefolded."""
    return _PUNCT.sub(" ", visible(text)).strip().casefold()


class ConsistencyCheck(ProjectCheck):
    """Same source translated differently, or different sources translated identically (per locale)."""

    id = "consistency"
    name = "Inconsistent translation"
    severity = Severity.MINOR
    category = Category.TERMINOLOGY
    examples = (
        Example(
            "Do not take with alcohol.",
            "No lo tome con alcohol.\nNo beba alcohol al tomarlo.",
            fails=True,
            note="a ProjectCheck example: one unit per target line, same source, two targets",
        ),
        Example("Do not take with alcohol.", "No lo tome con alcohol.\nNo lo tome con alcohol.", fails=False),
    )

    def run_all(self, units: Sequence[Unit], context: CheckContext) -> Iterable[Finding]:
        by_source: dict[tuple[str, str | None, str], dict[str, Unit]] = defaultdict(dict)
        by_target: dict[tuple[str, str | None, str], dict[str, Unit]] = defaultdict(dict)
        entry_of: dict[int, tuple[str, int, str | None, str]] = {}
        given = context.options.get(NORMAL_FORMS)
        # each text is normalised once: a source comes once per locale, a target often many times
        normal: dict[str, str] = dict(given) if isinstance(given, dict) else {}
        for unit in units:
            if not unit.reviewed:
                continue
            src = normal.get(unit.source)
            if src is None:
                src = normal[unit.source] = normal_form(unit.source)
            if src.count(" ") + 1 < _MIN_WORDS:
                continue
            tgt = normal.get(unit.target)
            if tgt is None:
                tgt = normal[unit.target] = normal_form(unit.target)
            # The plural forms of one entry differ from each other by design: one entry, one vote.
            entry_of[id(unit)] = (
                (unit.article, unit.line, unit.context, unit.source)
                if unit.line
                else (unit.article, id(unit), None, "")
            )
            by_source[(unit.locale, unit.context, src)].setdefault(tgt, unit)
            by_target[(unit.locale, unit.context, tgt)].setdefault(src, unit)
        findings: list[Finding] = []
        for targets in by_source.values():
            if len(targets) < 2 or len({entry_of[id(u)] for u in targets.values()}) < 2:
                continue
            first, *others = targets.values()
            others = [u for u in others if entry_of[id(u)] != entry_of[id(first)]]
            for unit in others:
                findings.append(
                    self._finding(
                        unit,
                        f'translated differently elsewhere: "{first.target}"'
                        + (f" (in {first.article})" if first.article else ""),
                        first.target,
                    )
                )
        for sources in by_target.values():
            if len(sources) < 2:
                continue
            first, *others = sources.values()
            others = [u for u in others if entry_of[id(u)][:3] != entry_of[id(first)][:3]]
            for unit in others:
                findings.append(
                    self._finding(
                        unit,
                        f'the same translation is used for a different source: "{first.source}"'
                        + (f" (in {first.article})" if first.article else ""),
                        None,
                    )
                )
        return findings

    def _finding(self, unit: Unit, message: str, suggestion: str | None) -> Finding:
        return Finding(
            check=self.id,
            severity=self.severity,
            message=message,
            category=self.category.value,
            article=unit.article,
            locale=unit.locale,
            source=unit.source,
            target=unit.target,
            suggestion=suggestion,
        )
