"""Find glossary terms in text: one Aho-Corasick automaton over word classes, whatever the glossary size.

A text is split once (one C-level regex split) into alternating gaps and words, and every part becomes a
code in a "line": a word the fixed-width code of its word class (words with the same key — Snowball stem
of the simplemma lemma — share a class; a word no term uses is one "other" character), a gap nothing, or
`|` when it holds punctuation or a protected span. A term is its words' codes, so one automaton pass
finds every term in every inflected form, in any case, with any hyphen, spacing or inline markup between
its words, never across a barrier, and only on whole words (a code starts with a character of its own
alphabet, so a match can only start and end on a code boundary). Codes are base-16 digits because
pyahocorasick scans a node's children linearly: one character per class would give the root tens of
thousands of children and make the pass ~300 times slower (measured).

Why this shape: per word the work is a dict lookup done by `map` in C (`_Classes`); a spelling's key is
computed once per process, the first time that spelling is seen (`__missing__`). This is the approach
of Weblate's glossary (an automaton over the source string) with word keys instead of lowercase
surfaces, so inflected forms match too (Weblate issue 3023).

This is the only module that imports pyahocorasick: the code layout above is tuned to its internals,
so its automata are built here. Other code calls `TermMatcher`, or `any_of(needles)` for a plain
"does this text contain one of these strings?" test (the terminology check's pre-filter).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import NamedTuple, TypeVar

import ahocorasick

from medloc.glossary.forms import key_function, language_of
from medloc.glossary.model import Role
from medloc.glossary.tokens import is_plain, masked

_ROLE_RANK = {"preferred": 0, "allowed": 1, "forbidden": 2}
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Words (same as `tokens.tokenize`: letters/digits joined by inner apostrophes; one CJK character each),
# captured so `split` returns gap, word, gap, word, ..., gap.
# Possessive quantifiers (nothing follows a word that could make it give characters back): same words,
# less backtracking bookkeeping; the ASCII variant is the same on ASCII text and ~30% faster again.
_SPLIT_RE = re.compile(rf"([^\W_{_CJK}]++(?:['’][^\W_{_CJK}]++)*+|[{_CJK}])")
_ASCII_SPLIT_RE = re.compile(r"([A-Za-z0-9]++(?:'[A-Za-z0-9]++)*+)")
_WORD_START_RE = re.compile(r"[^\W_]")
# What may separate the words of one term: whitespace, hyphens, Markdown emphasis markers.
_BARRIER_RE = re.compile(r"[^\s\-\u2010\u2011*_~]")
_BASE = 16
BARRIER, OTHER = "|", "\x01"
_T = TypeVar("_T")
_MAX_CACHED_GAP = 32  # long gaps (blanked code, long runs of spaces) are rare and not worth keeping


class _Classes(dict[str, str]):
    """Part of a split (a word or a gap) → its code in the line; unseen parts classified on demand.

    Subclassing dict keeps the hot lookup in C (`map(classes.__getitem__, parts)`); only a spelling
    never seen before reaches Python, and its key is computed then and remembered.
    """

    def __init__(self, key: Callable[[str], str], by_key: dict[str, str]) -> None:
        super().__init__()
        self.key = key
        self.by_key = by_key

    def __missing__(self, part: str) -> str:
        if not _WORD_START_RE.match(part):  # a gap ("" between CJK characters included)
            code = BARRIER if _BARRIER_RE.search(part) else ""
            if len(part) <= _MAX_CACHED_GAP:
                self[part] = code
            return code
        folded = part.casefold()  # keys are case-blind: "Flesh" is in the class of "flesh"
        code = self.get(folded) if folded != part else None
        if code is None:
            code = self.by_key.get(self.key(part), OTHER)
        self[part] = code
        return code


def _width(classes: int) -> int:
    width = 1
    while _BASE**width < classes:
        width += 1
    return width


def _class_code(index: int, width: int) -> str:
    """`width` base-16 digits; the first from U+0100.., the others from U+0110.., so codes never overlap."""
    digits = []
    for _ in range(width):
        index, digit = divmod(index, _BASE)
        digits.append(digit)
    return chr(0x100 + digits[0]) + "".join(chr(0x100 + _BASE + d) for d in digits[1:])


@dataclass(frozen=True, slots=True)
class TermRef:
    """One term of one concept, as the automaton knows it."""

    concept: str
    role: Role
    text: str
    locale: str
    exact: tuple[tuple[int, str], ...] = ()  # (word index, spelling) of acronyms matched case-sensitively


class Match(NamedTuple):
    """A term found in text: `start:end` in the text, words `first..last` of the scan.

    A NamedTuple, not a dataclass: thousands are made per second and tuple creation is the cheapest.
    """

    ref: TermRef
    start: int
    end: int
    first: int
    last: int
    closed: bool = False  # matched as a closed compound ("fleshjumping")


@dataclass(slots=True)
class Scan:
    """A text split into parts: `parts[2*i + 1]` is word i, the parts around it the gaps (in the view).

    `plain`: the text has no markup, URL or code, so the view is the text itself (see `splice`).
    """

    text: str
    parts: list[str]
    plain: bool = False
    _offsets: list[int] | None = field(default=None, repr=False)

    @property
    def offsets(self) -> list[int]:
        """`offsets[p]` is where part p starts in the text (computed only when something matched)."""
        if self._offsets is None:
            self._offsets = list(accumulate(map(len, self.parts), initial=0))
        return self._offsets

    def words(self, first: int, last: int) -> list[str]:
        return self.parts[2 * first + 1:2 * last + 2:2]

    def gaps(self, first: int, last: int) -> list[str]:
        """The original text (tags included) between words first..last."""
        offsets, text = self.offsets, self.text
        return [text[offsets[p]:offsets[p + 1]] for p in range(2 * first + 2, 2 * last + 1, 2)]


def scan(text: str, *, markup: bool = True) -> Scan:
    """Split `text` (seen through tags, protected spans blanked to barriers when `markup`)."""
    view = masked(text) if markup else text
    return Scan(text, _split(view), view is text)


def _split(view: str) -> list[str]:
    return (_ASCII_SPLIT_RE if view.isascii() else _SPLIT_RE).split(view)


def splice(before: Scan, edits: list[tuple[int, int, str]], text: str) -> Scan | None:
    """The scan of `text`, made from `before` where words first..last were replaced by each `after`.

    Exact, and much cheaper than scanning again, when the old text had no markup and each `after` is
    plain words and separators: a match starts and ends on a word, so the characters around it are gap
    characters and a split of the new text cuts exactly where the old one did, around the new words.
    Returns None when that does not hold (the caller scans the new text instead).
    """
    if not before.plain:
        return None
    parts = before.parts
    out: list[str] = []
    cursor = 0
    for first, last, after in edits:
        # str.isalnum is the regex's [^\W_] for one character.
        if not (after and after[0].isalnum() and after[-1].isalnum() and is_plain(after)):
            return None
        out.extend(parts[cursor:2 * first + 1])
        out.extend(_split(after)[1:-1])
        cursor = 2 * last + 2
    out.extend(parts[cursor:])
    return Scan(text, out, True)


def term_words(text: str) -> list[str]:
    """The words of a glossary term, split exactly as text is."""
    return _SPLIT_RE.split(text)[1::2]


def term_layout(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A glossary term's words and the separators between them."""
    parts = _SPLIT_RE.split(text)
    return tuple(parts[1::2]), tuple(parts[2:-1:2])


def _acronyms(words: list[str]) -> tuple[tuple[int, str], ...]:
    return tuple((i, w) for i, w in enumerate(words) if sum(c.isupper() for c in w) >= 2)


class TermMatcher:
    """An automaton over the terms of one locale; `find_all`/`find` run it on a text.

    `concepts` (hints) and `forbidden` (the fixer) give the parts of `find` they need, cheaper.
    """

    _RECENT = 512  # texts whose resolved matches are kept (the fixer, then hints per locale, ask again)

    def __init__(self, refs: Iterable[TermRef], locale: str) -> None:
        self.locale = locale
        self.key = key_function(locale)
        closed_ok = language_of(locale) not in ("zh", "ja", "ko")
        index: dict[str, int] = {}  # word key -> class number

        words_seen: set[str] = set()

        def class_of(word: str) -> int:
            words_seen.add(word)
            return index.setdefault(self.key(word), len(index))

        # Class numbers first: the code width depends on how many classes there are.
        by_classes: dict[tuple[int, ...], dict[TermRef, bool]] = {}
        for ref in refs:
            words = term_words(ref.text)
            if not words:
                continue
            ref = TermRef(ref.concept, ref.role, ref.text, ref.locale, _acronyms(words))
            by_classes.setdefault(tuple(map(class_of, words)), {})[ref] = False
            if closed_ok and len(words) > 1 and all(w.isalpha() for w in words) and not ref.exact:
                by_classes.setdefault((class_of("".join(words)),), {}).setdefault(ref, True)
        self.width = width = _width(len(index) or 1)
        codes = [_class_code(i, width) for i in range(len(index))]
        by_key = {key: codes[i] for key, i in index.items()}
        self._classes = _Classes(self.key, by_key)
        # The terms' own spellings are known now; text words are classified as they first appear.
        self._classes.update((word, by_key[self.key(word)]) for word in words_seen)
        self.size = len(by_classes)
        self._automaton = ahocorasick.Automaton()
        for classes, found in by_classes.items():
            pattern = "".join(codes[i] for i in classes)
            # A word that is a term as written and also another term's closed compound is that term: the
            # glossary listed it, the closed reading is a guess. (The old builder meant this too, but
            # got it only when the written term came first in the glossary.)
            entries = [(r, c) for r, c in found.items() if not c] or list(found.items())
            # Matched words are consecutive parts 2 apart (gaps between them), so the span is
            # 2 * (words - 1) parts back from the last word: no second search for the first.
            # The usual pattern has one term and no acronym: (back, size, ref, closed), the hot loops'
            # short path; otherwise (back, size, None, entries).
            back, size = 2 * (len(classes) - 1), len(pattern)
            single = len(entries) == 1 and not entries[0][0].exact
            value = (back, size, *entries[0]) if single else (back, size, None, tuple(entries))
            self._automaton.add_word(pattern, value)
        if self.size:
            self._automaton.make_automaton()
        self._recent: dict[str, list[Match]] = {}
        self._scans: dict[str, Scan] = {}

    def scan(self, text: str) -> Scan:
        """The scan of `text`: one handed over by `remember` (the fixer's output), or a new one."""
        return self._scans.pop(text, None) or scan(text)

    def remember(self, parts: Scan) -> None:
        """Keep the scan of a text that is likely to be matched next (the fixed text, for hints)."""
        _put(self._scans, parts.text, parts, self._RECENT)

    def find_all(self, text: str, parts: Scan | None = None) -> list[Match]:
        """Every occurrence of every term, overlapping ones included (one Match per term)."""
        if not self.size or not text:
            return []
        parts = parts or self.scan(text)
        pieces = parts.parts
        codes = list(map(self._classes.__getitem__, pieces))
        hits = list(self._automaton.iter("".join(codes)))
        if not hits:
            return []
        at = list(accumulate(map(len, codes), initial=0))  # where each part's code starts in the line
        offsets = parts.offsets
        found: list[Match] = []
        append = found.append
        new = tuple.__new__  # a Match without the Python-level NamedTuple constructor (hot loop)
        for end_char, (back, _size, single, rest) in hits:
            end = bisect_right(at, end_char) - 1
            first = end - back
            if single is not None:
                append(new(Match, (single, offsets[first], offsets[end + 1], first >> 1, end >> 1, rest)))
                continue
            for ref, closed in rest:
                if ref.exact and (closed or not _case_ok(ref, pieces, first)):
                    continue
                append(new(Match, (ref, offsets[first], offsets[end + 1], first >> 1, end >> 1, closed)))
        return found

    def concepts(self, text: str) -> list[str]:
        """The concept of each match `find(text)` keeps, in order, without making the matches (hints)."""
        cached = self._recent.get(text)
        if cached is not None:
            return [m.ref.concept for m in cached]
        if not self.size or not text:
            return []
        parts = self.scan(text)
        kept = self._kept(parts)
        if kept is None:
            return [m.ref.concept for m in self.find(text, parts)]
        return [hit[3].concept for hit in kept[0]]

    def forbidden(self, text: str, parts: Scan) -> list[Match]:
        """The forbidden-term matches among those `find(text)` keeps (the fixer's work list)."""
        kept = self._kept(parts) if self.size and text else ([], [])
        if kept is None:
            return [m for m in self.find(text, parts) if m.ref.role == "forbidden"]
        hits, codes = kept
        found: list[Match] = []
        at: list[int] = []
        for _start, end_char, back, ref, closed in hits:
            if ref.role != "forbidden":
                continue
            if not at:
                at = list(accumulate(map(len, codes), initial=0))
            end = bisect_right(at, end_char) - 1
            first = end - back
            offsets = parts.offsets
            found.append(Match(ref, offsets[first], offsets[end + 1], first >> 1, end >> 1, closed))
        return found

    def _kept(self, parts: Scan) -> tuple[list[tuple[int, int, int, TermRef, bool]], list[str]] | None:
        """Leftmost-longest hits (start, end, back, ref, closed in line positions), with the codes.

        Line positions order words as text offsets do, so the hits kept are the ones `find` keeps.
        None when a pattern has several terms or an acronym (ties by role, case checks): ask `find`.
        """
        codes = list(map(self._classes.__getitem__, parts.parts))
        spans: list[tuple[int, int, int, int, TermRef, bool]] = []
        for end_char, (back, size, single, closed) in self._automaton.iter("".join(codes)):
            if single is None:
                return None
            spans.append((end_char - size + 1, -end_char, len(spans), back, single, closed))
        spans.sort()  # leftmost, then longest
        kept: list[tuple[int, int, int, TermRef, bool]] = []
        reach = -1
        for start, neg_end, _, back, ref, closed in spans:
            if start > reach:
                kept.append((start, -neg_end, back, ref, closed))
                reach = -neg_end
        return kept, codes

    def find(self, text: str, parts: Scan | None = None) -> list[Match]:
        """Leftmost-longest matches that do not overlap; on a tie approved terms beat forbidden ones.

        The last few texts' results are kept: the pipeline asks for the same segment from the fixer and
        then once per locale for hints, and a segment the fixer left alone is matched only once.
        """
        cached = self._recent.get(text)
        if cached is None:
            cached = _put(self._recent, text, resolve(self.find_all(text, parts)), self._RECENT)
        return list(cached)


def _put(cache: dict[str, _T], key: str, value: _T, limit: int) -> _T:
    """Insert into a small cache, emptied when full.

    Emptying, not evicting one entry: `clear` and item assignment are atomic under the GIL, so flow
    tasks running in threads can share a Terminology; the entries that matter (a segment asked again a
    moment later) are refilled at once.
    """
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value


def _case_ok(ref: TermRef, parts: list[str], first: int) -> bool:
    """Acronyms ("ALS") only match in their own spelling, so German "als" is not ALS."""
    return all(parts[first + 2 * i].startswith(spelling) for i, spelling in ref.exact)


def resolve(matches: list[Match]) -> list[Match]:
    """Keep the leftmost, then longest, match at each place; drop what overlaps a kept match.

    `find_all` lists matches by end; when none overlaps the next (the usual case) that is already the
    answer, and the sort is skipped.
    """
    reach = -1
    for match in matches:
        if match.start < reach:
            break
        reach = match.end
    else:
        return list(matches)
    keys = [(m.start, m.start - m.end, _ROLE_RANK[m.ref.role], i) for i, m in enumerate(matches)]
    keys.sort()
    kept: list[Match] = []
    reach = -1
    for key in keys:
        if key[0] >= reach:
            match = matches[key[3]]
            kept.append(match)
            reach = match.end
    return kept


def any_of(needles: Iterable[str]) -> Callable[[str], bool] | None:
    """A test "does a text contain one of `needles` (as substrings)?", one automaton pass in C; None
    when there are no needles. Build once per needle set: building costs far more than a test."""
    unique = set(needles)
    if not unique:
        return None
    automaton = ahocorasick.Automaton()
    for needle in unique:
        automaton.add_word(needle, needle)
    automaton.make_automaton()
    return lambda text: next(automaton.iter(text), None) is not None
