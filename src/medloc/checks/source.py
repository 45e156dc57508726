"""Source checks for editors: forbidden glossary terms left, the Joint Commission Do-Not-Use list,
repeated words. A defect fixed in the source is fixed once instead of once per locale.

All three read the segment through `plain_text` (tags and entities out), and spans point back into
the segment text the editor sees.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from medloc.checks.base import Category, Check, CheckContext, Example, Unit
from medloc.engines.text import PlainText, plain_text, skipped_spans
from medloc.model import Finding, Severity


class SourceForbiddenTermCheck(Check):
    """A forbidden glossary variant still in the source ("flesh jumping" for "muscle twitching").

    Major: these variants are MT calques or misleading lay terms the glossary rejects; left in the
    source they are translated literally into every locale. The source fixer rewrites them when
    `glossary.fix_source` is on; this check catches what is left (fixing off, a PO handed in).
    Needs the glossary in the context: without one it reports nothing.
    """

    id = "source-forbidden-term"
    name = "Forbidden term in source"
    severity = Severity.MAJOR
    category = Category.TERMINOLOGY
    scope = "source"
    examples = (
        Example("This type of flesh jumping is often accompanied by hot flashes.", locale="en", fails=True),
        Example("This type of muscle twitching is often accompanied by hot flashes.", locale="en",
                fails=False),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        terms = context.terminology
        if terms is None or not unit.source.strip():
            return
        from medloc.glossary.fixer import fix_text

        for change in fix_text(terms, unit.source).changes:  # type: ignore[arg-type]
            yield self.finding(
                unit, f"forbidden term {change.before!r}: the glossary's term is {change.after!r} "
                f"(concept {change.concept})", span=(change.start, change.end), in_target=False,
                suggestion=change.after, concept=change.concept,
            )


_DOSE_UNITS = r"(?:mg|mcg|µg|μg|g|kg|ml|mL|l|L|units?|U|IU|mEq|mmol|mol|gr|gtt|drops?|tablets?|capsules?)"
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
_DOSE_NEAR = re.compile(rf"(?:{_NUMBER})(?:\.\d+)?\s*{_DOSE_UNITS}\b|\b(?:IV|IM|PO|SC|subcut)\b")
# (pattern, what to write instead, severity, why)
_RULES: tuple[tuple[re.Pattern[str], str, Severity, str], ...] = (
    (re.compile(rf"(?<![\w.,])(?:{_NUMBER})\.\d*0\s*{_DOSE_UNITS}(?![\w/])"), "no trailing zero",
     Severity.CRITICAL, "a trailing zero is misread as ten times the dose (5.0 mg read as 50 mg)"),
    (re.compile(rf"(?<![\w.,])\.\d+\s*{_DOSE_UNITS}(?![\w/])"), "a leading zero",
     Severity.CRITICAL, "a missing leading zero is misread as ten times the dose (.5 mg read as 5 mg)"),
    (re.compile(r"(?:(?<=\d)|(?<=\d\s))[Uu](?!\w)(?!\.\w)"), "units",
     Severity.CRITICAL, "U is misread as 0, 4 or cc (10 U read as 100)"),
    (re.compile(r"(?:(?<=\d)|(?<=\d\s))IU\b|\bIU\b(?=\s*(?:of|per|/|daily|a day))"), "international units",
     Severity.MAJOR, "IU is misread as IV (intravenous) or the number 10"),
    (re.compile(r"\b[Qq]\.?[Dd]\b\.?"), "daily",
     Severity.MAJOR, "QD is mistaken for QID (four times a day) or QOD"),
    (re.compile(r"\b[Qq]\.?[Oo]\.?[Dd]\b\.?"), "every other day",
     Severity.MAJOR, "QOD is mistaken for QD (daily) or QID"),
    (re.compile(r"\bMSO4\b|\bMSO₄\b"), "morphine sulfate",
     Severity.CRITICAL, "MSO4 is confused with MgSO4 (magnesium sulfate)"),
    (re.compile(r"\bMgSO4\b|\bMgSO₄\b"), "magnesium sulfate",
     Severity.CRITICAL, "MgSO4 is confused with MSO4 (morphine sulfate)"),
)
_MS = re.compile(r"\bMS\b(?!\.)")
_MS_WINDOW = 25  # characters either side of "MS" in which a dose makes it a drug abbreviation


class DoNotUseCheck(Check):
    """The Joint Commission "Do Not Use" list of abbreviations and dose notations, in the source.

    Critical where a misreading changes a dose tenfold or the drug (trailing zero "5.0 mg", missing
    leading zero ".5 mg", "U", MSO4, MgSO4, "MS" next to a dose); major where it changes a
    frequency or route (QD, QOD, IU), which readers of prose usually resolve from context.
    False positives avoided on purpose: "U.S."/"U.K." (a letter followed by a dot and a letter),
    "U" not after a number ("vitamin U", "U-shaped"), "MS" without a dose within 25 characters
    (multiple sclerosis, Mississippi, a Master of Science are all common in health articles),
    "Ms." (a title), trailing zeros outside doses (lab values, sizes "2.0 cm", versions "2.0") —
    the Joint Commission itself allows those.
    """

    id = "do-not-use"
    name = "Do-Not-Use abbreviations"
    severity = Severity.CRITICAL
    category = Category.ACCURACY
    scope = "source"
    examples = (
        Example("Take 5.0 mg of warfarin daily.", locale="en", fails=True),
        Example("Take 5 mg of warfarin daily.", locale="en", fails=False),
        Example("Take .5 mg at bedtime.", locale="en", fails=True),
        Example("Take 0.5 mg at bedtime.", locale="en", fails=False),
        Example("Inject 10 U of insulin.", locale="en", fails=True),
        Example("Most U.S. adults get enough vitamin D.", locale="en", fails=False),
        Example("Take the tablet QD with food.", locale="en", fails=True),
        Example("Give MSO4 for pain.", locale="en", fails=True),
        Example("Give MS 4 mg IV for pain.", locale="en", fails=True),
        Example("MS (multiple sclerosis) affects the nerves.", locale="en", fails=False),
        Example("The lesion measured 2.0 cm.", locale="en", fails=False),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        text = unit.source
        if not text.strip():
            return
        plain = plain_text(_blank(text, skipped_spans(text)))
        seen: set[tuple[int, int]] = set()
        for pattern, instead, severity, why in _RULES:
            for match in pattern.finditer(plain.text):
                yield from self._report(unit, plain, match.start(), match.end(), instead, severity, why, seen)
        for match in _MS.finditer(plain.text):
            window = plain.text[max(0, match.start() - _MS_WINDOW):match.end() + _MS_WINDOW]
            if _DOSE_NEAR.search(window):
                yield from self._report(unit, plain, match.start(), match.end(),
                                        "morphine sulfate or magnesium sulfate", Severity.CRITICAL,
                                        "MS can mean morphine sulfate or magnesium sulfate", seen)

    def _report(self, unit: Unit, plain: PlainText, start: int, end: int, instead: str, severity: Severity,
                why: str, seen: set[tuple[int, int]]) -> Iterable[Finding]:
        text = plain.text
        while start < end and text[start].isspace():
            start += 1
        span = plain.span(start, end)
        if span in seen:
            return
        seen.add(span)
        written = unit.source[span[0]:span[1]]
        yield self.finding(unit, f"do-not-use notation {written!r}: write {instead} ({why})",
                           span=span, in_target=False, severity=severity,
                           suggestion=_suggest(written, instead))


def _suggest(written: str, instead: str) -> str:
    if instead == "no trailing zero":
        number = re.match(r"[\d,]+\.\d+", written)
        if number:
            trimmed = number.group().rstrip("0").rstrip(".")
            return trimmed + written[number.end():]
        return written
    if instead == "a leading zero":
        return "0" + written
    return instead


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_ALLOWED_REPEATS = frozenset({"had", "that", "bye", "so", "ha", "very", "knock", "tsk"})


class SourceRepeatedWordCheck(Check):
    """The same word twice in a row in the source ("the the"), across markup but not punctuation.

    Minor: a slip an editor fixes in a second; MT copies it or drops it unpredictably. "had had" and
    "that that" are grammatical English and are not reported; neither are numbers.
    """

    id = "source-repeated-word"
    name = "Repeated word in source"
    severity = Severity.MINOR
    category = Category.LINGUISTIC
    scope = "source"
    examples = (
        Example("Talk to your doctor about the the side effects.", locale="en", fails=True),
        Example("Talk to <b>your</b> your doctor.", locale="en", fails=True, note="across markup"),
        Example("She had had a stroke before.", locale="en", fails=False),
        Example("Take it. It helps.", locale="en", fails=False, note="punctuation between"),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        plain = plain_text(_blank(unit.source, skipped_spans(unit.source)))
        previous: re.Match[str] | None = None
        for match in _WORD.finditer(plain.text):
            if (previous is not None and match.group().lower() == previous.group().lower()
                    and not plain.text[previous.end():match.start()].strip()
                    and match.group().lower() not in _ALLOWED_REPEATS):
                span = plain.span(previous.start(), match.end())
                yield self.finding(unit, f"repeated word {match.group()!r}", span=span, in_target=False,
                                   suggestion=previous.group())
            previous = match
