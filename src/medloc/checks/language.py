"""Engine-backed checks: spelling (hunspell) and grammar (LanguageTool, Harper, Grammalecte).

Each check reads its engines from the context (`medloc.engines.attach` puts them there; a bare
context gets engines with default settings, which is what the examples run on: real hunspell
dictionaries, Harper for English, Grammalecte for French, no LanguageTool). Every call reports the
engine's status with `report_engine`, so a locale that could not be checked becomes one
`engine-unavailable` finding in the runner and "grammar: not checked for <locale>" in the report.

Grammar is batched: `run_many(units, context)` sends all units of one locale in as few requests as
`qa.languagetool_batch_chars` allows; `run(unit, context)` is the one-unit fallback for runners
that only call `run`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from medloc.checks.base import Category, Check, CheckContext, Example, Unit
from medloc.checks.status import report_engine
from medloc.engines import ENGINES_OPTION, Engines, GrammarIssue, Speller, open_engines
from medloc.engines.spelling import likely_name
from medloc.engines.status import EngineStatus, State
from medloc.engines.text import plain_text
from medloc.model import Finding, Severity

_TOKEN_RE = re.compile(r"[\w'’\-]+")

# LanguageTool category ids (Harper's and Grammalecte's kinds are mapped to them) -> MQM.
_MQM: dict[str, Category] = {
    "GRAMMAR": Category.LINGUISTIC, "TYPOS": Category.LINGUISTIC, "CASING": Category.LINGUISTIC,
    "PUNCTUATION": Category.LINGUISTIC, "COMPOUNDING": Category.LINGUISTIC,
    "CONFUSED_WORDS": Category.LINGUISTIC, "COLLOCATIONS": Category.LINGUISTIC,
    "SEMANTICS": Category.ACCURACY, "TYPOGRAPHY": Category.LOCALE,
    "STYLE": Category.STYLE, "REDUNDANCY": Category.STYLE, "PLAIN_ENGLISH": Category.STYLE,
    "REGISTER": Category.STYLE, "GENDER_NEUTRALITY": Category.STYLE, "WIKIPEDIA": Category.STYLE,
}
_ISSUE_TYPES: dict[str, Category] = {"misspelling": Category.LINGUISTIC, "style": Category.STYLE,
                                      "typographical": Category.LOCALE, "locale-violation": Category.LOCALE}


def engines_for(context: CheckContext) -> Engines:
    """The run's engines, or engines with default settings opened once for this context."""
    engines = context.options.get(ENGINES_OPTION)
    if not isinstance(engines, Engines):
        settings = context.options.get("settings")
        qa = getattr(settings, "qa", None)
        engines = open_engines(qa)
        context.options[ENGINES_OPTION] = engines
    return engines


def mqm_category(issue: GrammarIssue) -> Category:
    """MQM category of an engine issue: its category id first, then its issue type."""
    return _MQM.get(issue.category) or _ISSUE_TYPES.get(issue.issue_type, Category.LINGUISTIC)


def _speller(context: CheckContext, locale: str) -> tuple[Speller | None, EngineStatus]:
    engines = engines_for(context)
    speller = context.spellers.get(locale)
    if not isinstance(speller, Speller):
        speller = engines.add_speller(locale)
    status = engines.spelling_statuses.get(locale)
    if status is None:  # a speller the runner put in `context.spellers` itself
        status = EngineStatus("spelling", locale, State.CHECKED, "hunspell")
    return speller, status


class _Spelling(Check):
    severity = Severity.MINOR
    category = Category.LINGUISTIC

    def _check(self, unit: Unit, context: CheckContext, text: str, locale: str) -> Iterable[Finding]:
        if not text.strip():
            return
        speller, status = _speller(context, locale)
        if speller is None:
            report_engine(context, replace(status, total=1))
            return
        report_engine(context, replace(status, state=State.CHECKED, detail="", checked=1, total=1))
        in_target = self.scope == "translation"
        # A word the translation copies from the source (a name, an English study title) is not a
        # misspelling of the target language; the `unchanged` check owns untranslated text.
        copied = set(_TOKEN_RE.findall(plain_text(unit.source).text)) if in_target else set()
        # The speller splits an unknown hyphenated word into its parts ("Winston-Salem", "Low-Grade"
        # in an English study title), so the parts of a copied word count as copied too.
        copied.update(part for word in [w for w in copied if "-" in w] for part in word.split("-") if part)
        for miss in speller.check(text):
            if miss.word in copied:
                continue
            name = likely_name(text, miss.start, miss.word, locale)
            suggestions = () if name else speller.suggest(miss.word)
            yield self.finding(
                unit, f"unknown word {miss.word!r} ({locale} dictionary"
                f"{' + medical word list' if locale.startswith('en') else ''} + project words); if it is "
                "right, add it to the word list (qa.word_list)",
                span=(miss.start, miss.end), in_target=in_target,
                suggestion=suggestions[0] if suggestions else None,
            )


class SourceSpellingCheck(_Spelling):
    """Unknown words in the source (hunspell en_US + hunspell-en-med + project word list + glossary).

    An editor fixes a typo once in the source instead of every translator meeting it in every
    locale. Minor: a typo rarely changes meaning, and a flood of them must not hide critical findings.
    """

    id = "source-spelling"
    name = "Source spelling"
    scope = "source"
    examples = (
        Example("Take ibuprofen with food to protect your stomache.", locale="en", fails=True,
                note="stomache is a misspelling of stomach"),
        Example("Perimenopause can cause fasciculations and hot flashes.", locale="en", fails=False,
                note="medical words come from hunspell-en-med"),
        Example("Ask the NCI about <a href=\"https://www.cancer.gov/xyzzy\">EGFR</a> testing.",
                locale="en", fails=False, note="URLs, markup and acronyms are skipped"),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        return self._check(unit, context, unit.source, unit.source_locale)


class SpellingCheck(_Spelling):
    """Unknown words in the translation (hunspell es/fr/de + glossary translations + project words).

    Chinese, Japanese and Korean are not applicable (hunspell needs spaces between words) and are
    reported as such, not as a pass.
    """

    id = "spelling"
    name = "Spelling"
    examples = (
        Example("Take the tablets with water.", "Tome las tabletas con agüa.", "es", fails=True),
        Example("Take the tablets with water.", "Tome las tabletas con agua.", "es", fails=False),
        Example("Hot flashes are common.", "Les bouffées de chaleur sont fréquantes.", "fr", fails=True),
        Example("Hot flashes are common.", "Hitzewallungen sind häufig.", "de", fails=False),
        Example("Hot flashes are common.", "潮热很常见。", "zh_CN", fails=False,
                note="not applicable for Chinese: reported as such"),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        return self._check(unit, context, unit.target, unit.locale)


class _Grammar(Check):
    severity = Severity.MINOR
    category = Category.LINGUISTIC

    def _text(self, unit: Unit) -> str:
        return unit.target

    def _locale(self, unit: Unit) -> str:
        return unit.locale

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        return self.run_many([unit], context)

    def run_many(self, units: Sequence[Unit], context: CheckContext) -> list[Finding]:
        """Check many units in few engine requests (grouped by locale, repeated texts sent once)."""
        engines = engines_for(context)
        by_locale: dict[str, list[Unit]] = {}
        for unit in units:
            if self._text(unit).strip() and not unit.ignores(self.id):
                by_locale.setdefault(self._locale(unit), []).append(unit)
        found: list[Finding] = []
        for locale, chosen in by_locale.items():
            texts = list(dict.fromkeys(self._text(u) for u in chosen))
            result = engines.grammar.check(texts, locale)
            report_engine(context, result.status)
            issues = dict(zip(texts, result.issues, strict=True))
            for unit in chosen:
                for issue in issues[self._text(unit)] or ():
                    found.append(self._finding(unit, issue))
        return found

    def _finding(self, unit: Unit, issue: GrammarIssue) -> Finding:
        category = mqm_category(issue)
        severity = Severity.INFO if category is Category.STYLE else self.severity
        finding = self.finding(
            unit, f"{issue.message} [{issue.engine}: {issue.rule}]", span=(issue.start, issue.end),
            in_target=self.scope == "translation", severity=severity,
            suggestion=issue.replacements[0] if issue.replacements else None,
            rule=issue.rule, engine=issue.engine,
        )
        return replace(finding, category=category.value)


class SourceGrammarCheck(_Grammar):
    """Grammar of the source: LanguageTool when configured, else Harper (offline English).

    Minor (style advice is info): grammar slips in the source rarely endanger a patient, but they
    propagate into every translation, and MT mistranslates ungrammatical input.
    """

    id = "source-grammar"
    name = "Source grammar"
    scope = "source"
    examples = (
        Example("Its important that you goes to the doctor.", locale="en", fails=True,
                note="agreement error (Harper offline; LanguageTool when configured)"),
        Example("It is important that you go to the doctor.", locale="en", fails=False),
    )

    def _text(self, unit: Unit) -> str:
        return unit.source

    def _locale(self, unit: Unit) -> str:
        return unit.source_locale


class GrammarCheck(_Grammar):
    """Grammar of the translation: LanguageTool for every locale it supports, Grammalecte for French
    when LanguageTool is not configured or not answering. Locales no engine could check are reported
    (one `engine-unavailable` finding per locale from the runner), never passed silently."""

    id = "grammar"
    name = "Grammar"
    examples = (
        Example("Patients must take 5 mg a day.", "Les patient doit prendre 5 mg par jour.", "fr",
                fails=True, note="agreement error (Grammalecte offline)"),
        Example("Patients must take 5 mg a day.", "Les patients doivent prendre 5 mg par jour.", "fr",
                fails=False),
    )
