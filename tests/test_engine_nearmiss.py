"""Spelling corrections by near misses, against Debian's real hunspell dictionaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from medloc.engines.nearmiss import AffixHints, near_misses
from medloc.engines.spelling import DICTIONARY_DIR, open_speller


def _speller(locale: str):  # type: ignore[no-untyped-def]
    speller, status = open_speller(locale)
    assert speller is not None, status.detail
    return speller


@pytest.mark.parametrize(("locale", "word", "expected"), [
    ("de", "Qualittsvereinbarung", "Qualitätsvereinbarung"),  # umlaut lost to a wrong encoding
    ("de", "Gegenstnden", "Gegenständen"),
    ("es", "agüa", "agua"),  # wrong accent
    ("es", "Agüa", "Agua"),  # case follows the word
    ("fr", "hopital", "hôpital"),  # accent left out
    ("fr", "médicamnt", "médicament"),  # letter left out
    ("en", "recieve", "receive"),  # letters swapped
    ("en", "medecine", "medicine"),  # wrong letter
    ("en", "theirown", "their own"),  # two words run together
    ("en", "Decentralised", "Decentralized"),
])
def test_the_correction_a_reviewer_expects_is_offered(locale: str, word: str, expected: str) -> None:
    assert expected in _speller(locale).suggest(word)


def test_no_junk_from_inserted_hyphens_or_apostrophes() -> None:
    """hunspell accepts any two known fragments joined by a hyphen: never offered as corrections."""
    for word in ("medecine", "reperfusion", "determinator"):
        assert not [s for s in _speller("en").suggest(word) if "-" in s or "'" in s]


def test_words_with_no_near_miss_get_no_suggestion_and_the_limit_holds() -> None:
    speller = _speller("en")
    assert speller.suggest("olaparib") == ()  # hunspell's n-gram guess was "parabola"
    assert speller.suggest("x" * 25) == ()  # codes and long compounds: not attempted
    assert len(near_misses("cat", lambda w: True, AffixHints(), limit=3)) == 3


def test_tiers_order_the_candidates() -> None:
    """An accent fix outranks a letter change: both are known words here, the accent comes first."""
    known = {"café", "safe"}.__contains__
    assert near_misses("cafe", known, AffixHints("esé", ()), limit=3) == ["café", "safe"]
    assert near_misses("cafe", known, AffixHints("esé", ()), limit=1) == ["café"]  # stops after a tier


def test_affix_hints_read_the_declared_encoding_and_rep_table(tmp_path: Path) -> None:
    aff = tmp_path / "xx_XX.aff"
    aff.write_bytes("SET ISO8859-1\nTRY eaéç-'.\nREP 2\nREP f ph\nREP ^ss$ ß\n".encode("latin-1"))
    hints = AffixHints.read(aff)
    assert hints.try_letters == "eaéç"
    assert hints.replacements == (("f", "ph"), ("ss", "ß"))
    real = AffixHints.read(DICTIONARY_DIR / "de_DE.aff")
    assert "ä" in real.try_letters and real.try_letters.startswith("esijanrt")
