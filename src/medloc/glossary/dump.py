"""Write a Glossary back as the YAML the loader reads (used by the TBX and TICO-19 importers)."""

from __future__ import annotations

from typing import Any

from medloc import yamlio
from medloc.glossary.model import Concept, Glossary, LocaleTerms


def concept_to_data(concept: Concept) -> dict[str, Any]:
    """The YAML mapping of one concept; empty fields left out so files stay short."""
    data: dict[str, Any] = {"id": concept.id, "term": concept.term}
    if concept.pos != "noun":
        data["pos"] = concept.pos
    if concept.allowed:
        data["allowed"] = list(concept.allowed)
    if concept.forbidden:
        data["forbidden"] = list(concept.forbidden)
    if concept.dnt:
        data["dnt"] = True
    if concept.note:
        data["note"] = concept.note
    if concept.source:
        data["source"] = concept.source
    if concept.examples:
        data["examples"] = [{"wrong": e.wrong, "right": e.right} for e in concept.examples]
    for locale, entry in concept.translations.items():
        data[locale] = _locale_data(entry)
    return data


def _locale_data(entry: LocaleTerms) -> str | dict[str, Any]:
    if not (entry.allowed or entry.forbidden or entry.note):
        return entry.preferred
    data: dict[str, Any] = {"preferred": entry.preferred}
    if entry.allowed:
        data["allowed"] = list(entry.allowed)
    if entry.forbidden:
        data["forbidden"] = list(entry.forbidden)
    if entry.note:
        data["note"] = entry.note
    return data


def dump_yaml(glossary: Glossary) -> str:
    """YAML text for a whole glossary, in concept order, Unicode kept readable."""
    return yamlio.dump([concept_to_data(c) for c in glossary], width=100)
