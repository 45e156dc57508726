"""TBX-Basic (ISO 30042:2019, TBX v3) import and export, so terminologists can use their own tools.

Export writes conceptEntry/langSec/termSec with administrativeStatus preferredTerm/admittedTerm/
deprecatedTerm-admn-sts; import reads that and the older TBX v2 shape (martif/termEntry/langSet/tig).
What TBX-Basic has no category for (do-not-translate, fixer examples) travels in `x-medloc-*`
descrip elements, so medloc → TBX → medloc is lossless. Parsing goes through medloc.xmlsafe
(defusedxml): a DTD, an entity declaration or an external entity is refused, never resolved.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from medloc import xmlsafe
from medloc.glossary.model import Concept, Example, Glossary, LocaleTerms
from medloc.model import MedlocError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TBX_NS = "urn:iso:std:iso:30042:ed-2"
STATUS = {
    "preferred": "preferredTerm-admn-sts",
    "allowed": "admittedTerm-admn-sts",
    "forbidden": "deprecatedTerm-admn-sts",
}
_STATUS_ROLE = {
    "preferredterm-admn-sts": "preferred", "admittedterm-admn-sts": "allowed",
    "deprecatedterm-admn-sts": "forbidden", "supersededterm-admn-sts": "forbidden",
}


def to_bcp47(locale: str) -> str:
    return locale.replace("_", "-")


def from_bcp47(tag: str) -> str:
    parts = tag.replace("_", "-").split("-")
    return parts[0].lower() + "".join("_" + p.upper() if len(p) == 2 else "_" + p for p in parts[1:])


def export_tbx(glossary: Glossary, source_locale: str = "en") -> str:
    """The glossary as a TBX-Basic document (UTF-8 XML text)."""
    root = ET.Element("tbx", {"type": "TBX-Basic", "style": "dca", XML_LANG: source_locale, "xmlns": TBX_NS})
    header = ET.SubElement(ET.SubElement(root, "tbxHeader"), "fileDesc")
    ET.SubElement(ET.SubElement(header, "sourceDesc"), "p").text = "medloc medical glossary"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for concept in glossary:
        entry = ET.SubElement(body, "conceptEntry", {"id": concept.id})
        if concept.note:
            ET.SubElement(entry, "note").text = concept.note
        if concept.source:
            ET.SubElement(entry, "admin", {"type": "source"}).text = concept.source
        if concept.dnt:
            ET.SubElement(entry, "descrip", {"type": "x-medloc-dnt"}).text = "true"
        for example in concept.examples:
            ET.SubElement(entry, "descrip", {"type": "x-medloc-example-wrong"}).text = example.wrong
            ET.SubElement(entry, "descrip", {"type": "x-medloc-example-right"}).text = example.right
        source = LocaleTerms(concept.term, concept.allowed, concept.forbidden)
        _lang_sec(entry, source_locale, source, concept.pos)
        for locale, terms in concept.translations.items():
            _lang_sec(entry, locale, terms, concept.pos)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _lang_sec(entry: ET.Element, locale: str, terms: LocaleTerms, pos: str) -> None:
    section = ET.SubElement(entry, "langSec", {XML_LANG: to_bcp47(locale)})
    if terms.note:
        ET.SubElement(section, "note").text = terms.note
    rows = [(terms.preferred, "preferred")] + [(t, "allowed") for t in terms.allowed]
    rows += [(t, "forbidden") for t in terms.forbidden]
    for text, role in rows:
        term_sec = ET.SubElement(section, "termSec")
        ET.SubElement(term_sec, "term").text = text
        ET.SubElement(term_sec, "termNote", {"type": "partOfSpeech"}).text = pos
        ET.SubElement(term_sec, "termNote", {"type": "administrativeStatus"}).text = STATUS[role]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, *names: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) in names]


def import_tbx(path: Path | str, source_locale: str = "en") -> Glossary:
    """Read a TBX(-Basic) file; concepts without a source-language term are an error."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise MedlocError(f"cannot read TBX: {exc.strerror}", path=name) from exc
    return parse_tbx(data, name, source_locale)


def parse_tbx(data: bytes, name: str, source_locale: str = "en") -> Glossary:
    try:
        root = xmlsafe.parse(data, forbid_dtd=True)
    except xmlsafe.XmlSyntaxError as exc:
        raise MedlocError(f"invalid XML: {exc}", path=name, line=exc.line) from exc
    except xmlsafe.UnsafeXmlError as exc:
        raise MedlocError(f"refused unsafe XML ({exc.kind}): DTDs and entities are not allowed",
                          path=name) from exc
    concepts = []
    for number, entry in enumerate(root.iter(), 1):
        if _local(entry.tag) in ("conceptEntry", "termEntry"):
            concepts.append(_concept(entry, name, source_locale, number))
    return Glossary(tuple(concepts))


def _concept(entry: ET.Element, name: str, source_locale: str, number: int) -> Concept:
    concept_id = entry.get("id") or ""
    sections: dict[str, tuple[LocaleTerms, str]] = {}
    for section in _children(entry, "langSec", "langSet"):
        locale = from_bcp47(section.get(XML_LANG) or section.get("lang") or "")
        if not locale:
            raise MedlocError(f"concept {concept_id or number}: a langSec without xml:lang", path=name)
        sections[locale] = _terms(section, name, concept_id or str(number))
    source_language = source_locale.split("_")[0]
    source_key = next((k for k in sections if k.split("_")[0] == source_language), None)
    if source_key is None:
        raise MedlocError(f"concept {concept_id or number} has no {source_locale} term", path=name)
    source, pos = sections.pop(source_key)
    if not concept_id:
        concept_id = re.sub(r"[^a-z0-9]+", "-", source.preferred.lower()).strip("-") or f"c{number}"
    descrips = {d.get("type"): d for d in _children(entry, "descrip")}
    wrongs = [d.text or "" for d in _children(entry, "descrip") if d.get("type") == "x-medloc-example-wrong"]
    rights = [d.text or "" for d in _children(entry, "descrip") if d.get("type") == "x-medloc-example-right"]
    notes = [n.text or "" for n in _children(entry, "note")]
    admin = [a.text or "" for a in _children(entry, "admin") if a.get("type") == "source"]
    dnt = descrips.get("x-medloc-dnt")
    return Concept(
        id=concept_id, term=source.preferred, pos=pos, allowed=source.allowed, forbidden=source.forbidden,
        translations={locale: terms for locale, (terms, _) in sections.items()},
        dnt=dnt is not None and (dnt.text or "").strip().lower() == "true",
        note="\n".join(notes), source=admin[0] if admin else "",
        examples=tuple(Example(w, r) for w, r in zip(wrongs, rights, strict=False)), path=name,
    )


def _terms(section: ET.Element, name: str, concept: str) -> tuple[LocaleTerms, str]:
    by_role: dict[str, list[str]] = {"preferred": [], "allowed": [], "forbidden": []}
    pos = "noun"
    for term_sec in _children(section, "termSec", "tig", "ntig"):
        term = next((t for t in term_sec.iter() if _local(t.tag) == "term"), None)
        text = "".join(term.itertext()).strip() if term is not None else ""
        if not text:
            continue
        role = "allowed"
        for note in term_sec.iter():
            if _local(note.tag) != "termNote":
                continue
            kind, value = note.get("type"), (note.text or "").strip()
            if kind == "administrativeStatus":
                role = _STATUS_ROLE.get(value.lower(), "allowed")
            elif kind == "partOfSpeech" and value:
                pos = value
        by_role[role].append(text)
    preferred = by_role["preferred"][:1] or by_role["allowed"][:1]
    if not preferred:
        raise MedlocError(f"concept {concept}: a language section without terms", path=name)
    allowed = [t for t in by_role["preferred"][1:] + by_role["allowed"] if t != preferred[0]]
    notes = [n.text or "" for n in _children(section, "note")]
    return LocaleTerms(preferred[0], tuple(allowed), tuple(by_role["forbidden"]), "\n".join(notes)), pos
