"""Real data for the translation checks' quality bars and benchmark (read-only shared corpus).

- `django_units()`: every translated unit of the 27 Django PO files (one per plural form).
- `nci_pairs()`: English/Spanish paragraph pairs of the NCI press releases, aligned by a difflib
  alignment over (block kind, number of links) with a plausible length ratio — the alignment does
  not look at numbers, negations or tags, so it does not favour the checks it is used to test.
- `seeded(...)`: the same pairs with one error put into the Spanish (changed number, unit, dose,
  dropped negation, broken tag), each with the severity the checks must give it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from medloc.catalog import read_catalog
from medloc.checks.base import Unit
from medloc.model import Severity
from paths import CORPUS, REPO

DJANGO = CORPUS / "django-po"
NCI = CORPUS / "nci-press-releases-en-es"
_TAG = re.compile(r"<[^>]*>")


def django_files() -> list[Path]:
    return sorted(DJANGO.glob("*/*.po"))


@cache
def django_units() -> tuple[Unit, ...]:
    units: list[Unit] = []
    for path in django_files():
        po = read_catalog(path)
        locale = path.parent.name
        for e in po.entries:
            if e.obsolete or not e.msgid or not e.translated:
                continue
            common = dict(
                locale=locale,
                article=f"{locale}/{path.name}",
                flags=frozenset(e.flags),
                context=e.msgctxt,
                line=e.line,
            )
            if e.msgid_plural is None:
                units.append(Unit(e.msgid, e.msgstr, **common))  # type: ignore[arg-type]
            else:
                for n, text in sorted(e.msgstr_plural.items()):
                    units.append(Unit(e.msgid if n == 0 else e.msgid_plural, text, **common))  # type: ignore[arg-type]
    return tuple(units)


def django_entry_count() -> int:
    return len({(u.article, u.line) for u in django_units()})


def _visible(text: str) -> str:
    return re.sub(r"\s+", " ", _TAG.sub("", text)).strip()


@cache
def nci_pairs() -> tuple[tuple[str, str], ...]:
    """(English segment, Spanish segment) for paragraphs that align, over the 17 press releases."""
    from medloc.config import load_settings
    from medloc.extract import extract_article

    settings = load_settings(REPO)
    pairs: list[tuple[str, str]] = []
    for en_path in sorted((NCI / "en").glob("pr*.html")):
        es_path = NCI / "es" / en_path.name

        def segments(path: Path) -> list[tuple[str, str]]:
            article = extract_article(path.name, path.read_bytes(), settings, origin=str(path))
            return [
                (s.kind.value, s.text)
                for s in article.segments
                if s.kind.value
                in ("paragraph", "list-item", "heading", "blockquote", "figcaption", "table-cell")
            ]

        en, es = segments(en_path), segments(es_path)
        a = [(k, t.count("<a ")) for k, t in en]
        b = [(k, t.count("<a ")) for k, t in es]
        for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
            for i in range(block.size):
                src, tgt = en[block.a + i][1], es[block.b + i][1]
                vs, vt = _visible(src), _visible(tgt)
                if len(vs) >= 40 and 0.9 <= len(vt) / len(vs) <= 1.6 and _anchors_agree(vs, vt):
                    pairs.append((src, tgt))
    return tuple(pairs)


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9-]{1,}[A-Z0-9]\b")


def _anchors_agree(src: str, tgt: str) -> bool:
    """Acronyms and names in capitals (NCI, RTOG, ALTTO) are kept by the translators: a paragraph
    pair that shares fewer than half of them is a misalignment, not a translation."""
    a = set(_ACRONYM.findall(src))
    return not a or len(a & set(_ACRONYM.findall(tgt))) * 2 >= len(a)


def nci_units() -> list[Unit]:
    return [Unit(s, t, locale="es", article="nci") for s, t in nci_pairs()]


@dataclass(frozen=True, slots=True)
class Seeded:
    kind: str
    unit: Unit
    severity: Severity  # what the checks must report at least
    note: str


_NUM = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?(?![\d.,]?\d)")
_UNIT = re.compile(r"(?<=\d)(\s?)(mg|g|ml|mL|por ciento|%|años|meses|semanas|días|horas)\b")
_UNIT_SWAP = {
    "mg": "g",
    "g": "mg",
    "ml": "l",
    "mL": "l",
    "por ciento": "veces",
    "%": " veces",
    "años": "meses",
    "meses": "años",
    "semanas": "días",
    "días": "semanas",
    "horas": "minutos",
}
_NEG = re.compile(r"\b(?:no|nunca|jamás)\s", re.IGNORECASE)
_CLOSE = re.compile(r"</(strong|em|b|i|a|span|sup)>")


_MARKUP = re.compile(r"<[^>]*>|https?://\S+|\b\w+\.(?:gov|org|com)\S*")
_EN_UNIT = {
    "mg": "mg",
    "g": "g",
    "ml": "ml|mL",
    "mL": "ml|mL",
    "por ciento": "percent|%",
    "%": "percent|%",
    "años": "years?|-year",
    "meses": "months?|-month",
    "semanas": "weeks?|-week",
    "días": "days?|-day",
    "horas": "hours?|-hour",
}


def _in_markup(text: str, pos: int) -> bool:
    return any(m.start() <= pos < m.end() for m in _MARKUP.finditer(text))


def _prose_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    return next((m for m in pattern.finditer(text) if not _in_markup(text, m.start())), None)


def seeded() -> Iterator[Seeded]:
    """One seeded error per applicable pair and kind, the way MT and tired translators make them.

    Errors go into the text a reader sees (never inside a tag or URL), and a unit is only seeded
    where the source states it (a number the source has; a unit the source writes after it).
    """
    for src, tgt in nci_pairs():
        m = _prose_match(_NUM, tgt)
        if m and m.group() in _MARKUP.sub(" ", src):
            value = m.group()
            changed = (
                str(int(value.replace(",", "").replace(".", "")) * 10 + 5)
                if value.isdigit()
                else value[:-1] + "7"
            )
            yield Seeded(
                "number",
                Unit(src, tgt[: m.start()] + changed + tgt[m.end() :], "es"),
                Severity.CRITICAL,
                f"{value} -> {changed}",
            )
            yield Seeded(
                "number-dropped",
                Unit(src, tgt[: m.start()] + tgt[m.end() :].lstrip(), "es"),
                Severity.CRITICAL,
                f"{value} removed",
            )
        u = _prose_match(_UNIT, tgt)
        if (
            u
            and re.search(
                rf"\b{re.escape(tgt[u.start() - 1] if u.start() else '')}\S*\s?(?:{_EN_UNIT[u.group(2)]})",
                _MARKUP.sub(" ", src),
            )
            and _number_before(tgt, u.start()) in src
        ):
            swapped = _UNIT_SWAP[u.group(2)]
            yield Seeded(
                "unit",
                Unit(src, tgt[: u.start(2)] + swapped + tgt[u.end(2) :], "es"),
                Severity.CRITICAL,
                f"{u.group(2)} -> {swapped}",
            )
            yield Seeded(
                "unit-dropped",
                Unit(src, tgt[: u.start(1)] + tgt[u.end(2) :], "es"),
                Severity.CRITICAL,
                f"{u.group(2)} removed",
            )
        n = _NEG.search(tgt)
        if n and re.search(r"\b(?:not|no|never|n't|without|cannot)\b", src, re.IGNORECASE):
            dropped = tgt[: n.start()] + tgt[n.end() :]
            # Drop every plain "no" so the sentence reads as the positive instruction MT produces.
            dropped = _NEG.sub("", dropped)
            if not re.search(r"\b(?:sin|ni|ningun\w*|nada|nadie|tampoco|evit\w+)\b", dropped, re.IGNORECASE):
                yield Seeded("negation", Unit(src, dropped, "es"), Severity.CRITICAL, n.group().strip())
        c = _CLOSE.search(tgt)
        if c:
            yield Seeded(
                "tag-broken",
                Unit(src, tgt[: c.start()] + tgt[c.end() :], "es"),
                Severity.CRITICAL,
                f"{c.group()} removed",
            )
    yield from _doses()


def _number_before(text: str, end: int) -> str:
    m = re.search(r"\d+(?:[.,]\d+)?$", text[:end].rstrip())
    return m.group() if m else "\x00"


def _doses() -> Iterator[Seeded]:
    """Dose changes on the professional translations of dose sentences (the press releases have few)."""
    base = [
        ("Take 500 mg of aspirin twice a day.", "Tome 500 mg de aspirina dos veces al día."),
        (
            "Patients received 75 mg/m2 of docetaxel every 3 weeks.",
            "Los pacientes recibieron 75 mg/m2 de docetaxel cada 3 semanas.",
        ),
        (
            "Give 400 IU of vitamin D daily for 6 months.",
            "Administre 400 UI de vitamina D al día durante 6 meses.",
        ),
        ("Inject 0.5 mL under the skin.", "Inyecte 0,5 ml debajo de la piel."),
        (
            "Women took 100 mcg of the drug 3 times per week.",
            "Las mujeres tomaron 100 mcg del medicamento 3 veces por semana.",
        ),
    ]
    changes = [
        ("500 mg", "50 mg", "amount"),
        ("75 mg/m2", "75 g/m2", "unit"),
        ("400 UI", "4000 UI", "amount"),
        ("0,5 ml", "5 ml", "amount"),
        ("100 mcg", "100 mg", "unit"),
        ("3 veces por semana", "3 veces al día", "frequency"),
        ("6 meses", "6 semanas", "unit"),
        ("cada 3 semanas", "cada 3 días", "unit"),
    ]
    for src, tgt in base:
        for old, new, what in changes:
            if old in tgt:
                yield Seeded(
                    f"dose-{what}",
                    Unit(src, tgt.replace(old, new), "es"),
                    Severity.CRITICAL,
                    f"{old} -> {new}",
                )
    yield Seeded(
        "dose-conversion",
        Unit("Take 1000 mg daily.", "Tome 1 g al día.", "es"),
        Severity.MAJOR,
        "exact conversion",
    )


BIO_MQM = CORPUS / "bio-mqm-en-fr-de"


@dataclass(frozen=True, slots=True)
class Annotated:
    locale: str
    source: str
    target: str
    category: str  # "" for a segment annotated as error-free
    severity: str


def bio_mqm() -> list[Annotated]:
    import csv

    rows: list[Annotated] = []
    for name, locale in (("bio_mqm_en2fr_TMT_sample.tsv", "fr"), ("bio_mqm_en2de_TMT_sample.tsv", "de")):
        with (BIO_MQM / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row.get("SEG_ID") == "SEG_ID" or not row.get("Source"):
                    continue
                rows.append(
                    Annotated(
                        locale,
                        row["Source"].strip(),
                        row["Target"].strip(),
                        (row.get("Error Category") or "").strip(),
                        (row.get("Severity") or "").strip(),
                    )
                )
    return rows
