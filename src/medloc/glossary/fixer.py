"""Rewrite forbidden source variants to the preferred term, keeping form, case, hyphens and markup.

"flesh jumps" becomes "muscle twitches", "FLESH JUMPING" becomes "MUSCLE TWITCHING" and
"Flesh <em>jumping</em>" becomes "Muscle <em>twitching</em>". The grammatical form is read from the
matched head word with lemminflect (jumps = VBZ/NNS of jump) and given to the preferred head word
(twitch → twitches). Nothing inside protected spans is touched (the tokenizer never sees it), and an
approved term that overlaps a forbidden one wins, so a fix never damages correct text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from medloc.glossary.forms import english_forms, english_inflect, english_lemma, english_tags
from medloc.glossary.matcher import Match, Scan, splice, term_layout
from medloc.glossary.terminology import Terminology

_TAG_RE = re.compile(r"<[^<>]*>")


@dataclass(frozen=True, slots=True)
class Change:
    """One rewrite in one text: `before` at `start:end` of the original became `after`."""

    start: int
    end: int
    before: str
    after: str
    concept: str


@dataclass(frozen=True, slots=True)
class FixedText:
    text: str
    changes: tuple[Change, ...]


def fix_text(terms: Terminology, text: str) -> FixedText:
    """Apply every forbidden → preferred rewrite to one segment's text."""
    matcher = terms.source
    parts = matcher.scan(text)
    changes: list[Change] = []
    edits: list[tuple[int, int, str]] = []
    for match in matcher.forbidden(text, parts):
        change = _change(terms, parts, match)
        if change.before != change.after:
            changes.append(change)
            edits.append((match.first, match.last, change.after))
    if not changes:
        matcher.remember(parts)  # hints ask for this very text next
        return FixedText(text, ())
    pieces: list[str] = []
    cursor = 0
    for change in changes:
        pieces.append(text[cursor:change.start])
        pieces.append(change.after)
        cursor = change.end
    pieces.append(text[cursor:])
    fixed = "".join(pieces)
    # Hints and the next stage match the fixed text next: hand them its scan, spliced from ours.
    spliced = splice(parts, edits, fixed)
    if spliced is not None:
        matcher.remember(spliced)
    return FixedText(fixed, tuple(changes))


def prepare(terms: Terminology) -> None:
    """Look up, once per glossary, the lemmas and forms every fix will need (lemminflect).

    Part of compiling the glossary, like the automaton: it loads lemminflect's lexicon (about a second,
    once per process) before the first article instead of in the middle of one, and fills the caches
    `_inflect_like` reads, so a fix costs dictionary lookups.
    """
    for concept in terms.glossary:
        if not concept.forbidden:
            continue
        head = _term_words(concept.term)[0][-1]
        english_tags(head, english_lemma(head))
        for variant in concept.forbidden:
            english_forms(english_lemma(_term_words(variant)[0][-1]))


def _change(terms: Terminology, parts: Scan, match: Match) -> Change:
    concept = terms.concept(match.ref.concept)
    surface = tuple(parts.words(match.first, match.last))
    gaps = () if match.closed else tuple(parts.gaps(match.first, match.last))
    after = replacement(concept.term, match.ref.text, surface, gaps, match.closed)
    return Change(match.start, match.end, parts.text[match.start:match.end], after, concept.id)


@lru_cache(maxsize=65536)
def replacement(term: str, variant_text: str, surface: tuple[str, ...], gaps: tuple[str, ...],
                closed: bool) -> str:
    """The preferred `term` in the form, case and layout of `surface` (a match of `variant_text`).

    A pure function of its arguments, so it is cached: the same calque in the same form and layout
    recurs across articles, and inflecting and re-casing it each time is most of a fix's cost.
    """
    variant = _term_words(variant_text)[0]
    words, separators = (list(part) for part in _term_words(term))
    head = _surface_head(surface[-1], variant, closed)
    words[-1] = _inflect_like(head, variant[-1], words[-1])
    words = _apply_case(list(surface), variant, words)
    if closed:
        return _join(words, separators)
    return _distribute(words, separators, list(gaps))


@lru_cache(maxsize=65536)
def _term_words(term: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A glossary term's words and the separators between them (cached: terms repeat)."""
    return term_layout(term)


def _surface_head(word: str, variant: tuple[str, ...], closed: bool) -> str:
    """The matched form of the variant's last word (for "fleshjumps" that is "jumps")."""
    if not closed:
        return word
    prefix = "".join(variant[:-1]).lower()
    return word[len(prefix):] if word.lower().startswith(prefix) else word


def _inflect_like(surface: str, variant_head: str, preferred_head: str) -> str:
    """Give `preferred_head` the grammatical form `surface` has relative to `variant_head`."""
    if surface.lower() == variant_head.lower() or sum(c.isupper() for c in preferred_head) > 1:
        return preferred_head
    preferred_lemma = english_lemma(preferred_head)
    if preferred_head.lower() != preferred_lemma and "NNS" in english_tags(preferred_head, preferred_lemma):
        return preferred_head  # a plural-only term ("night sweats", "hot flashes") keeps its number
    tags = english_tags(surface, english_lemma(variant_head))
    if not tags:
        return preferred_head
    form = english_inflect(preferred_lemma, tags)
    if form is None:
        return preferred_head
    return form[:1].upper() + form[1:] if preferred_head[:1].isupper() else form


def _apply_case(surface: list[str], variant: tuple[str, ...], words: list[str]) -> list[str]:
    """Carry the surface's capitalisation (ALL CAPS, Title Case, Sentence case) to the replacement."""
    letters = "".join(surface)
    if len(letters) > 1 and letters.isupper() and not "".join(variant).isupper():
        return [w.upper() for w in words]
    if surface[0][:1].isupper() and not variant[0][:1].isupper():
        if len(surface) > 1 and all(w[:1].isupper() for w in surface):
            return [w[:1].upper() + w[1:] if w.islower() else w for w in words]
        first = words[0]
        return [first[:1].upper() + first[1:], *words[1:]]
    return words


def _join(words: list[str], separators: list[str]) -> str:
    out = [words[0]]
    for separator, word in zip(separators, words[1:], strict=True):
        out.append(separator + word)
    return "".join(out)


def _distribute(words: list[str], separators: list[str], gaps: list[str]) -> str:
    """Lay the replacement words over the matched words so tags between them stay where they were.

    Word i goes where matched word i was; extra replacement words join the last slot, and when the
    replacement is shorter, the leftover slots keep only their tags.
    """
    slots = len(gaps) + 1
    if len(words) >= slots:
        per_slot = [[i] for i in range(slots - 1)] + [list(range(slots - 1, len(words)))]
    else:
        per_slot = [[i] for i in range(len(words))] + [[] for _ in range(slots - len(words))]
    out: list[str] = []
    for slot, indexes in enumerate(per_slot):
        for position, index in enumerate(indexes):
            if position:
                out.append(separators[index - 1])
            out.append(words[index])
        if slot < len(gaps):
            gap = gaps[slot]
            following = per_slot[slot + 1]
            if indexes and following:
                own = separators[following[0] - 1]
                tags = "".join(_TAG_RE.findall(gap))
                out.append(gap if own.isspace() or not own else (tags + own if tags else own))
            else:
                out.append("".join(_TAG_RE.findall(gap)))
    return "".join(out)
