"""Translation progress per catalog: entries and source words, as translate-toolkit's pocount counts.

Words are counted in the visible source text (inline tags and character references removed), since
that is what a translator translates and what a translation budget is measured in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from medloc.po import Entry

_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&#?\w+;")


def words(text: str) -> int:
    return len(_ENTITY.sub(" ", _TAG.sub(" ", text)).split())


@dataclass(frozen=True, slots=True)
class Counts:
    translated: int = 0
    translated_words: int = 0
    fuzzy: int = 0
    fuzzy_words: int = 0
    untranslated: int = 0
    untranslated_words: int = 0
    obsolete: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def total_words(self) -> int:
        return self.translated_words + self.fuzzy_words + self.untranslated_words

    @property
    def percent(self) -> float:
        """Share of source words translated (0 for an empty catalog)."""
        return round(100.0 * self.translated_words / self.total_words, 1) if self.total_words else 0.0

    def to_dict(self) -> dict[str, int | float]:
        return {**asdict(self), "total": self.total, "total_words": self.total_words, "percent": self.percent}


def count_entries(entries: Iterable[Entry]) -> Counts:
    """Count active entries as translated / fuzzy / untranslated; obsolete ones only by number."""
    t = tw = f = fw = u = uw = o = 0
    for e in entries:
        if e.obsolete:
            o += 1
            continue
        n = words(e.msgid)
        if e.translated:
            t, tw = t + 1, tw + n
        elif e.fuzzy and e.translations():
            f, fw = f + 1, fw + n
        else:
            u, uw = u + 1, uw + n
    return Counts(t, tw, f, fw, u, uw, o)
