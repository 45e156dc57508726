"""A glossary compiled for use: one source automaton, one automaton per target locale, built lazily.

Building an automaton costs far more than running it, so the pipeline, the catalog writer and the QA
checks share one `Terminology` per glossary (see `load_terminology`, cached by file times).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from medloc.glossary.forms import language_of
from medloc.glossary.matcher import TermMatcher, TermRef
from medloc.glossary.model import Concept, Glossary

if TYPE_CHECKING:
    from medloc.config import Settings
    from medloc.glossary.fixer import FixedText
    from medloc.glossary.target import TermIssue


class Terminology:
    """A glossary plus its matchers. Methods are the API other stages call."""

    def __init__(self, glossary: Glossary, source_locale: str = "en") -> None:
        self.glossary = glossary
        self.source_locale = source_locale
        self.concepts = glossary.by_id()
        self._targets: dict[str, TermMatcher] = {}
        # (concept, locale) -> hint line: a concept's hint is the same in every segment it appears in.
        self.hint_lines: dict[tuple[str, str], str] = {}

    def source_refs(self) -> Iterator[TermRef]:
        for c in self.glossary:
            yield TermRef(c.id, "preferred", c.term, self.source_locale)
            for term in c.allowed:
                yield TermRef(c.id, "allowed", term, self.source_locale)
            for term in c.forbidden:
                yield TermRef(c.id, "forbidden", term, self.source_locale)

    @cached_property
    def source(self) -> TermMatcher:
        """Matcher over every source term: preferred, allowed and forbidden variants."""
        return TermMatcher(self.source_refs(), self.source_locale)

    def target(self, locale: str) -> TermMatcher:
        """Matcher over the translations of `locale` (a do-not-translate term stands for itself)."""
        matcher = self._targets.get(locale)
        if matcher is None:
            refs: list[TermRef] = []
            for c in self.glossary:
                if c.dnt:
                    refs.append(TermRef(c.id, "preferred", c.term, locale))
                terms = c.translations.get(locale)
                if terms is None:
                    continue
                refs.extend(TermRef(c.id, "preferred" if i == 0 else "allowed", t, locale)
                            for i, t in enumerate(terms.approved) if t)
                refs.extend(TermRef(c.id, "forbidden", t, locale) for t in terms.forbidden)
            matcher = self._targets[locale] = TermMatcher(refs, locale)
        return matcher

    def prepare(self) -> Terminology:
        """Compile what fixing and hinting need now (source automaton, fixer word forms), not lazily.

        For a run that will fix sources: the cost is paid once, up front, and shows up as build time.
        """
        matcher = self.source
        if matcher.size and language_of(self.source_locale) == "en":
            from medloc.glossary.fixer import prepare

            prepare(self)
        return self

    def concept(self, concept_id: str) -> Concept:
        return self.concepts[concept_id]

    # Convenience methods: the functions live in their own modules.
    def fix(self, text: str) -> FixedText:
        from medloc.glossary.fixer import fix_text

        return fix_text(self, text)

    def hints_for(self, segment_text: str, locale: str) -> list[str]:
        from medloc.glossary.hints import hints_for

        return hints_for(self, segment_text, locale)

    def check_target(self, source: str, target: str, locale: str) -> list[TermIssue]:
        from medloc.glossary.target import check_target

        return check_target(self, source, target, locale)


_CACHE: dict[tuple[str, tuple[tuple[str, int], ...]], Terminology] = {}


def load_terminology(settings: Settings) -> Terminology:
    """The project's glossary (settings.project.glossary_dir), compiled; reloaded when a file changes."""
    from medloc.glossary.load import glossary_files, load_glossary

    location = settings.path(settings.project.glossary_dir)
    files = glossary_files(location) if location.exists() else []
    stamp = tuple((str(p), p.stat().st_mtime_ns) for p in files)
    key = (str(location), stamp)
    cached = _CACHE.get(key)
    if cached is None:
        glossary = load_glossary(location) if files else Glossary()
        cached = Terminology(glossary, settings.project.source_locale)
        _CACHE.clear()
        _CACHE[key] = cached
    return cached


def terminology_from(location: Path | str, source_locale: str = "en") -> Terminology:
    """Compile the glossary at a path (file or folder); used by the CLI and tests."""
    from medloc.glossary.load import load_glossary

    return Terminology(load_glossary(location), source_locale)
