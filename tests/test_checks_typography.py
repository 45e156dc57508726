"""Punctuation per locale, whitespace, brackets, length, repeated words, completeness, consistency."""

from __future__ import annotations

from check_helpers import fails, passes

from medloc.checks.base import CheckContext, Unit
from medloc.checks.completeness import FuzzyCheck, UnchangedCheck, UntranslatedCheck
from medloc.checks.consistency import ConsistencyCheck
from medloc.checks.typography import (
    BracketsCheck,
    LengthCheck,
    PunctuationCheck,
    RepeatedWordsCheck,
    WhitespaceCheck,
)


def test_punctuation() -> None:
    assert fails(PunctuationCheck, "Are you sure?", "Está segura?")
    assert passes(PunctuationCheck, "Are you sure? Yes!", "¿Está segura? ¡Sí!")
    assert fails(PunctuationCheck, "Sure?", "Sûre?", "fr")
    assert passes(PunctuationCheck, "Sure?", "Sûre\u202f?", "fr")
    assert passes(PunctuationCheck, "“Yes”", "«\u202foui\u202f»", "fr")
    assert fails(PunctuationCheck, "Done. Next.", "完成. 下一步.", "zh_CN")
    assert passes(PunctuationCheck, "Version 1.5", "版本 1.5", "zh_CN")
    assert passes(PunctuationCheck, ":?.!", ":?.!")


def test_whitespace() -> None:
    assert fails(WhitespaceCheck, " By x ", "Por x")
    assert passes(WhitespaceCheck, "Name", "Nombre ")
    assert passes(WhitespaceCheck, ", ", "，", "zh_CN")
    unit = Unit("Take it", "Tómelo  ya", locale="es")
    assert list(WhitespaceCheck().run(unit, CheckContext(options={"whitespace.collapse": False})))


def test_brackets_and_quotes() -> None:
    assert fails(BracketsCheck, "(a)", "(a")
    assert passes(BracketsCheck, "“a”", "„a“", "de")
    assert passes(BracketsCheck, "“a”", "„a”", "pl")
    assert passes(BracketsCheck, "a) first b) second", "a) primero b) segundo")
    assert fails(BracketsCheck, "He said “stop”", "Dijo “pare")


def test_length_and_repeats() -> None:
    long = "Women who take aspirin daily may reduce their risk of ovarian cancer by 20 percent."
    assert fails(LengthCheck, long, "Mujeres.")
    assert passes(LengthCheck, "OK", "De acuerdo, entendido")
    assert fails(RepeatedWordsCheck, "risk of cancer", "riesgo de de cáncer")
    assert passes(RepeatedWordsCheck, "the woman who", "die Frau, die die Studie", "de")
    assert passes(RepeatedWordsCheck, "that that", "que que")


def test_completeness() -> None:
    assert fails(UntranslatedCheck, "Take it.", "")
    assert fails(FuzzyCheck, "Take it.", "Tómelo.", fuzzy=True)
    assert passes(FuzzyCheck, "Take it.", "Tómelo.")
    assert fails(UnchangedCheck, "Take it with food.", "Take it with food.")
    assert passes(UnchangedCheck, "Normal", "Normal")
    assert passes(UnchangedCheck, "National Cancer Institute", "National Cancer Institute", "fr")


def test_consistency() -> None:
    units = [
        Unit("Do not take it with food.", "No lo tome con comida.", locale="es", article="a", line=1),
        Unit("Do not take it with food.", "No lo ingiera con alimentos.", locale="es", article="b", line=1),
        Unit("Do not take it with food.", "Ne le prenez pas.", locale="fr", article="b", line=1),
    ]
    assert len(list(ConsistencyCheck().run_all(units, CheckContext()))) == 1
    plural = [
        Unit("%(n)s days ago in total", "hace %(n)s día", locale="es", article="a", line=5),
        Unit("%(n)s days ago in total", "hace %(n)s días", locale="es", article="a", line=5),
    ]
    assert not list(ConsistencyCheck().run_all(plural, CheckContext()))
