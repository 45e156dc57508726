"""Numbers and units/doses, spec-style."""

from __future__ import annotations

from check_helpers import fails, findings, passes

from medloc.checks.doses import UnitsCheck
from medloc.checks.numbers import NumbersCheck
from medloc.checks.quantities import numbers, readings
from medloc.model import Severity

N, U = NumbersCheck, UnitsCheck


def test_changed_dropped_added_numbers() -> None:
    assert fails(N, "500 mg", "50 mg")
    assert fails(N, "Take 2 tablets", "Tome comprimidos")
    assert fails(N, "Take tablets", "Tome 2 comprimidos")
    assert findings(N, "500 mg", "50 mg")[0].severity == Severity.CRITICAL
    assert passes(N, "500 mg", "500 mg")


def test_locale_notation() -> None:
    assert passes(N, "1,000.5 mL", "1.000,5 ml")
    assert passes(N, "1,000.5 mL", "1\u202f000,5 ml", "fr")
    assert passes(N, "1,000.5 mL", "1\u00a0000,5 ml", "fr")
    assert passes(N, "1,000 patients", "1 000 patients", "fr")
    assert passes(N, "12.5%", "12,5 %")
    assert fails(N, "Take 1.5 mg", "Tome 1.500 mg")  # fifteen hundred in Spanish
    assert readings("1.500", "es") == (1500.0,)
    assert 1.5 in readings("1,500", "es") and 1500.0 in readings("1,500", "es")
    assert passes(N, "10 mg", "１０毫克", "zh_CN")
    assert passes(N, "10 mg", "١٠ ملغ", "ar")


def test_ranges_percentages_scales_words() -> None:
    assert passes(N, "5–10 mg", "5-10 mg")
    assert passes(N, "5 to 10 mg", "de 5 a 10 mg")
    assert passes(N, "20 percent", "20 por ciento")
    assert passes(N, "20%", "20 %", "fr")
    assert passes(N, "1.6 million Americans", "1,6 millones de estadounidenses")
    assert passes(N, "1.6 million", "160万", "zh_CN")
    assert fails(N, "1.6 billion", "1,6 billones")  # a Spanish billón is 10^12
    assert passes(N, "two doses", "2 dosis")
    assert passes(N, "2 doses", "dos dosis")
    assert passes(N, "a phase 3 trial", "un estudio de fase III")
    assert passes(N, "Posted: 2014-01-30", "Publicado: 30 de enero de 2014")
    assert passes(N, "6 p.m.", "18 Uhr", "de")


def test_placeholders_and_urls_are_not_numbers() -> None:
    assert passes(N, "%(count)d items", "%(count)d elementos")
    assert passes(N, "See https://x.gov/a1", "Vea https://x.gov/espanol/b2")


def test_units() -> None:
    assert fails(U, "500 mg", "500 g")
    assert fails(U, "500 mcg", "500 mg")
    assert fails(U, "Give 400 IU", "Administre 400")
    assert passes(U, "Give 400 IU", "Administre 400 UI")
    assert passes(U, "400 IU", "400 I.E.", "de")
    assert passes(U, "5 mL", "5 mililitros")
    assert passes(U, "3 times per week", "3 veces por semana")
    assert fails(U, "3 times per week", "3 veces al día")
    assert passes(U, "3 times a week", "3 fois par semaine", "fr")
    assert passes(U, "for 2 weeks", "2 Wochen lang", "de")
    assert fails(U, "for 2 weeks", "2 Tage lang", "de")
    assert passes(U, "5-year survival", "supervivencia a 5 años")
    assert passes(U, "Past 7 days", "Les 7 derniers jours", "fr")
    assert passes(U, "a 20% reduction", "减少20%", "zh_CN")


def test_exact_conversion_is_major() -> None:
    found = findings(U, "Take 1000 mg daily.", "Tome 1 g al día.")
    assert [f.severity for f in found] == [Severity.MAJOR]
    assert passes(N, "Take 1000 mg daily.", "Tome 1 g al día.")  # not double-reported as a number
    assert [f.severity for f in findings(U, "2 weeks", "14 días")] == [Severity.MAJOR]


def test_numbers_parse_units_and_ranges() -> None:
    found = numbers("between 5 and 10 mg/day", "en")
    assert [(n.values[0], n.unit.name if n.unit else None) for n in found] == [(5.0, "mg"), (10.0, "mg")]
