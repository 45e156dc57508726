"""Translation memory: exact and fuzzy matches across every article's catalog and imported TMX.

Why an index and not `rapidfuzz.process.extractOne` over everything: a project of 1,000 articles
holds tens of thousands of paragraphs, and scoring each changed paragraph against all of them costs
~0.1 s. Candidates are first narrowed with a word index (shared rare words) and a length bound that
no match above the threshold can violate, then scored exactly with rapidfuzz's normalized Indel
similarity (the same measure as difflib's ratio, which Babel and msgmerge-like tools use).

The number-drift guard lives here too: a suggestion whose source carries other numbers than the new
source ("Take 500 mg" offered for "Take 250 mg") is marked, because its translation carries the old
numbers and a quick "looks right" review would publish a wrong dose.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz

_WORD = re.compile(r"\w{3,}")
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&#?\w+;")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d+)*")
MAX_CANDIDATES = 30


@dataclass(frozen=True, slots=True)
class Unit:
    """One source/target pair for one locale; `origin` says where it came from (PO path or TMX)."""

    source: str
    target: str
    locale: str
    origin: str = ""
    tuid: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A TM or in-file suggestion for a new source text."""

    source: str
    target: str
    score: float
    origin: str
    drift: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # (new numbers, suggested numbers)

    @property
    def exact(self) -> bool:
        return self.score >= 100.0


class MemoryLookup(Protocol):
    """What a merge asks of a translation memory (`TranslationMemory`, or one loaded on demand)."""

    def lookup(
        self, source: str, locale: str, threshold: float = 75.0, exclude_origin: str | None = None
    ) -> Match | None: ...


def numbers(text: str) -> tuple[str, ...]:
    """Numbers in a segment's visible text (tags and character references removed), in order."""
    visible = _ENTITY.sub(" ", _TAG.sub(" ", text))
    return tuple(_NUMBER.findall(visible))


def number_drift(new_source: str, suggested_source: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(numbers in the new source, numbers in the suggestion's source) when they differ, else None.

    Compared as multisets: reordering the same numbers is not drift, a changed, added or dropped
    number is.
    """
    new, old = numbers(new_source), numbers(suggested_source)
    if number_values(new) == number_values(old):
        return None
    return new, old


def number_values(found: tuple[str, ...]) -> Counter[str]:
    """Numbers as digit strings, so 1,000 / 1.000 / 1 000 (English, German, French) compare equal."""
    return Counter("".join(ch for ch in n if ch.isdigit()) for n in found)


def language_of(code: str) -> str:
    """Primary language subtag: 'es-419' -> 'es', 'zh_CN' -> 'zh'."""
    return re.split(r"[-_@.]", code, maxsplit=1)[0].lower()


def similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """0..100 similarity (normalized Indel, like difflib's ratio); 0 when below `cutoff`."""
    return fuzz.ratio(a, b, score_cutoff=cutoff)


class TranslationMemory:
    """Units from PO files and TMX, indexed by source text and by words for fuzzy lookup."""

    def __init__(self, units: list[Unit] | None = None) -> None:
        self._by_source: dict[str, list[Unit]] = defaultdict(list)
        self._words: dict[str, set[str]] = defaultdict(set)
        self._by_origin: dict[str, list[Unit]] = defaultdict(list)
        self._members: set[Unit] = set()  # a source's bucket can be long: `in` on it was quadratic
        self._version = 0
        self._cache_version = 0
        self._cache: dict[tuple[str, float], list[str]] = {}
        for unit in units or []:
            self.add(unit)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_source.values())

    def units(self) -> list[Unit]:
        return [u for units in self._by_source.values() for u in units]

    def add(self, unit: Unit) -> None:
        if not unit.source or not unit.target:
            return
        if unit in self._members:
            return
        self._members.add(unit)
        bucket = self._by_source[unit.source]
        if not bucket:
            self._version += 1
            for word in set(_WORD.findall(unit.source.lower())):
                self._words[word].add(unit.source)
        bucket.append(unit)
        self._by_origin[unit.origin].append(unit)

    def remove_origin(self, origin: str) -> None:
        """Forget the units of one file (it changed on disk and is read again)."""
        for unit in self._by_origin.pop(origin, []):
            self._members.discard(unit)
            bucket = self._by_source.get(unit.source)
            if bucket and unit in bucket:
                bucket.remove(unit)
                if not bucket:
                    self._version += 1
                    del self._by_source[unit.source]
                    for word in set(_WORD.findall(unit.source.lower())):
                        self._words[word].discard(unit.source)

    def _targets(self, source: str, locale: str, exclude_origin: str | None) -> list[Unit]:
        units = self._by_source.get(source, [])
        if not units:
            return []
        lang = language_of(locale)
        same = [u for u in units if u.locale == locale and u.origin != exclude_origin]
        if same:
            return same
        return [u for u in units if language_of(u.locale) == lang and u.origin != exclude_origin]

    def lookup(
        self, source: str, locale: str, threshold: float = 75.0, exclude_origin: str | None = None
    ) -> Match | None:
        """Best match for `source` in `locale`: exact (score 100) or fuzzy at or above `threshold`."""
        exact = self._targets(source, locale, exclude_origin)
        if exact:
            return Match(source, exact[0].target, 100.0, exact[0].origin)
        best: Match | None = None
        for candidate in self._candidates(source, threshold):
            units = self._targets(candidate, locale, exclude_origin)
            if not units:
                continue
            score = similarity(source, candidate, cutoff=threshold)
            if score and (best is None or score > best.score):
                drift = number_drift(source, candidate)
                best = Match(candidate, units[0].target, score, units[0].origin, drift)
        return best

    def _candidates(self, source: str, threshold: float) -> list[str]:
        """Sources sharing the most words with `source` whose length allows the threshold.

        Remembered until the memory changes: the four locales of one article ask the same question.
        """
        key = (source, threshold)
        if self._cache_version != self._version:
            self._cache.clear()
            self._cache_version = self._version
        if key in self._cache:
            return self._cache[key]
        n = len(source)
        t = threshold / 100.0
        # ratio = 2*M/(a+b) <= 2*min(a,b)/(a+b): lengths too different can never reach the threshold
        lo, hi = n * t / (2 - t), n * (2 - t) / t
        counts: Counter[str] = Counter()
        for word in set(_WORD.findall(source.lower())):
            posting = self._words.get(word)
            if posting and len(posting) < 2000:  # a word in everything tells nothing apart
                counts.update(posting)
        fitting = [(c, cand) for cand, c in counts.items() if lo <= len(cand) <= hi]
        picked = [cand for _, cand in heapq.nlargest(MAX_CANDIDATES, fitting)]
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = picked
        return picked


def best_in(
    source: str, candidates: dict[str, str], threshold: float
) -> Match | None:
    """Best fuzzy match among a small set of (old source -> translation), e.g. the same PO file."""
    best: Match | None = None
    for old, target in candidates.items():
        score = similarity(source, old, cutoff=threshold)
        if score and (best is None or score > best.score):
            best = Match(old, target, score, "", number_drift(source, old))
    return best
