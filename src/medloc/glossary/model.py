"""The glossary as plain data: concepts, their source terms and per-locale translations.

Kept free of third-party imports so loaders (YAML, TBX, TICO-19) produce the same values and every
other module (matching, fixing, hints, QA) can be tested on glossaries built in a test.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["preferred", "allowed", "forbidden"]


@dataclass(frozen=True, slots=True)
class Example:
    """A sentence an MT engine really produced (`wrong`) and what the fixer must turn it into (`right`).

    When `right` equals `wrong` the example documents text the fixer must leave alone.
    """

    wrong: str
    right: str


@dataclass(frozen=True, slots=True)
class LocaleTerms:
    """Approved and rejected translations of one concept in one locale."""

    preferred: str
    allowed: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    note: str = ""

    @property
    def approved(self) -> tuple[str, ...]:
        return (self.preferred, *self.allowed) if self.preferred else self.allowed


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept: the English term editors should write, its rejected variants, its translations.

    `dnt` (do not translate) means the source term must appear unchanged in every translation.
    `path`/`line` say where the entry was defined so lint and errors can point at it.
    """

    id: str
    term: str
    pos: str = "noun"
    allowed: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    translations: Mapping[str, LocaleTerms] = field(default_factory=dict)
    dnt: bool = False
    note: str = ""
    source: str = ""
    examples: tuple[Example, ...] = ()
    path: str = ""
    line: int | None = None

    def where(self) -> str:
        if self.path and self.line is not None:
            return f"{self.path}:{self.line}"
        return self.path or "(glossary)"


@dataclass(frozen=True, slots=True)
class Glossary:
    """All concepts, in file order. Lookups by id go through `by_id` (first definition wins)."""

    concepts: tuple[Concept, ...] = ()

    def __iter__(self) -> Iterator[Concept]:
        return iter(self.concepts)

    def __len__(self) -> int:
        return len(self.concepts)

    def by_id(self) -> dict[str, Concept]:
        index: dict[str, Concept] = {}
        for concept in self.concepts:
            index.setdefault(concept.id, concept)
        return index

    def locales(self) -> list[str]:
        seen: dict[str, None] = {}
        for concept in self.concepts:
            for locale in concept.translations:
                seen.setdefault(locale, None)
        return list(seen)
