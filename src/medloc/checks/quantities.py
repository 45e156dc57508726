"""Numbers and quantities (number + unit) in a segment, read the way each locale writes them.

Why not compare digit strings (pofilter): "1,000.5", "1.000,5" and "1 000,5" are the same number
in English, Spanish/German and French, while "1.500" is fifteen hundred in Spanish and one and a half
in English. A number is read with its locale's decimal and group symbols (from Babel/CLDR); a form
that is ambiguous in that locale keeps both readings, and two numbers match when any reading agrees.
Scale words ("1.6 million" = "1,6 millones" = "160万") are applied on both sides, and a unit after the
number ("500 mg", "5-year", "3 veces por semana") makes it a quantity for the dose check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from medloc.checks.text import lang, prose
from medloc.locale_data import number_symbols

DIGIT_RE = re.compile(r"\d")
# A number: digits with optional group separators (comma, dot, apostrophe, (narrow) no-break or thin
# space, plain space) and an optional decimal part. The separator must be followed by digits.
NUMBER_RE = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:([,.'\u00a0\u202f\u2009 ])\d{3}(?!\d))(?:\1\d{3}(?!\d))*(?:[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?)"
)
_SPACES = "\u00a0\u202f\u2009 "


@lru_cache(maxsize=64)
def symbols(locale: str) -> tuple[str, str]:
    """(decimal, group) symbols of a locale from CLDR; English's when Babel does not know it."""
    code = (locale or "en").replace("-", "_")
    for candidate in (code, lang(code)):
        found = number_symbols(candidate)
        if found is not None:
            return found
    return ".", ","


def readings(token: str, locale: str) -> tuple[float, ...]:
    """The values `token` can mean in `locale`, most likely first (one value unless ambiguous)."""
    decimal, group = symbols(locale)
    seps = [c for c in token if not c.isdigit()]
    if not seps:
        return (float(token),)
    if len(set(seps)) == 2:  # "1,234.5" / "1.234,5" / "1 234,5": the last one is the decimal mark
        dec = seps[-1]
        head, _, tail = token.rpartition(dec)
        return (float("".join(c for c in head if c.isdigit()) + "." + tail),)
    sep = seps[0]
    plain = token.replace(sep, "")
    if len(seps) > 1:  # "1,234,567": only grouping repeats
        return (float(plain),)
    head, tail = token.split(sep)
    as_decimal = float(head + "." + tail)
    if len(tail) != 3 or (head == "0"):
        return (as_decimal,) if sep not in _SPACES else (float(head), float(tail))
    grouped = float(plain)
    if sep in _SPACES or sep == "'":
        return (grouped,) if sep != " " or group.strip() == "" else (grouped, float(head), float(tail))
    if sep == group and sep != decimal:
        return (grouped,)
    if sep == decimal:
        return (as_decimal, grouped)
    return (grouped, as_decimal)


# Scale words after a number multiply it: "1.6 million", "1,6 millones", "2 mil millones", "160万".
_SCALES: dict[str, float] = {
    "thousand": 1e3,
    "mil": 1e3,
    "mille": 1e3,
    "tausend": 1e3,
    "千": 1e3,
    "万": 1e4,
    "萬": 1e4,
    "million": 1e6,
    "millions": 1e6,
    "millón": 1e6,
    "millones": 1e6,
    "millon": 1e6,
    "millionen": 1e6,
    "mio": 1e6,
    "mio.": 1e6,
    "milhão": 1e6,
    "milhões": 1e6,
    "миллион": 1e6,
    "миллиона": 1e6,
    "миллионов": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "milliard": 1e9,
    "milliards": 1e9,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "mrd": 1e9,
    "mrd.": 1e9,
    "billón": 1e12,
    "billones": 1e12,
    "bilhão": 1e9,
    "bilhões": 1e9,
    "亿": 1e8,
    "億": 1e8,
    "百万": 1e6,
}
_SCALE_RE = re.compile(
    r"[\s\u00a0\u202f]*("
    + "|".join(sorted(map(re.escape, _SCALES), key=len, reverse=True))
    + r")(?![^\W\d_])",
    re.IGNORECASE,
)
_PM_RE = re.compile(r"\s?(?:p\.\s?m\.|pm\b|PM\b)")
_CJK_SCALE_RE = re.compile(r"(百万|万|萬|亿|億|千)")


@dataclass(frozen=True, slots=True)
class Unit:
    """What a unit word means: dimension, factor to the dimension's base, canonical spelling."""

    dim: str
    factor: float
    name: str


YEAR = 525960.0  # minutes in a mean Gregorian year
# Unit spellings in the project's languages: "dimension | factor to base | canonical | aliases...";
# a line starting with spaces continues the one above. Data, not code, so adding a language is a
# matter of adding words (base units: mg, mL, IU, %, percentage point, minute, times).
_UNIT_TABLE = """
mass | 1e6 | kg | kilogram | kilograms | kilogramo | kilogramos | kilogramme | kilogrammes | kilogramm |
    公斤 | 千克
mass | 1e3 | g | gram | grams | gramo | gramos | gramme | grammes | gramm | gr | 克
mass | 1 | mg | milligram | milligrams | miligramo | miligramos | milligramme | milligrammes |
    milligramm | 毫克
mass | 1e-3 | mcg | µg | μg | ug | microgram | micrograms | microgramo | microgramos | microgramme |
    microgrammes | mikrogramm | 微克
mass | 1e-6 | ng | nanogram | nanograms | nanogramo | nanogramos | 纳克
volume | 1e3 | l | liter | liters | litre | litres | litro | litros | 升
volume | 100 | dl | deciliter | decilitre | decilitro | decilitros
volume | 1 | ml | milliliter | milliliters | millilitre | millilitres | mililitro | mililitros | cc | 毫升
volume | 1e-3 | µl | μl | mcl | microliter | microliters | microlitro | microlitros
iu | 1 | IU | ui | i.u. | u.i. | i.e. | ie | international units | international unit |
    unidades internacionales | unidad internacional | unités internationales | unité internationale |
    internationale einheiten | internationalen einheiten | 国际单位 | units | unit | unidades | unidad |
    unités | unité | einheiten | 单位
percent | 1 | % | ％ | percent | per cent | por ciento | pour cent | pourcent | prozent | prozentige |
    prozentigen | por cento | процента | процентов | процент
pp | 1 | percentage points | percentage point | puntos porcentuales | punto porcentual |
    points de pourcentage | point de pourcentage | prozentpunkte | prozentpunkten | 百分点
time | SEC | seconds | second | sec | segundo | segundos | seconde | secondes | sekunde | sekunden | 秒
time | 1 | minutes | minute | min | mins | minuto | minutos | minuten | 分钟
time | HOUR | hours | hour | h | hr | hrs | hora | horas | heure | heures | stunde | stunden | std |
    stündige | stündigen | часов | часа | час | godzin | godziny | godzina | 小时 | 個小時 | 个小时 | 時間
time | DAY | days | day | día | días | dia | dias | jour | jours | journée | tag | tage | tagen | tages |
    tägige | tägigen | дней | дня | день | dni | dzień | 天 | 日間 | 日
time | WEEK | weeks | week | semana | semanas | semaine | semaines | woche | wochen | wöchige | wöchigen |
    недель | недели | неделя | tygodni | tydzień | tygodnie | 周 | 星期 | 週間 | 週
time | MONTH | months | month | mes | meses | mois | monat | monate | monaten | monats | monatige |
    месяцев | месяца | месяц | miesięcy | miesiące | miesiąc | 个月 | 個月 | か月 | ヶ月
time | YEAR | years | year | año | años | ano | anos | an | ans | année | années | jahr | jahre | jahren |
    jahres | jährige | jährigen | лет | год | года | годы | rok | lata | lat | 年 | 岁 | 歳
times | 1 | times | time | x | × | veces | vez | fois | mal | 次
"""
_FACTORS = {"SEC": 1 / 60, "HOUR": 60.0, "DAY": 1440.0, "WEEK": 10080.0, "MONTH": YEAR / 12, "YEAR": YEAR}


def _parse_units(table: str) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for record in re.sub(r"\|\n\s+", "| ", table).strip().splitlines():
        dim, factor, name, *aliases = (part.strip() for part in record.split("|"))
        unit = Unit(dim, _FACTORS[factor] if factor in _FACTORS else float(factor), name)
        units.update({alias.lower(): unit for alias in (name, *aliases) if alias})
    return units


UNITS: dict[str, Unit] = _parse_units(_UNIT_TABLE)

_LATIN_UNITS = sorted((a for a in UNITS if not re.search(r"[\u3000-\u9fff]", a)), key=len, reverse=True)
_CJK_UNITS = sorted((a for a in UNITS if re.search(r"[\u3000-\u9fff]", a)), key=len, reverse=True)
# Units follow the number after at most one space or hyphen; long names may run on ("5-jährige").
UNIT_RE = re.compile(
    r"[\s\u00a0\u202f\u2009-]?(?:("
    + "|".join(re.escape(a) for a in _LATIN_UNITS if len(a) < 4 or a[-1] in ".%")
    + r")(?![a-zA-Z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff])|("
    + "|".join(re.escape(a) for a in _LATIN_UNITS if len(a) >= 4 and a[-1] not in ".%")
    + r")|("
    + "|".join(map(re.escape, _CJK_UNITS))
    + "))",
    re.IGNORECASE,
)
# "3 times a week", "3 veces por semana", "3 fois par semaine", "3-mal pro Woche".
_PER_RE = re.compile(
    r"[\s\u00a0]*(?:a|per|each|every|/|al|a la|por|cada|par|pro|in der|je|an einem)[\s\u00a0]*"
    r"(day|week|month|year|día|dia|semana|mes|año|jour|semaine|mois|an|tag|woche|monat|jahr)\b",
    re.IGNORECASE,
)
_ZH_PER_RE = re.compile(r"每(?:一)?(天|日|周|星期|週|月|年)[^\d]{0,3}$")
_PERIOD = {
    "day": "day",
    "día": "day",
    "dia": "day",
    "jour": "day",
    "tag": "day",
    "天": "day",
    "日": "day",
    "week": "week",
    "semana": "week",
    "semaine": "week",
    "woche": "week",
    "周": "week",
    "星期": "week",
    "週": "week",
    "month": "month",
    "mes": "month",
    "mois": "month",
    "monat": "month",
    "月": "month",
    "year": "year",
    "año": "year",
    "an": "year",
    "jahr": "year",
    "年": "year",
}
# Numbers joined into a range or list share the unit written after the last one ("5 to 10 mg").
_JOIN_RE = re.compile(
    r"^[\s\u00a0]*(?:[-–—~～/]|,|、|to|a|à|au|bis|y|e|and|or|o|ou|oder|und|et|hasta|jusqu'à|至|到|或|和)?[\s\u00a0]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Number:
    """One number in prose: its readings (scale applied), span in visible text, unit if any."""

    values: tuple[float, ...]
    start: int
    end: int
    text: str
    unit: Unit | None = None
    per: str = ""

    def base(self) -> tuple[float, ...]:
        """Readings in the unit's base (mg, ml, minutes...) for comparing conversions."""
        factor = self.unit.factor if self.unit else 1.0
        return tuple(round(v * factor, 9) for v in self.values)


@lru_cache(maxsize=16384)
def numbers(text: str, locale: str) -> tuple[Number, ...]:
    """Every number in the prose of `text` (tags, URLs, placeholders excluded), with units."""
    view = prose(text)
    if not DIGIT_RE.search(view):
        return ()
    found: list[Number] = []
    for m in NUMBER_RE.finditer(view):
        token = m.group()
        end = m.end()
        values = readings(token, locale)
        scale = _SCALE_RE.match(view, end) or _CJK_SCALE_RE.match(view, end)
        if scale:
            factor = 1.0
            while scale:
                factor *= _SCALES[scale.group(1).lower()]
                end = scale.end()
                scale = _SCALE_RE.match(view, end)
            values = tuple(round(v * factor, 6) for v in values)
        clock = _PM_RE.match(view, end)
        if clock:  # "6 p.m." = "18 Uhr" = "18:00"
            values = values + tuple(v + 12 for v in values if v < 12)
        unit_match = UNIT_RE.match(view, end)
        unit = None
        per = ""
        if unit_match:
            alias = (unit_match.group(1) or unit_match.group(2) or unit_match.group(3)).lower()
            unit = UNITS[alias]
            if unit.dim == "times":
                after = _PER_RE.match(view, unit_match.end())
                if after:
                    per = _PERIOD[after.group(1).lower()]
                else:
                    before = _ZH_PER_RE.search(view, max(0, m.start() - 6), m.start())
                    per = _PERIOD[before.group(1)] if before else ""
        found.append(Number(values, m.start(), end, token, unit, per))
    # Propagate a unit backwards over ranges and lists: "5–10 mg", "de 2 a 4 semanas".
    for i in range(len(found) - 2, -1, -1):
        cur, nxt = found[i], found[i + 1]
        if cur.unit is None and nxt.unit is not None and _JOIN_RE.match(view[cur.end : nxt.start]):
            found[i] = Number(cur.values, cur.start, cur.end, cur.text, nxt.unit, nxt.per)
    return tuple(found)


_NEAR_RE = re.compile(
    r"(?<![^\W\d_])("
    + "|".join(re.escape(a) for a in _LATIN_UNITS if len(a) > 1)
    + r")(?![^\W\d_])|("
    + "|".join(map(re.escape, _CJK_UNITS))
    + ")",
    re.IGNORECASE,
)


def unit_nearby(text: str, locale: str, end: int, dim: str, window: int = 24) -> bool:
    """A unit of dimension `dim` is written within a few words after offset `end` of the prose
    ("7 derniers jours", "7 dni", "過去 7 日間"): the translator kept the unit, word order moved it."""
    view = prose(text)
    for m in _NEAR_RE.finditer(view, end, min(len(view), end + window)):
        unit = UNITS.get(m.group().lower())
        if unit is not None and unit.dim == dim:
            return True
    return False


def same_value(a: Number, b: Number) -> bool:
    return any(abs(x - y) <= 1e-9 * max(1.0, abs(x)) for x in a.values for y in b.values)
