"""Negation preserved, spec-style, in es/fr/de/zh and the idioms that are not negations."""

from __future__ import annotations

import pytest
from check_helpers import fails, findings, passes

from medloc.checks.negation import NegationCheck
from medloc.model import Severity

C = NegationCheck


@pytest.mark.parametrize(
    ("source", "target", "locale"),
    [
        ("Do not take with alcohol.", "No lo tome con alcohol.", "es"),
        ("Never double the dose.", "Nunca duplique la dosis.", "es"),
        ("Take without food.", "Tómelo sin alimentos.", "es"),
        ("Avoid the sun.", "Evite el sol.", "es"),
        ("Do not take with alcohol.", "Ne le prenez pas avec de l'alcool.", "fr"),
        ("It is no longer used.", "Il n’est plus utilisé.", "fr"),
        ("Do not take with alcohol.", "Nicht mit Alkohol einnehmen.", "de"),
        ("There is no cure.", "Es gibt keine Heilung.", "de"),
        ("Do not take with alcohol.", "请勿与酒精同服。", "zh_CN"),
        ("It has not been approved.", "该药尚未获批。", "zh_CN"),
        ("neither aspirin nor ibuprofen", "weder Aspirin noch Ibuprofen", "de"),
    ],
)
def test_kept(source: str, target: str, locale: str) -> None:
    assert passes(C, source, target, locale)


@pytest.mark.parametrize(
    ("source", "target", "locale"),
    [
        ("Do not take with alcohol.", "Tómelo con alcohol.", "es"),
        ("Do not take with alcohol.", "Prenez-le avec de l'alcool.", "fr"),
        ("Do not take with alcohol.", "Mit Alkohol einnehmen.", "de"),
        ("Do not take with alcohol.", "与酒精同服。", "zh_CN"),
        ("Take it daily. Do not stop early.", "Tómelo a diario. Deje el tratamiento pronto.", "es"),
    ],
)
def test_dropped_is_critical(source: str, target: str, locale: str) -> None:
    found = findings(C, source, target, locale)
    assert found and found[0].severity == Severity.CRITICAL


def test_not_negations() -> None:
    assert passes(C, "See No. 5.", "Véase el n.º 5.")
    assert passes(C, "not only adults but also children", "adultos y también niños")
    assert passes(C, "whether or not they smoke", "fumen o dejen el tabaco")
    assert passes(C, "no more than 4 g a day", "como máximo 4 g al día")
    assert passes(C, "a no-cost screening", "una prueba gratuita")
    assert passes(C, "True, False or None", "True, False o None")
    assert passes(C, "None", "-", "de")


def test_unknown_target_language_is_not_checked() -> None:
    assert passes(C, "Do not take.", "Take.", "xx")
    assert fails(C, "Do not take.", "Tome.", "es")
