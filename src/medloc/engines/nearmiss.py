"""Spelling corrections by near misses: the words one edit away that the dictionary knows.

Why not `hunspell.suggest`: it costs 40-180 ms a word here (it walks the compound and n-gram
stages up to its 50 ms time limit, longer for French), which made suggestions 30 % of a cold QA
run. The corrections worth showing a translator are nearly always one edit away — a lost accent
or umlaut ("Qualittsvereinbarung", "agüa"), two letters swapped, one letter missing, extra or
wrong, two words run together — and finding those takes a few thousand dictionary look-ups at
~1 µs each. The n-gram guesses we give up are the ones reviewers ignore ("olaparib" → "parabola").

The edits follow hunspell's own near-miss stage and read the same .aff data: its REP table
(typical misspellings, "f" → "ph") and its TRY string (the language's letters, most frequent
first), so candidates come out in the order hunspell would try them. Tiers run from the most to
the least likely edit and stop once enough corrections are found.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ENGLISH_LETTERS = "etaoinshrdlcumwfgypbvkjxqz"
_LOST_ACCENTS = 5  # accented letters tried as lost ones: fr é à è ê ç, de ä ü ö ß, es ó í á é ñ
_FREQUENT_LETTERS = 24


@dataclass(frozen=True)
class AffixHints:
    """What the suggester reads from a dictionary's .aff file."""

    try_letters: str = ENGLISH_LETTERS
    replacements: tuple[tuple[str, str], ...] = ()

    @classmethod
    def read(cls, aff: Path) -> AffixHints:
        """TRY and REP from an .aff file (in its declared SET encoding; unreadable lines ignored).
        TRY keeps letters only: a hyphen or apostrophe inserted makes hunspell accept any two
        known fragments ("med-cine")."""
        raw = aff.read_bytes()
        encoding = "utf-8"
        for line in raw.splitlines()[:50]:
            if line.startswith(b"SET "):
                encoding = line[4:].strip().decode("ascii", "replace") or encoding
                break
        try:
            text = raw.decode(encoding, "replace")
        except LookupError:
            text = raw.decode("latin-1")
        letters, replacements = "", []
        for line in text.splitlines():
            fields = line.split()
            if len(fields) >= 2 and fields[0] == "TRY":
                letters = fields[1]
            elif len(fields) >= 3 and fields[0] == "REP":
                old, new = (f.replace("_", " ") for f in fields[1:3])
                replacements.append((old.strip("^$"), new))
        letters = "".join(c for c in dict.fromkeys(letters.lower()) if c.isalpha())
        return cls(letters or ENGLISH_LETTERS, tuple(r for r in replacements if r[0]))


def near_misses(word: str, known: Callable[[str], bool], hints: AffixHints, limit: int = 3) -> list[str]:
    """Up to `limit` known words one edit from `word`, most likely first (case follows `word`)."""
    found: list[str] = []
    seen = {word}
    for tier in (_accents, _replacements, _swaps, _deletions, _substitutions, _insertions, _splits):
        for candidate in tier(word, hints):
            if candidate in seen:
                continue
            seen.add(candidate)
            if all(known(part) for part in candidate.split(" ")):
                found.append(candidate)
        if len(found) >= limit:
            break
    return found[:limit]


def _base(letter: str) -> str:
    return unicodedata.normalize("NFD", letter)[0].lower()


def _accents(word: str, hints: AffixHints) -> Iterator[str]:
    """The same letter with another accent ("agüa" → "agua"), or an accented vowel that was lost
    ("Qualittsvereinbarung" → "Qualitätsvereinbarung": text that went through a wrong encoding)."""
    accented = [c for c in hints.try_letters if _base(c) != c][:_LOST_ACCENTS]
    for i, letter in enumerate(word):
        for other in hints.try_letters:
            if other != letter.lower() and _base(other) == _base(letter):
                yield word[:i] + _same_case(other, letter) + word[i + 1:]
    for i in range(1, len(word)):
        for letter in accented:
            yield word[:i] + letter + word[i:]


def _replacements(word: str, hints: AffixHints) -> Iterator[str]:
    for old, new in hints.replacements:
        start = word.find(old)
        while start != -1:
            yield word[:start] + new + word[start + len(old):]
            start = word.find(old, start + 1)


def _swaps(word: str, hints: AffixHints) -> Iterator[str]:
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            yield word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _deletions(word: str, hints: AffixHints) -> Iterator[str]:
    for i in range(len(word)):
        yield word[:i] + word[i + 1:]


def _plain_letters(hints: AffixHints) -> str:
    """TRY's most frequent unaccented letters: accents are the first tier's job, and the rare
    letters (q, x, w, k, j in Romance languages) are seldom the one a typist dropped; this keeps
    the two costliest tiers to about half the TRY alphabet (a French look-up costs ~25 µs)."""
    return "".join(c for c in hints.try_letters if _base(c) == c)[:_FREQUENT_LETTERS]


def _substitutions(word: str, hints: AffixHints) -> Iterator[str]:
    letters = _plain_letters(hints)
    for i, letter in enumerate(word):
        for other in letters:
            if other != letter.lower():
                yield word[:i] + _same_case(other, letter) + word[i + 1:]


def _insertions(word: str, hints: AffixHints) -> Iterator[str]:
    letters = _plain_letters(hints)
    for i in range(len(word) + 1):
        for letter in letters:
            yield word[:i] + letter + word[i:]


def _splits(word: str, hints: AffixHints) -> Iterator[str]:
    """Two words run together ("theirown"): offered when both halves are words of 2+ letters."""
    for i in range(2, len(word) - 1):
        yield word[:i] + " " + word[i:]


def _same_case(letter: str, like: str) -> str:
    return letter.upper() if like.isupper() else letter
