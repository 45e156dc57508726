"""TMX 1.4 import and export (translation memory exchange), parsed through medloc.xmlsafe (defusedxml).

Why: TMX files come from outside (agencies, other tools); entity-expansion and external
entity tricks must not reach the parser. Inline codes (<bpt>, <ept>, <ph>, <it>) carry the original
markup as text, so importing concatenates them back into the segment; <hi> and <sub> contribute their
text. Export writes one <tu> per (tuid, source) with one <tuv> per target language, so units that
share an English sentence stay together and a quirk like two different sources under one tuid
survives the round trip.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from medloc import xmlsafe
from medloc.memory import Unit
from medloc.model import MedlocError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _seg_text(seg: Element) -> str:
    parts = [seg.text or ""]
    for child in seg:
        parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def _lang(tuv: Element) -> str:
    return tuv.get(XML_LANG) or tuv.get("lang") or ""


def read_tmx(path: Path | str, source_lang: str = "en") -> list[Unit]:
    """Units of a TMX file: one per target <tuv> of every <tu> that has a source <tuv>."""
    try:
        root = xmlsafe.parse_file(path)
    except xmlsafe.XmlSyntaxError as exc:
        raise MedlocError(f"invalid TMX: {exc}", path=str(path), line=exc.line) from None
    except xmlsafe.UnsafeXmlError as exc:
        raise MedlocError(f"refused unsafe TMX ({exc.kind})", path=str(path)) from None
    except OSError as exc:
        raise MedlocError(f"cannot read TMX: {exc.strerror}", path=str(path)) from None
    if root.tag != "tmx":
        raise MedlocError(f"not a TMX file (root element <{root.tag}>)", path=str(path))
    header = root.find("header")
    srclang = (header.get("srclang") if header is not None else None) or source_lang
    src_base = srclang.split("-")[0].split("_")[0].lower()
    origin = Path(path).name
    units: list[Unit] = []
    for tu in root.iter("tu"):
        tuvs = [(tuv, _lang(tuv)) for tuv in tu.findall("tuv")]
        source = next((t for t, lang in tuvs if lang.split("-")[0].split("_")[0].lower() == src_base), None)
        if source is None or source.find("seg") is None:
            continue
        source_text = _seg_text(source.find("seg"))
        note = next((p.text for p in tu.findall("prop") if p.get("type") == "note"), None)
        for tuv, lang in tuvs:
            seg = tuv.find("seg")
            if tuv is source or seg is None:
                continue
            units.append(Unit(source_text, _seg_text(seg), lang, origin, tu.get("tuid"), note))
    return units


def write_tmx(path: Path | str, units: Iterable[Unit], source_lang: str = "en") -> int:
    """Write `units` as TMX 1.4; returns the number of <tu> written. Atomic (fsutil)."""
    from medloc.fsutil import atomic_write_bytes

    root = Element("tmx", version="1.4")
    SubElement(root, "header", {
        "creationtool": "medloc", "creationtoolversion": "0.1", "segtype": "paragraph",
        "o-tmf": "PO", "adminlang": "en", "srclang": source_lang, "datatype": "html",
    })  # fmt: skip
    body = SubElement(root, "body")
    groups: dict[tuple[str | None, str], list[Unit]] = {}
    for unit in units:
        groups.setdefault((unit.tuid, unit.source), []).append(unit)
    for (tuid, source), members in groups.items():
        tu = SubElement(body, "tu", {"tuid": tuid} if tuid else {})
        note = next((u.note for u in members if u.note), None)
        if note:
            SubElement(tu, "prop", type="note").text = note
        tuv = SubElement(tu, "tuv", {XML_LANG: source_lang})
        SubElement(tuv, "seg").text = source
        seen: set[tuple[str, str]] = set()
        for unit in members:
            if (unit.locale, unit.target) in seen:
                continue
            seen.add((unit.locale, unit.target))
            tuv = SubElement(tu, "tuv", {XML_LANG: unit.locale.replace("_", "-")})
            SubElement(tuv, "seg").text = unit.target
    indent(root)
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode() + b"\n"
    atomic_write_bytes(path, data)
    return len(groups)
