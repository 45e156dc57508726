"""Negation preserved: "do not take with alcohol" must not become "take with alcohol".

A dropped negation inverts a medical instruction, so it is critical. The check counts negation
cues per sentence in the source (English) and requires the target to carry one wherever the
source does. Precision matters as much as recall here, so:

- Source cues that are not negations are skipped: "No. 5" (number sign), "not only … but (also)"
  (an additive idiom: "no solo … sino también" keeps a "no", but "non seulement", "nicht nur",
  "不仅" vary and some translations use "además de"), "whether or not", "no later than" / "not
  later than" (a deadline, often "a más tardar"), "no doubt", "nonetheless"-style words.
- Targets count negative words *and* negative affixes that good translators use for "not X":
  "not possible" -> "imposible", "unknown" forms, German "un-"/"-los", French "in-" adjectives are
  accepted through a per-language list of negative words (not a blanket prefix rule).
- When source and target have the same number of sentences, each sentence is compared to its
  counterpart (a negation dropped from one sentence of three is found); otherwise the segment as a
  whole must keep at least one cue (counting cues across reworded sentences is too noisy: "do not
  smoke or drink" is one Spanish "no", "neither … nor" is one German "weder … noch").
- Lexical negatives ("lack", "absence", "free of") are not source cues: translations legitimately
  render them positively ("falta de", "Mangel", "rauchfrei").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from medloc.checks.base import Category, Check, CheckContext, Example, Unit
from medloc.checks.text import lang, prose, raw_span
from medloc.model import Finding, Severity

_EN = re.compile(
    r"\b(?:not|no|never|none|nothing|nobody|nowhere|neither|nor|without|cannot|can't|won't|don't|"
    r"doesn't|didn't|isn't|aren't|wasn't|weren't|shouldn't|wouldn't|couldn't|mustn't|haven't|hasn't|"
    r"hadn't|needn't|avoid|avoids|avoided|avoiding|unable)\b"
    r"|n't\b",
    re.IGNORECASE,
)
# Uses of the cue words above that do not negate the sentence.
_EN_NOT_NEGATION = re.compile(
    r"\bno\.\s*\d|\bnot only\b|\bwhether or not\b|\b(?:no|not) later than\b|\bno doubt\b|\bif not\b"
    r"|\bnot to mention\b|\bno matter\b|\bnot both\b|\bnot (?:un)?(?:like|common|usual)ly\b"
    r"|(?<=-)\w+|\w+(?=-\w)",  # hyphenated compounds: "no-cost", "no-referrer"
    re.IGNORECASE,
)
# "no more than 4 g" is a limit; "höchstens", "como máximo", "au plus", "不超过" render it faithfully.
_EN_LIMIT = re.compile(
    r"\b(?:no|not) (?:more|less|fewer|greater|higher|lower|longer|shorter|earlier) than\b", re.IGNORECASE
)
_LIMIT_WORDS = re.compile(
    r"(?<![^\W\d_])(?:como máximo|máximo|a lo sumo|hasta|al menos|como mínimo|höchstens|maximal|bis zu|"
    r"mindestens|au plus|au maximum|maximum|jusqu['’]à|au moins|minimum|no máximo|pelo menos|até|"
    r"не более|не менее|максимум|минимум|maksymalnie|najwyżej|co najmniej|كحد أقصى|على الأقل)(?![^\W\d_])"
    r"|最多|至多|不超过|不少于|至少|以上|以下|まで|最大|最低",
    re.IGNORECASE,
)
_TARGET: dict[str, str] = {
    "es": r"no|nunca|jamás|sin|ni|ningún|ninguno|ninguna|ningunos|ningunas|nada|nadie|tampoco|evit\w*|"
    r"imposible\w*|incapa\w*|desconoc\w*|carec\w*|carencia|ausencia|falta\w*|prohib\w*|dej\w+ de|"
    r"libre de|excepto|salvo|ineficaz\w*|insuficiente\w*|inadecuad\w*|ningun\w*|abst\w+|"
    r"invisible\w*|inválid\w*|inexistente\w*|incorrect\w*|inaccesible\w*|nulo|nula|vacío|vacía",
    "pt": r"não|nunca|jamais|sem|nem|nenhum\w*|nada|ninguém|tampouco|evit\w*|impossível|incapaz|"
    r"desconhec\w*|ausência|falta\w*|proib\w*",
    "it": r"non|mai|senza|né|nessun\w*|niente|nulla|nessuno|evit\w*|impossibile|incapace|mancanza",
    "fr": r"ne|n['’]|pas|jamais|plus|aucun\w*|sans|non|ni|rien|personne|nul\w*|guère|évit\w*|"
    r"impossible\w*|incapable\w*|inconnu\w*|absence|manque\w*|interdi\w*|exempt\w*|"
    r"inefficace\w*|insuffisant\w*|introuvable\w*|invisible\w*|invalide\w*|inexistant\w*|"
    r"indisponible\w*|incorrect\w*|inaccessible\w*|vide",
    "de": r"nein|untersag\w*|ungültig\w*|unzulässig\w*|unsichtbar\w*|leer\w*|nicht\w*|kein\w*|nie|"
    r"niemals|nirgend\w*|ohne|weder|noch nie|nichts|niemand\w*|vermeid\w*|"
    r"unmöglich\w*|unbekannt\w*|unwirksam\w*|unfähig\w*|fehl\w*|mangel\w*|verbot\w*|\w+los\b\w*|"
    r"\w+frei\b\w*|un(?:gee|zul|zur|geeig|nöt|sich|klar|abhäng)\w*|außer",
    "ru": r"не\w*|нет|ни|без|никогда|нельзя|ничего|никто|избега\w*|отсутств\w*|запрещ\w*",
    "pl": r"nie\w*|bez|ani|nigdy|żad\w*|unika\w*|brak\w*|ukryt\w*|zabronion\w*",
    "nl": r"niet|geen|nooit|zonder|noch|niets|niemand|vermijd\w*",
    "ar": r"[وف]?(?:لا|لم|لن|ليس|ليست)|غير|بدون|دون|ما|عدم|تجنب\w*|بلا|\w*تعذ\w*|يتعذ\w*|ممنوع\w*",
}
_CJK_TARGET: dict[str, str] = {
    "zh": r"不|没|沒|无|無|未|别|別|勿|非|否|莫|免|避免|禁止|切忌|忌",
    "ja": r"ない|なし|無し|ません|ず|ぬ|不|無|未|非|禁止|避け|いいえ|しないで|なく",
    "ko": r"않|안 |못|없|말고|금지|피하",
}
_GATE = ("no", "n't", "n’t", "never", "without", "avoid", "unable", "neither")
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_RE = re.compile(r"(?<=[.!?。！？])[\s\u00a0]+(?=\S)|(?<=[。！？])")


@lru_cache(maxsize=16)
def _target_re(language: str) -> re.Pattern[str] | None:
    if language in _CJK_TARGET:
        return re.compile(_CJK_TARGET[language])
    words = _TARGET.get(language)
    return re.compile(rf"(?<![^\W\d_])(?:{words})(?![^\W\d_])", re.IGNORECASE) if words else None


def _cues(text: str, pattern: re.Pattern[str], source: bool) -> list[tuple[int, int]]:
    spans = [m.span() for m in pattern.finditer(text)]
    if source and spans:
        idioms = [m.span() for m in _EN_NOT_NEGATION.finditer(text)]
        if idioms:
            spans = [s for s in spans if not any(a <= s[0] < b for a, b in idioms)]
    return spans


def _kept(cue: str, target: str, limit: bool) -> bool:
    """The target keeps this source cue verbatim (a code literal such as None) or renders a limit."""
    if limit and _LIMIT_WORDS.search(target):
        return True
    return re.search(rf"(?<![A-Za-z]){re.escape(cue)}(?![A-Za-z])", target) is not None


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds = [0]
    bounds += [m.end() for m in _SENTENCE_RE.finditer(text) if m.end() < len(text)]
    bounds.append(len(text))
    return [
        (bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1) if text[bounds[i] : bounds[i + 1]].strip()
    ]


class NegationCheck(Check):
    """A negation in the source (not, no, never, without, avoid, cannot, neither/nor…) is kept.

    Critical: a dropped "not" turns a warning into an instruction. Languages covered: es, fr, de,
    zh, plus pt, it, nl, ru, pl, ar, ja, ko; other target languages are not checked (no finding).
    """

    id = "negation"
    name = "Negation dropped"
    severity = Severity.CRITICAL
    category = Category.ACCURACY
    examples = (
        Example("Do not take aspirin with alcohol.", "Tome aspirina con alcohol.", fails=True),
        Example("Do not take aspirin with alcohol.", "No tome aspirina con alcohol.", fails=False),
        Example("Avoid alcohol.", "Évitez l'alcool.", locale="fr", fails=False),
        Example("Never double the dose.", "Verdoppeln Sie die Dosis.", locale="de", fails=True),
        Example("Never double the dose.", "Verdoppeln Sie niemals die Dosis.", locale="de", fails=False),
        Example("Do not drive.", "请勿驾车。", locale="zh_CN", fails=False),
        Example("Do not drive.", "请驾车。", locale="zh_CN", fails=True),
        Example("See No. 5 for details.", "Véase el n.º 5.", note="'No.' is a number sign", fails=False),
        Example(
            "It helps not only adults but also children.",
            "Ayuda a adultos y también a niños.",
            note="'not only … but also' is additive",
            fails=False,
        ),
        Example(
            "Take it daily. Do not stop early.",
            "Tómelo a diario. Deje el tratamiento pronto.",
            fails=True,
            note="second sentence lost its negation",
        ),
        Example("It is not possible to predict.", "Es imposible predecirlo.", fails=False),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target = unit.target
        if not target or lang(unit.source_locale) != "en":
            return ()
        low = unit.source.lower()
        if not any(w in low for w in _GATE):
            return ()  # cheap substring gate: most segments have no negation at all
        source = prose(unit.source)
        src = _cues(source, _EN, True)
        if not src:
            return ()
        pattern = _target_re(lang(unit.locale))
        if pattern is None:
            return ()
        view = prose(target)
        if not _LETTER.search(view):
            return ()  # "None" -> "-": a symbol for "nothing" states no sentence to negate
        tgt = _cues(view, pattern, False)
        if not tgt:
            limits = [m.span() for m in _EN_LIMIT.finditer(source)]
            src = [
                c for c in src if not _kept(source[c[0] : c[1]], view, any(a <= c[0] < b for a, b in limits))
            ]
        if not tgt and src:
            first = src[0]
            return (
                self.finding(
                    unit,
                    f'negation dropped: the source says "{source[first[0] : first[1]]}" but the target '
                    "has no negation",
                    span=raw_span(unit.source, *first),
                    in_target=False,
                ),
            )
        s_sent, t_sent = _sentences(source), _sentences(view)
        if len(s_sent) > 1 and len(s_sent) == len(t_sent):
            for (sa, sb), (ta, tb) in zip(s_sent, t_sent, strict=True):
                cue = next((c for c in src if sa <= c[0] < sb), None)
                if cue and not any(ta <= c[0] < tb for c in tgt):
                    return (
                        self.finding(
                            unit,
                            f'negation dropped in a sentence: the source says "{source[cue[0] : cue[1]]}" '
                            "but the matching target sentence has no negation",
                            span=raw_span(target, ta, tb),
                            in_target=True,
                        ),
                    )
        return ()
