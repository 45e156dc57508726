"""Find glossary terms in text: one Aho-Corasick automaton over word keys, whatever the glossary size.

Each text is turned into a line of word keys (" key key | key ", `|` marking a barrier) and every
term into the same kind of line, so one automaton pass finds every term in every inflected form, in
any case, with any hyphen/space/markup between its words; the surrounding spaces make matches fall on
word boundaries. This is the approach of Weblate's glossary (an automaton over the source string), with
word keys instead of lowercase surfaces so inflected forms match too (Weblate issue 3023).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

import ahocorasick

from medloc.glossary.forms import key_function, language_of
from medloc.glossary.model import Role
from medloc.glossary.tokens import Tokens, crosses_barrier, tokenize

_ROLE_RANK = {"preferred": 0, "allowed": 1, "forbidden": 2}


@dataclass(frozen=True, slots=True)
class TermRef:
    """One term of one concept, as the automaton knows it."""

    concept: str
    role: Role
    text: str
    locale: str
    exact: tuple[tuple[int, str], ...] = ()  # (word index, spelling) of acronyms matched case-sensitively


@dataclass(frozen=True, slots=True)
class Match:
    """A term found in text: `start:end` in the text, words `first..last` of the tokens."""

    ref: TermRef
    start: int
    end: int
    first: int
    last: int
    closed: bool = False  # matched as a closed compound ("fleshjumping")


def _acronyms(words: list[str]) -> tuple[tuple[int, str], ...]:
    return tuple((i, w) for i, w in enumerate(words) if sum(c.isupper() for c in w) >= 2)


class TermMatcher:
    """An automaton over the terms of one locale; `find_all`/`find` run it on a text."""

    def __init__(self, refs: Iterable[TermRef], locale: str) -> None:
        self.locale = locale
        self.key = key_function(locale)
        self._closed_ok = language_of(locale) not in ("zh", "ja", "ko")
        patterns: dict[str, tuple[int, bool, list[TermRef]]] = {}
        for ref in refs:
            words = tokenize(ref.text, markup=False).words
            if not words:
                continue
            ref = TermRef(ref.concept, ref.role, ref.text, ref.locale, _acronyms(words))
            pattern = " " + " ".join(self.key(w) for w in words) + " "
            patterns.setdefault(pattern, (len(words), False, []))[2].append(ref)
            if self._closed_ok and len(words) > 1 and all(w.isalpha() for w in words) and not ref.exact:
                closed = " " + self.key("".join(words)) + " "
                if closed not in patterns or patterns[closed][1]:
                    patterns.setdefault(closed, (1, True, []))[2].append(ref)
        self.size = len(patterns)
        self._automaton = ahocorasick.Automaton()
        for pattern, (count, closed, found) in patterns.items():
            self._automaton.add_word(pattern, (len(pattern), count, closed, tuple(found)))
        if self.size:
            self._automaton.make_automaton()

    def tokens(self, text: str) -> Tokens:
        return tokenize(text)

    def find_all(self, text: str, tokens: Tokens | None = None) -> list[Match]:
        """Every occurrence of every term, overlapping ones included (one Match per term)."""
        if not self.size or not text:
            return []
        tokens = tokens or tokenize(text)
        key = self.key
        parts = [" " + key(w) for w in tokens.words]
        offsets = list(accumulate(map(len, parts), initial=0))
        line = "".join(parts) + " "
        found: list[Match] = []
        for end_index, (size, count, closed, refs) in self._automaton.iter(line):
            first = bisect_left(offsets, end_index - size + 1)
            last = first + count - 1
            if count > 1 and crosses_barrier(tokens, first, last):
                continue
            for ref in refs:
                if ref.exact and not self._case_ok(ref, tokens, first, closed):
                    continue
                found.append(Match(ref, tokens.starts[first], tokens.ends[last], first, last, closed))
        return found

    @staticmethod
    def _case_ok(ref: TermRef, tokens: Tokens, first: int, closed: bool) -> bool:
        if closed:
            return False
        return all(tokens.words[first + i].startswith(spelling) for i, spelling in ref.exact)

    def find(self, text: str, tokens: Tokens | None = None) -> list[Match]:
        """Leftmost-longest matches that do not overlap; on a tie approved terms beat forbidden ones."""
        return resolve(self.find_all(text, tokens))


def resolve(matches: list[Match]) -> list[Match]:
    """Keep the leftmost, then longest, match at each place; drop what overlaps a kept match."""
    ordered = sorted(matches, key=lambda m: (m.start, -(m.end - m.start), _ROLE_RANK[m.ref.role]))
    kept: list[Match] = []
    reach = -1
    for match in ordered:
        if match.start >= reach:
            kept.append(match)
            reach = match.end
    return kept
