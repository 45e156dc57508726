"""Translator hints: the glossary terms a segment contains, with their approved translations.

The catalog writer puts each returned line into a `#.` comment of the segment's PO entry, so the
translator sees "muscle twitching → es: espasmos musculares" next to the msgid in Poedit or Weblate.
"""

from __future__ import annotations

from medloc.glossary.terminology import Terminology


def hints_for(terms: Terminology, segment_text: str, locale: str) -> list[str]:
    """One line per concept found in the segment (first occurrence order), for one target locale."""
    lines: list[str] = []
    seen: set[str] = set()
    cache = terms.hint_lines
    for concept_id in terms.source.concepts(segment_text):
        if concept_id in seen:
            continue
        seen.add(concept_id)
        line = cache.get((concept_id, locale))
        if line is None:
            line = cache[concept_id, locale] = format_hint(concept_id, terms, locale)
        lines.append(line)
    return lines


def format_hint(concept_id: str, terms: Terminology, locale: str) -> str:
    """"glossary: muscle twitching → espasmos musculares (also: …; avoid: …)" for one locale."""
    concept = terms.concept(concept_id)
    if concept.dnt:
        return f"glossary: {concept.term} → do not translate, keep \"{concept.term}\""
    entry = concept.translations.get(locale)
    if entry is None or not entry.preferred:
        return f"glossary: {concept.term} → (no approved {locale} translation yet)"
    details = []
    if entry.allowed:
        details.append("also: " + ", ".join(entry.allowed))
    if entry.forbidden:
        details.append("avoid: " + ", ".join(entry.forbidden))
    if entry.note:
        details.append(entry.note)
    tail = f" ({'; '.join(details)})" if details else ""
    return f"glossary: {concept.term} → {entry.preferred}{tail}"
