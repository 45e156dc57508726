"""Every example of the engine and source checks runs here, offline: real hunspell dictionaries,
Harper (English) and Grammalecte (French) for grammar, the project glossary for forbidden terms.
(The LanguageTool path of the grammar examples runs in test_engine_languagetool.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from medloc.checks.base import Check, CheckContext, Unit
from medloc.checks.language import GrammarCheck, SourceGrammarCheck, SourceSpellingCheck, SpellingCheck
from medloc.checks.registry import all_checks
from medloc.checks.source import DoNotUseCheck, SourceForbiddenTermCheck, SourceRepeatedWordCheck
from medloc.glossary import terminology_from
from medloc.model import Severity

MINE: list[type[Check]] = [SourceForbiddenTermCheck, DoNotUseCheck, SourceRepeatedWordCheck,
                           SourceSpellingCheck, SpellingCheck, SourceGrammarCheck, GrammarCheck]
CASES = [(cls, i) for cls in MINE for i in range(len(cls.examples))]


@pytest.fixture(scope="module")
def context(repo_root: Path) -> CheckContext:
    return CheckContext(terminology=terminology_from(repo_root / "glossary"))


def test_registered_with_docstrings_and_examples() -> None:
    registered = all_checks()
    for cls in MINE:
        assert registered[cls.id] is cls
        assert cls.__doc__ and cls.name and cls.examples
        assert any(e.fails for e in cls.examples) and any(not e.fails for e in cls.examples)


@pytest.mark.parametrize(("cls", "index"), CASES, ids=[f"{c.id}-{i}" for c, i in CASES])
def test_example(cls: type[Check], index: int, context: CheckContext) -> None:
    example = cls.examples[index]
    unit = Unit(example.source, example.target, locale=example.locale)
    found = list(cls().run(unit, context))
    assert bool(found) == example.fails, (example, found)
    for finding in found:
        assert finding.check == cls.id and finding.span is not None
        text = finding.target if finding.in_target else finding.source
        assert 0 <= finding.span[0] < finding.span[1] <= len(text)


def test_do_not_use_false_positive_guards() -> None:
    check = DoNotUseCheck()
    quiet = [
        "Most U.S. and U.K. adults take vitamin D.",
        "MS is a disease of the nerves; she has an MS in nursing.",
        "Ms. Lopez takes 5 mg daily.",
        "Version 2.0 of the app; a 2.0 cm lesion; HbA1c of 7.0%.",
        "A U-shaped curve.",
        "Take 10 units of insulin and 0.5 mg of the drug every other day.",
        'See <a href="https://example.org/qd/5.0mg">the page</a>.',
    ]
    for text in quiet:
        assert list(check.run(Unit(text, locale="en"), CheckContext())) == [], text
    loud = {
        "Inject 10U before meals.": ("10U"[2:], Severity.CRITICAL),
        "Take 1,000 IU of vitamin D.": ("IU", Severity.MAJOR),
        "Take it q.o.d. with food.": ("q.o.d.", Severity.MAJOR),
        "Give 2 g MgSO4 IV.": ("MgSO4", Severity.CRITICAL),
        "Take 1.50 mg twice.": ("1.50 mg", Severity.CRITICAL),
        "Take <b>.25 mg</b> at night.": (".25 mg", Severity.CRITICAL),
    }
    for text, (written, severity) in loud.items():
        [finding] = check.run(Unit(text, locale="en"), CheckContext())
        assert text[finding.span[0]:finding.span[1]] == written, text  # type: ignore[index]
        assert finding.severity is severity and not finding.in_target


def test_forbidden_term_suggests_the_preferred_term(context: CheckContext) -> None:
    [finding] = SourceForbiddenTermCheck().run(Unit("FLESH JUMPING AFTER MENOPAUSE", locale="en"), context)
    assert finding.suggestion == "MUSCLE TWITCHING" and finding.severity is Severity.MAJOR
    assert finding.category == "terminology" and finding.span == (0, 13)


def test_forbidden_term_without_a_glossary_reports_nothing() -> None:
    assert list(SourceForbiddenTermCheck().run(Unit("flesh jumping", locale="en"), CheckContext())) == []


def test_offline_grammar_for_english_source_and_french_target(context: CheckContext) -> None:
    [finding] = SourceGrammarCheck().run(Unit("Its important that you goes to the doctor.", locale="en"),
                                         context)
    assert finding.extra["engine"] == "harper" and finding.suggestion == "go" and not finding.in_target
    units = [Unit("x", "Les patient doit prendre 5 mg par jour.", locale="fr"),
             Unit("y", "Il ne faut pas oublier le le traitement.", locale="fr")]
    found = GrammarCheck().run_many(units, context)
    assert {f.extra["engine"] for f in found} == {"grammalecte"}
    assert any(f.suggestion == "patients" for f in found)
