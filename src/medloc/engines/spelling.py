"""The only module that imports hunspell: spell checking of segments with Debian's dictionaries.

Choice: the `hunspell` binding (pyhunspell, built against libhunspell-dev) over spylls (pure
Python). On this machine pyhunspell looks up ~1,000,000 words/s and loads en_US in 25 ms; spylls
did ~66,000 words/s and took 0.6 s to load, with the same verdicts on our words. Both read the
same .dic/.aff files, so swapping back costs one module.

Layers for English: en_US + hunspell-en-med (90,000 medical words, same affix flags) + the project
word list (`qa.word_list`: drug names, acronyms, brand names) + the glossary's approved source terms
and do-not-translate terms. For a target locale: its dictionary + the word list + the glossary's
approved translations for that locale + do-not-translate terms. A dictionary that is missing is a
status naming the file and the Debian package, never a silent pass; Chinese, Japanese and Korean
are not applicable (no spaces between words: hunspell cannot tokenise them).

Tokens skipped: markup, code, URLs, e-mail addresses, numbers and words with digits ("COVID-19",
"B12"), all-caps acronyms of up to 5 letters ("NCI", "EGFR"), single letters. Verdicts are cached
per word, suggestions per word too (near misses, `nearmiss.py`, asked only for bad words).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import hunspell

from medloc.engines import nearmiss
from medloc.engines.memo import EngineMemo, fingerprint, source_digest
from medloc.engines.nearmiss import AffixHints, near_misses
from medloc.engines.status import EngineStatus, State
from medloc.engines.text import plain_text, skipped_spans

ENGINE = "hunspell"
DICTIONARY_DIR = Path("/usr/share/hunspell")
# language -> (dictionary base name, Debian package)
DICTIONARIES: dict[str, tuple[str, str]] = {
    "en": ("en_US", "hunspell-en-us"),
    "es": ("es_ES", "hunspell-es"),
    "fr": ("fr_FR", "hunspell-fr"),
    "de": ("de_DE", "hunspell-de-de"),
}
# Extra word lists layered on a language's dictionary: (file, Debian package).
EXTRA_DICTIONARIES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (("en_med_glut.dic", "hunspell-en-med"),),
}
NOT_APPLICABLE = {"zh": "Chinese", "ja": "Japanese", "ko": "Korean", "th": "Thai"}

_TOKEN_RE = re.compile(r"[\w'’\-\u2010\u2011]+")
_EDGE = "'’-\u2010\u2011"
_HYPHENS_RE = re.compile(r"[\-\u2010\u2011]")
_MAX_SUGGESTIONS = 3


@dataclass(frozen=True, slots=True)
class Misspelling:
    """A word hunspell does not know (as read, without markup); `start:end` indexes the original text."""

    start: int
    end: int
    word: str


@dataclass
class Speller:
    """One locale's layered dictionary with a per-word cache."""

    locale: str
    dictionary: Path
    extras: tuple[Path, ...] = ()
    words: frozenset[str] = frozenset()
    memo: EngineMemo = field(default_factory=EngineMemo, repr=False)
    _hunspell: hunspell.HunSpell = field(init=False, repr=False)
    _hints: AffixHints = field(init=False, repr=False)
    _namespace: str = field(init=False, repr=False)
    _known: dict[str, bool] = field(default_factory=dict, init=False, repr=False)
    _suggestions: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._hunspell = hunspell.HunSpell(str(self.dictionary), str(self.dictionary.with_suffix(".aff")))
        for extra in self.extras:
            self._hunspell.add_dic(str(extra))
        for word in self.words:
            self._hunspell.add(word)
        self._hints = AffixHints.read(self.dictionary.with_suffix(".aff"))
        files = [self.dictionary, self.dictionary.with_suffix(".aff"), *self.extras]
        vocabulary = hashlib.blake2b("\n".join(sorted(self.words)).encode(), digest_size=8).hexdigest()
        self._namespace = "suggest " + fingerprint(
            *[(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files], vocabulary,
            source_digest(nearmiss.__file__), _MAX_SUGGESTIONS,
        )

    def known(self, word: str) -> bool:
        """Whether the word is spelled right (cached; tries the straight apostrophe too)."""
        verdict = self._known.get(word)
        if verdict is None:
            verdict = self._spelled(word)
            if not verdict and "’" in word:
                verdict = self._hunspell.spell(word.replace("’", "'"))
            self._known[word] = verdict
        return verdict

    def suggest(self, word: str) -> tuple[str, ...]:
        """Corrections one edit away (see `nearmiss`: ~2 ms a word where hunspell's own suggest
        takes 40-180 ms); cached per word. Callers still skip names (`likely_name`). Very long
        words are compounds or codes: no suggestion."""
        if len(word) > 20:
            return ()
        found = self._suggestions.get(word)
        if found is None:
            [answer] = self.memo.through(
                self._namespace, [word], lambda words: [near_misses(words[0], self._spelled, self._hints,
                                                                    _MAX_SUGGESTIONS)])
            found = self._suggestions[word] = tuple(answer)
        return found

    def _spelled(self, word: str) -> bool:
        """Uncached verdict for suggestion candidates (thousands a word: not worth keeping)."""
        return word in self.words or bool(self._hunspell.spell(word))

    def check(self, text: str) -> list[Misspelling]:
        """Misspelled words of one segment (HTML fragment, Markdown or plain text)."""
        skipped = skipped_spans(text)
        if skipped:
            chars = list(text)
            for start, end in skipped:
                chars[start:end] = " " * (end - start)
            plain = plain_text("".join(chars))
        else:
            plain = plain_text(text)
        found: list[Misspelling] = []
        for match in _TOKEN_RE.finditer(plain.text):
            token = match.group()
            stripped = token.strip(_EDGE)
            if not stripped:
                continue
            offset = match.start() + token.index(stripped)
            for word, start in _parts(stripped, offset, self.known):
                if _skip(word) or self.known(word) or _skip_possessive(word, self.known):
                    continue
                span = plain.span(start, start + len(word))
                found.append(Misspelling(span[0], span[1], word))
        return found

    def check_many(self, texts: Sequence[str]) -> list[list[Misspelling]]:
        """Batch form for the runner: one list per text, in order."""
        return [self.check(text) for text in texts]


def likely_name(text: str, start: int, word: str, locale: str) -> bool:
    """An unknown capitalised word inside a sentence is nearly always a name (a drug, a researcher,
    a town): asking hunspell to correct it costs most of a cold run's spelling time for nothing.
    Not for German, where every noun is capitalised, nor at the start of a sentence."""
    if not word[:1].isupper() or locale.lower().startswith("de"):
        return False
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in ".!?:;¿¡>\"“«(["


def _parts(word: str, offset: int, known: object) -> list[tuple[str, int]]:
    """The word itself, or its hyphen-separated parts when hunspell does not know the compound."""
    if not _HYPHENS_RE.search(word) or known(word):  # type: ignore[operator]
        return [(word, offset)]
    parts: list[tuple[str, int]] = []
    position = 0
    for piece in _HYPHENS_RE.split(word):
        if piece:
            parts.append((piece, offset + position))
        position += len(piece) + 1
    return parts


def _skip_possessive(word: str, known: object) -> bool:
    """"NCI's", "Trabert’s": a possessive is right when what it is attached to is."""
    if len(word) > 2 and word[-2] in "'’" and word[-1] in "sS":
        base = word[:-2]
        return _skip(base) or bool(known(base))  # type: ignore[operator]
    return False


def _skip(word: str) -> bool:
    if len(word) < 2 or "_" in word or any(c.isdigit() for c in word):
        return True
    letters = [c for c in word if c.isalpha()]
    return len(letters) <= 5 and all(c.isupper() for c in letters)


def dictionary_for(locale: str, directory: Path = DICTIONARY_DIR) -> tuple[Path, str]:
    """The .dic file for a locale (its own region first, then the language's default) and its package."""
    language = locale.replace("-", "_").split("_")[0].lower()
    base, package = DICTIONARIES.get(language, (language, f"hunspell-{language}"))
    regional = directory / f"{locale.replace('-', '_')}.dic"
    if "_" in locale.replace("-", "_") and regional.is_file():
        return regional, package
    return directory / f"{base}.dic", package


def read_word_list(path: Path) -> list[str]:
    """Words of the project word list: one word or phrase a line, `#` starts a comment."""
    if not path.is_file():
        return []
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        words.extend(w.strip(_EDGE + ".,;:()") for w in line.split())
    return [w for w in words if w]


def open_speller(
    locale: str, words: Iterable[str] = (), directory: Path = DICTIONARY_DIR, *,
    memo: EngineMemo | None = None,
) -> tuple[Speller | None, EngineStatus]:
    """A speller for `locale`, or None with a status saying exactly what is missing and how to fix it."""
    language = locale.replace("-", "_").split("_")[0].lower()
    if language in NOT_APPLICABLE:
        detail = f"hunspell needs spaces between words; {NOT_APPLICABLE[language]} is not checked"
        return None, EngineStatus("spelling", locale, State.NOT_APPLICABLE, ENGINE, detail)
    dic, package = dictionary_for(locale, directory)
    missing = [(dic, package)] if not dic.is_file() or not dic.with_suffix(".aff").is_file() else []
    extras = [(directory / name, pkg) for name, pkg in EXTRA_DICTIONARIES.get(language, ())]
    missing += [(path, pkg) for path, pkg in extras if not path.is_file()]
    if missing:
        detail = "; ".join(f"dictionary {path} missing; apt-get install {pkg}" for path, pkg in missing)
        return None, EngineStatus("spelling", locale, State.UNAVAILABLE, ENGINE, detail)
    vocabulary = frozenset(w for w in words if w and not _skip(w))
    speller = Speller(locale, dic, tuple(path for path, _ in extras), vocabulary, memo or EngineMemo())
    return speller, EngineStatus("spelling", locale, State.CHECKED, ENGINE, str(dic))
