"""Numbers and doses: a changed number, amount or unit in medical text is a patient-safety defect.

Two checks share one reading of the numbers (`quantities.py`):
- `numbers`: every number of the source is in the target and no other (compared by value in each
  locale's notation, scale words applied, numbers written as words, month names and Roman numerals
  accepted where they stand for a source number). Critical.
- `units`: a quantity keeps its unit ("500 mg" must not become "500 g" or "500"); an exact conversion
  ("1000 mg" -> "1 g") is reported as major, not critical: the amount is the same, but a dose written in
  another unit than the label (and often with a new decimal point, "0.5 g") is what ISMP lists as a
  source of tenfold errors, so a reviewer must confirm it — yet it must not block publishing on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from medloc.checks.base import Category, Check, CheckContext, Example, Unit
from medloc.checks.quantities import DIGIT_RE, Number, numbers, same_value
from medloc.checks.text import lang, prose, raw_span
from medloc.locale_data import format_number
from medloc.model import Finding, Severity

_W = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty",
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
    "dieciséis diecisiete dieciocho diecinueve veinte",
    "fr": "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "dix-sept dix-huit dix-neuf vingt",
    "de": "null eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn "
    "fünfzehn sechzehn siebzehn achtzehn neunzehn zwanzig",
    "pt": "zero um dois três quatro cinco seis sete oito nove dez onze doze treze catorze quinze "
    "dezesseis dezessete dezoito dezenove vinte",
    "it": "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici quattordici "
    "quindici sedici diciassette diciotto diciannove venti",
}
_MONTHS = {
    "en": "january february march april may june july august september october november december",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
}
_EXTRA = {
    "en": {
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
        "hundred": 100,
        "thousand": 1000,
        "once": 1,
        "twice": 2,
        "first": 1,
        "second": 2,
        "third": 3,
        "half": 0.5,
        "dozen": 12,
        "a": 1,
        "an": 1,
        "single": 1,
        "both": 2,
        "double": 2,
        "noon": 12,
        "midnight": 0,
        "jan": 1,
        "feb": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "oct": 10,
        "nov": 11,
        "dec": 12,
        "decimal": 10,
    },  # Chinese/Japanese write "decimal" as "base 10": 十进制, 10進数
    "es": {
        "una": 1,
        "un": 1,
        "treinta": 30,
        "cuarenta": 40,
        "cincuenta": 50,
        "sesenta": 60,
        "setenta": 70,
        "ochenta": 80,
        "noventa": 90,
        "cien": 100,
        "ciento": 100,
        "mil": 1000,
        "primer": 1,
        "primero": 1,
        "primera": 1,
        "segundo": 2,
        "segunda": 2,
        "tercer": 3,
        "tercero": 3,
        "tercera": 3,
        "mitad": 0.5,
        "medio": 0.5,
        "media": 0.5,
        "ambos": 2,
        "ambas": 2,
        "doble": 2,
        "docena": 12,
    },
    "fr": {
        "une": 1,
        "trente": 30,
        "quarante": 40,
        "cinquante": 50,
        "soixante": 60,
        "cent": 100,
        "mille": 1000,
        "premier": 1,
        "première": 1,
        "deuxième": 2,
        "second": 2,
        "seconde": 2,
        "troisième": 3,
        "moitié": 0.5,
        "demi": 0.5,
        "deux fois": 2,
        "double": 2,
    },
    "de": {
        "ein": 1,
        "eine": 1,
        "einer": 1,
        "einem": 1,
        "einen": 1,
        "dreißig": 30,
        "vierzig": 40,
        "fünfzig": 50,
        "sechzig": 60,
        "hundert": 100,
        "tausend": 1000,
        "erste": 1,
        "ersten": 1,
        "zweite": 2,
        "zweiten": 2,
        "dritte": 3,
        "dritten": 3,
        "hälfte": 0.5,
        "halb": 0.5,
        "beide": 2,
        "doppelt": 2,
        "einmal": 1,
        "zweimal": 2,
        "dreimal": 3,
    },
}
# Negative quantifiers say "0": "0 of 5 selected" = "none of 5" / "ninguno de 5" / "ひとつも…ない".
_ZERO_WORDS = re.compile(
    r"(?<![^\W\d_])(?:none|ningun[oa]?|ningún|nada|aucun[e]?|kein\w*|nenhum\w*|nessun\w*|"
    r"ничего|ни одного|żadn\w*|لا شيء|لم)(?![^\W\d_])|ひとつも|一つも|没有|無し|なし",
    re.IGNORECASE,
)
_ZH = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "百": 100,
    "千": 1000,
    "半": 0.5,
    "首": 1,
}
_ROMAN_RE = re.compile(r"\b[IVXL]{1,6}\b")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")


@lru_cache(maxsize=32)
def _number_words(language: str) -> dict[str, float]:
    words: dict[str, float] = {}
    for i, w in enumerate(_W.get(language, "").split()):
        words[w] = i
    for i, w in enumerate(_MONTHS.get(language, "").split()):
        words.setdefault(w, i + 1)
    words.update(_EXTRA.get(language, {}))
    return words


def _roman(token: str) -> int:
    total = 0
    for i, ch in enumerate(token):
        v = _ROMAN[ch]
        total += -v if i + 1 < len(token) and _ROMAN[token[i + 1]] > v else v
    return total


@lru_cache(maxsize=16384)
def _word_values(text: str, locale: str) -> frozenset[float]:
    """Values the text writes in words (number words, month names, Roman numerals, CJK numerals)."""
    view = prose(text)
    language = lang(locale)
    values: set[float] = set()
    if language in ("zh", "ja"):
        values.update(v for ch, v in _ZH.items() if ch in view)
        for m in re.finditer(r"[一二三四五六七八九]?十[一二三四五六七八九]?", view):
            tok = m.group()
            tens = _ZH.get(tok[0], 1) if tok[0] != "十" else 1
            units = _ZH.get(tok[-1], 0) if tok[-1] != "十" else 0
            values.add(tens * 10 + units)
    else:
        table = _number_words(language)
        if table:
            for w in _WORD_RE.findall(view.lower()):
                if w in table:
                    values.add(table[w])
                elif "-" in w:  # "twenty-five", "dix-sept"
                    parts = w.split("-")
                    if all(p in table for p in parts):
                        values.add(sum(table[p] for p in parts))
    values.update(_roman(m.group()) for m in _ROMAN_RE.finditer(view) if m.group() != "I" or language != "en")
    if _ZERO_WORDS.search(view):
        values.add(0)
    return frozenset(values)


def _unmatched(src: tuple[Number, ...], tgt: tuple[Number, ...]) -> tuple[list[Number], list[Number]]:
    """Numbers left on each side after pairing equal values (preferred readings first)."""
    left = list(tgt)
    missing: list[Number] = []
    pending: list[Number] = []
    for n in src:  # first pass: same most-likely reading
        for i, t in enumerate(left):
            if abs(n.values[0] - t.values[0]) <= 1e-9 * max(1.0, abs(n.values[0])):
                del left[i]
                break
        else:
            pending.append(n)
    for n in pending:  # second pass: any reading
        for i, t in enumerate(left):
            if same_value(n, t):
                del left[i]
                break
        else:
            missing.append(n)
    return missing, left


def _converted(a: Number, b: Number) -> bool:
    """Same amount in another unit of the same dimension (exact conversion)."""
    if a.unit is None or b.unit is None or a.unit.dim != b.unit.dim or a.unit.name == b.unit.name:
        return False
    return any(abs(x - y) <= 1e-9 * max(1.0, abs(x)) for x in a.base() for y in b.base())


def _fmt(values: Iterable[Number]) -> str:
    return ", ".join(n.text + (f" {n.unit.name}" if n.unit else "") for n in values)


class NumbersCheck(Check):
    """Every number of the source appears in the target, by value, and the target adds none.

    Guards against changed doses, counts, percentages, dates and ranges. Locale-aware: "1,000.5",
    "1.000,5" and "1 000,5" (NBSP/NNBSP) are one value; "20 percent" = "20 %"; full-width and
    Arabic-Indic digits are read as digits; a number the other side writes as a word ("two" / "dos"),
    a month name ("01" / "enero"), a Roman numeral ("phase 3" / "fase III") or a scaled form
    ("1.6 million" / "1,6 millones") is accepted. Exact unit conversions are left to `units`.
    """

    id = "numbers"
    name = "Numbers differ"
    severity = Severity.CRITICAL
    category = Category.ACCURACY
    examples = (
        Example("Take 500 mg daily.", "Tome 50 mg al día.", fails=True, note="dose changed"),
        Example("Take 500 mg daily.", "Tome 500 mg al día.", fails=False),
        Example(
            "About 1,600 patients (12.5%)", "Unos 1.600 pacientes (12,5 %)", note="es notation", fails=False
        ),
        Example("About 1,600 patients", "Environ 1\u202f600 patients", locale="fr", fails=False),
        Example("In 1.6 million Americans", "En 1,6 millones de estadounidenses", fails=False),
        Example("a phase 3 trial", "un estudio de fase III", fails=False),
        Example("Posted: 2014-01-30", "Publicado: 30 de enero de 2014", fails=False),
        Example("Two doses", "2 dosis", fails=False),
        Example("Reduce the risk by 20 percent", "Reducir el riesgo en 2 por ciento", fails=True),
        Example("Take 1.5 mg", "Tome 1.500 mg", fails=True, note="1.500 is 1500 in Spanish"),
        Example("Take 10 mg", "服用１０毫克", locale="zh_CN", note="full-width digits", fails=False),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target = unit.target
        if not target:
            return ()
        source = unit.source
        if not DIGIT_RE.search(source) and not DIGIT_RE.search(target):
            return ()
        src = numbers(source, unit.source_locale)
        tgt = numbers(target, unit.locale)
        if not src and not tgt:
            return ()
        missing, extra = _unmatched(src, tgt)
        if not missing and not extra:
            return ()
        # Exact conversions ("500 mg" / "0,5 g") are the units check's business (major).
        for n in list(missing):
            for t in extra:
                if _converted(n, t):
                    missing.remove(n)
                    extra.remove(t)
                    break
        if missing:
            words = _word_values(target, unit.locale)
            missing = [n for n in missing if not any(v in words for v in n.values)]
        if extra:
            words = _word_values(source, unit.source_locale)
            extra = [n for n in extra if not any(v in words for v in n.values)]
        # A time's ":00" minutes ("3 p.m." / "15:00") carry no information of their own.
        extra = [n for n in extra if not (n.text == "00" and n.start and prose(target)[n.start - 1] in ":h.")]
        if not missing and not extra:
            return ()
        parts = []
        if missing:
            parts.append(f"not in the target: {_fmt(missing)}")
        if extra:
            parts.append(f"not in the source: {_fmt(extra)}")
        suggestion = None
        if len(missing) == 1 and len(extra) == 1:
            t = extra[0]
            vis_target = prose(target)
            suggestion = vis_target[: t.start] + _localized(missing[0], unit.locale) + vis_target[t.end :]
        if extra:
            span, in_target = raw_span(target, extra[0].start, extra[0].end), True
        else:
            span, in_target = raw_span(source, missing[0].start, missing[0].end), False
        return (
            self.finding(
                unit,
                "numbers differ: " + "; ".join(parts),
                span=span,
                in_target=in_target,
                suggestion=suggestion,
            ),
        )


def _localized(n: Number, locale: str) -> str:
    """The source number's text written with the target locale's symbols (for a suggestion)."""
    try:
        return format_number(n.values[0], locale)
    except Exception:
        return n.text
