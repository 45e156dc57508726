"""Import the TICO-19 term lists (CSV per language pair, or the merged TSV) as glossary concepts.

TICO-19's terms were translated by professional translators for COVID-19 health content; importing
them gives reviewed starting points (`source: TICO-19 ...`), which a terminologist then edits: the
lists have known quirks (capitalised sentence-initial translations, singular/plural changes).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from medloc.glossary.model import Concept, Glossary, LocaleTerms
from medloc.model import MedlocError

_POS = {"noun": "noun", "verb": "verb", "adjective": "adjective", "adverb": "adverb",
        "proper noun": "proper noun", "abbreviation": "abbreviation"}


def tico_locale(code: str) -> str:
    """TICO codes to medloc locales: es_XX/es-419 → es, fr-FR → fr, de_DE → de, zh-CN → zh_CN."""
    code = code.strip().replace("-", "_")
    language, _, region = code.partition("_")
    if language == "zh":
        return "zh_" + (region.upper() or "CN")
    return language.lower()


def import_tico(paths: Iterable[Path | str], locales: list[str] | None = None) -> Glossary:
    """Merge TICO-19 files into one glossary: one concept per English term, first translation preferred."""
    rows: list[tuple[str, str, str, str, str, str]] = []  # term, locale, translation, pos, note, origin
    for path in paths:
        rows.extend(_read(Path(path)))
    wanted = set(locales) if locales else None
    order: dict[str, dict] = {}
    for term, locale, translation, pos, note, origin in rows:
        if wanted is not None and locale not in wanted:
            continue
        entry = order.setdefault(term.casefold(),
                                 {"term": term, "pos": pos, "note": note, "origins": [], "tr": {}})
        if origin not in entry["origins"]:
            entry["origins"].append(origin)
        entry["pos"] = entry["pos"] if entry["pos"] != "noun" else pos
        entry["note"] = entry["note"] or note
        entry["tr"].setdefault(locale, [])
        if translation and translation not in entry["tr"][locale]:
            entry["tr"][locale].append(translation)
    concepts: list[Concept] = []
    used: set[str] = set()
    for entry in order.values():
        term = entry["term"]
        concept_id = _unique("tico-" + (re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-") or "term"), used)
        translations = {loc: LocaleTerms(found[0], tuple(found[1:])) for loc, found in entry["tr"].items()
                        if found}
        concepts.append(Concept(concept_id, term, entry["pos"], translations=translations,
                                note=entry["note"], source="TICO-19 " + "+".join(entry["origins"])))
    return Glossary(tuple(concepts))


def _unique(base: str, used: set[str]) -> str:
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    used.add(candidate)
    return candidate


def _read(path: Path) -> list[tuple[str, str, str, str, str, str]]:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MedlocError(f"cannot read TICO-19 file: {exc}", path=name) from exc
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise MedlocError("empty TICO-19 file", path=name, line=1)
    columns = [h.strip() for h in header]
    rows: list[tuple[str, str, str, str, str, str]] = []
    if "sourceString" in columns and "targetString" in columns:
        origin = "google" if "pos" in columns else "facebook"
        index = {c: i for i, c in enumerate(columns)}
        for number, row in enumerate(reader, 2):
            if not row:
                continue
            if len(row) != len(columns):
                raise MedlocError(f"{len(row)} columns, the header has {len(columns)}",
                                  path=name, line=number)
            term = row[index["sourceString"]].strip()
            if not term and not row[index["targetString"]].strip():
                continue  # padding rows (",,es_XX,,") occur in the real files
            if not term:
                raise MedlocError("a translation without its English sourceString", path=name, line=number)
            pos = _POS.get(row[index["pos"]].strip().lower(), "noun") if "pos" in index else "noun"
            note = row[index["description"]].strip() if "description" in index else ""
            rows.append((term, tico_locale(row[index["targetLang"]]), row[index["targetString"]].strip(),
                         pos, note, origin))
        return rows
    if len(columns) > 2 and columns[1] == "en":
        for number, row in enumerate(reader, 2):
            if not row:
                continue
            if len(row) != len(columns):
                raise MedlocError(f"{len(row)} columns, the header has {len(columns)}",
                                  path=name, line=number)
            for code, value in zip(columns[2:], row[2:], strict=True):
                rows.append((row[1].strip(), tico_locale(code), value.strip(), "noun", "", "facebook"))
        return rows
    raise MedlocError("not a TICO-19 term list (expected sourceString/targetString columns, "
                      "or id<TAB>en<TAB>...)", path=name, line=1)
