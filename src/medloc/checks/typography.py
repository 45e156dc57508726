"""Locale conventions and form: punctuation, whitespace, brackets/quotes, length, repeated words.

These are minor findings (they do not change meaning), so each rule is written to stay quiet on
good translations: pofilter's startcaps/endpunc/doublequoting family fires on a third of the real
Django entries because it compares the source's punctuation with the target's, which languages
legitimately change. Here each rule states the target language's own convention instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from medloc.checks.base import Category, Check, CheckContext, Example, Unit
from medloc.checks.text import CJK_RE, is_cjk, lang, prose, raw_span
from medloc.model import Finding, Severity

_ES_OPEN_Q = re.compile(r"[¿?]")
_FR_NO_SPACE = re.compile(r"(?<=[^\s\u00a0\u202f\u2009])([;!?»])|(«)(?=[^\s\u00a0\u202f\u2009])")
# Colons are left alone: a half-width colon after a UI label is common practice in Chinese software.
_CJK_ASCII_PUNCT = re.compile(
    r"(?<=[\u3400-\u4dbf\u4e00-\u9fff])([,;!?]|\.(?=\s|$))|([,;!?])(?=[\u3400-\u4dbf\u4e00-\u9fff])"
)
_LETTER = re.compile(r"[^\W\d_]")
_FULLWIDTH = {",": "，", ";": "；", "!": "！", "?": "？", ".": "。"}


class PunctuationCheck(Check):
    """The target follows its language's punctuation rules.

    Spanish: every "?" / "!" sentence opens with "¿" / "¡" (counts must balance). French: a space
    (preferably narrow no-break) before ; ! ? » and after «. Chinese: full-width ，。；！？ after Chinese
    text (GB/T 15834). Not touched: colons (half-width after UI labels is common in Chinese software),
    Japanese (its software conventions mix widths), URLs, numbers ("1,000", "3.5"), placeholders,
    punctuation the source uses as data ("yes,no,maybe") and targets without letters.
    """

    id = "punctuation"
    name = "Punctuation for the locale"
    severity = Severity.MINOR
    category = Category.LOCALE
    examples = (
        Example("Are you pregnant?", "¿Está embarazada?", fails=False),
        Example("Are you pregnant?", "Está embarazada?", fails=True),
        Example("Are you pregnant?", "Êtes-vous enceinte\u202f?", locale="fr", fails=False),
        Example("Are you pregnant?", "Êtes-vous enceinte?", locale="fr", fails=True),
        Example("Take it with food, not alone.", "随餐服用，不要单独服用。", locale="zh_CN", fails=False),
        Example("yes,no,maybe", "是,否,也许", locale="zh_CN", fails=False, note="a list the code splits"),
        Example("Take it with food, not alone.", "随餐服用,不要单独服用.", locale="zh_CN", fails=True),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target = unit.target
        if not target:
            return ()
        language = lang(unit.locale)
        view = prose(target)
        if not _LETTER.search(view):
            return ()  # a list of symbols (":?.!") is data, not prose
        if language == "es":
            if ("?" in view or "!" in view) and (
                view.count("¿") != view.count("?")
                or view.count("¡") > view.count("!")
                or view.count("!") > view.count("¡")
            ):
                q = view.count("?") - view.count("¿")
                mark = ("¿", "?") if q else ("¡", "!")
                return (
                    self.finding(
                        unit,
                        f"Spanish opens each question/exclamation: {mark[0]} and {mark[1]} do not balance",
                    ),
                )
        elif language == "fr":
            m = _FR_NO_SPACE.search(view)
            if m:
                ch = m.group(1) or m.group(2)
                if ch != "?" or not re.search(r"\w\?\w", view[m.start() - 1 : m.end() + 1]):
                    return (
                        self.finding(
                            unit,
                            f"French puts a (narrow no-break) space {'after' if ch == '«' else 'before'} "
                            f'"{ch}"',
                            span=raw_span(target, *m.span()),
                            suggestion="\u202f",
                        ),
                    )
        elif language == "zh":
            m = _CJK_ASCII_PUNCT.search(view)
            if m:
                ch = m.group(1) or m.group(2)
                if not re.search(re.escape(ch) + r"(?:\s|$)", prose(unit.source)):
                    return ()  # the source uses it as data ("yes,no,maybe"), not as punctuation
                return (
                    self.finding(
                        unit,
                        f'use the full-width "{_FULLWIDTH[ch]}" after Chinese/Japanese text, not "{ch}"',
                        span=raw_span(target, *m.span()),
                        suggestion=_FULLWIDTH[ch],
                    ),
                )
        return ()


_WIDE_PUNCT = frozenset("，。：；！？、）」』】》")  # carry their own spacing
_LEAD = re.compile(r"^\s*")
_TRAIL = re.compile(r"\s*$")
_DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")


class WhitespaceCheck(Check):
    """Leading/trailing whitespace and line breaks match the source; no double spaces are added.

    Leading/trailing spaces and newlines in the source usually carry layout (a label joined to a
    value), so losing or changing them is reported; a trailing space the target merely adds is
    harmless and is not (nor a space replaced by full-width punctuation, which carries its own).
    A double space where the source has none is a typing slip, but HTML rendering collapses it, so
    it is reported only when the option `whitespace.collapse` is false (plain-text output).
    """

    id = "whitespace"
    name = "Whitespace differs"
    severity = Severity.MINOR
    category = Category.LINGUISTIC
    examples = (
        Example("Name: ", "Nombre: ", fails=False),
        Example("Name: ", "Nombre:", fails=True),
        Example(
            "Take it  daily", "Tómelo a diario", note="double space in the source is not copied", fails=False
        ),
        Example("Take it daily", "Tómelo  a diario", fails=False, note="collapsed in HTML (default)"),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target, source = unit.target, unit.source
        if not target:
            return ()
        s0 = source[:1]
        s1, t1 = source[-1:], target[-1:]
        if s0.isspace() and _LEAD.match(source).group() != _LEAD.match(target).group():
            return (
                self.finding(
                    unit, "leading whitespace differs from the source", span=(0, _LEAD.match(target).end())
                ),
            )
        if (
            (s1.isspace() or t1 == "\n")
            and _TRAIL.search(source).group() != _TRAIL.search(target).group()
            and not (t1 in _WIDE_PUNCT and s1 == " ")
        ):
            m = _TRAIL.search(target)
            return (self.finding(unit, "trailing whitespace differs from the source", span=m.span()),)
        if source.count("\n") != target.count("\n") and ("\n" in source[-1:] or "\n" in target[-1:]):
            return (self.finding(unit, "line breaks differ from the source"),)
        if "  " in target and "  " not in source and not context.options.get("whitespace.collapse", True):
            m = _DOUBLE_SPACE.search(target)
            if m:
                return (self.finding(unit, "double space", span=m.span(), suggestion=" "),)
        return ()


_PAIRS = (
    ("(", ")"),
    ("[", "]"),
    ("{", "}"),
    ("（", "）"),
    ("【", "】"),
    ("《", "》"),
    ("「", "」"),
    ("『", "』"),
)
# Double quotes pair differently per language (“…” en/es/zh, „…“ de, „…” pl, ”…“ ar, »…« da, «…» fr/ru),
# so only their number is compared: an odd count means one is missing.
_QUOTES = re.compile('["“”„«»]')
_ENUM = re.compile(r"(?:^|\s)(?:[a-z]|\d{1,2}|[ivx]{1,4})\)")


def _balanced(text: str, open_: str, close: str) -> bool:
    depth = 0
    for ch in text:
        if ch == open_:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


class BracketsCheck(Check):
    """Brackets and quotes in the target open and close (when they do in the source).

    Covers () [] {} and the CJK forms （）【】《》「」『』; double quotes (" “ ” „ « ») are counted,
    not paired, because each language pairs them its own way (German „…“, Polish „…”, Arabic ”…“).
    """

    id = "brackets"
    name = "Unbalanced brackets or quotes"
    severity = Severity.MINOR
    category = Category.LINGUISTIC
    examples = (
        Example("Aspirin (a pain reliever)", "Aspirina (un analgésico)", fails=False),
        Example("Aspirin (a pain reliever)", "Aspirina (un analgésico", fails=True),
        Example("He said “stop”", "Er sagte „Stopp“", locale="de", fails=False),
        Example('He said "stop"', 'Dijo "pare', fails=True),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target = unit.target
        if not target:
            return ()
        view = prose(target)
        if _ENUM.search(view):
            return ()
        src = prose(unit.source)
        for open_, close in _PAIRS:
            if (
                (open_ in view or close in view)
                and not _balanced(view, open_, close)
                and _balanced(src, open_, close)
            ):
                return (self.finding(unit, f"unbalanced {open_}{close} in the target"),)
        if len(_QUOTES.findall(view)) % 2 and not len(_QUOTES.findall(src)) % 2:
            return (self.finding(unit, "a double quote is not closed in the target"),)
        return ()


# Target/source length in characters, from parallel corpora (Europarl, UN, TICO-19 measured here).
_RATIO = {
    "es": 1.15,
    "fr": 1.2,
    "de": 1.2,
    "pt": 1.12,
    "it": 1.12,
    "nl": 1.1,
    "ru": 1.1,
    "pl": 1.1,
    "ar": 0.95,
    "zh": 0.38,
    "ja": 0.5,
    "ko": 0.5,
}


class LengthCheck(Check):
    """The target is not far shorter or longer than expected for its language (omission/addition).

    The expected ratio is per language (Chinese runs to about a third of English in characters,
    Spanish to 1.15 times), counted in non-space characters of the read text (placeholders, URLs
    and tags excluded). Segments under 25 such characters vary too much and are skipped; the
    tolerance is a factor of 2.5 around the expected length for 40+ characters, 3.5 below that.
    """

    id = "length"
    name = "Length ratio outlier"
    severity = Severity.MINOR
    category = Category.ACCURACY
    examples = (
        Example(
            "Women who take aspirin daily may reduce their risk of ovarian cancer by 20 percent.",
            "Las mujeres que toman aspirina a diario pueden reducir su riesgo de cáncer de ovario "
            "en un 20 %.",
            fails=False,
        ),
        Example(
            "Women who take aspirin daily may reduce their risk of ovarian cancer by 20 percent.",
            "Mujeres.",
            fails=True,
            note="most of the sentence is missing",
        ),
        Example(
            "Women who take aspirin daily may reduce their risk of ovarian cancer by 20 percent.",
            "每天服用阿司匹林的女性患卵巢癌的风险可降低20%。",
            locale="zh_CN",
            fails=False,
        ),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target = unit.target
        if not target:
            return ()
        src = prose(unit.source)
        n = len(src) - src.count(" ")  # placeholders and URLs are blanked: count what is read
        if n < 25:
            return ()
        expected = n * _RATIO.get(lang(unit.locale), 1.1)
        if is_cjk(unit.locale) and not CJK_RE.search(target):
            expected = n
        view = prose(target)
        actual = len(view) - view.count(" ")
        tolerance = 2.5 if n >= 40 else 3.5
        if actual * tolerance < expected:
            return (
                self.finding(
                    unit,
                    f"target is much shorter than expected ({actual} vs ~{expected:.0f} "
                    "characters): is something missing?",
                ),
            )
        if actual > expected * (tolerance + 0.5):  # explanations added for the reader are common
            return (
                self.finding(
                    unit,
                    f"target is much longer than expected ({actual} vs ~{expected:.0f} "
                    "characters): is something added?",
                ),
            )
        return ()


_REPEAT = re.compile(r"(?<![\w-])([^\W\d_]{2,})[\s\u00a0]+\1(?![\w-])", re.IGNORECASE)
# Legitimate repetitions: French reflexives, German relative pronouns after articles, etc.
_OK_REPEATS = {
    "fr": {"nous", "vous"},
    "de": {"die", "der", "das", "dass", "sie"},
    "es": {"que"},
    "pt": {"que"},
    "nl": {"die", "dat"},
}


class RepeatedWordsCheck(Check):
    """The same word twice in a row in the target ("de de"), unless the source repeats it too."""

    id = "repeated-words"
    name = "Repeated word"
    severity = Severity.MINOR
    category = Category.LINGUISTIC
    examples = (
        Example("the risk of cancer", "el riesgo de de cáncer", fails=True),
        Example("the risk of cancer", "el riesgo de cáncer", fails=False),
        Example("the woman who", "die Frau, die die Studie leitete", locale="de", fails=False),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target = unit.target
        if not target or " " not in target:
            return ()
        view = prose(target)
        for m in _REPEAT.finditer(view):
            word = m.group(1).lower()
            if word in _OK_REPEATS.get(lang(unit.locale), ()):
                continue
            if re.search(rf"\b{re.escape(word)}\s+{re.escape(word)}\b", prose(unit.source), re.IGNORECASE):
                continue
            return (
                self.finding(
                    unit,
                    f'repeated word "{m.group(1)}"',
                    span=raw_span(target, *m.span()),
                    suggestion=m.group(1),
                ),
            )
        return ()
