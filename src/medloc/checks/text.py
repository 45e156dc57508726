"""Shared text views for the translation checks: visible prose, masked code, offset mapping.

Why one module: every translation check needs the same views of a segment (tags removed, entities
decoded, URLs/placeholders masked, digits normalised). Computing them once per string and caching
them (strings cache their hash, so a repeat lookup is a dict probe) keeps ~20 checks per unit cheap:
this is what lets the whole suite run several times faster than pofilter.

`prose(text)` has the same length as `visible(text)`: code is masked with spaces, non-ASCII digits
are mapped one-to-one, so an offset found in prose is an offset in visible text, and `raw_span`
maps it back to the segment (only when a finding is made — the slow path).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
ANY_TAG_RE = re.compile(r"<[A-Za-z/!?][^<>]*>")
ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
_BREAK_RE = re.compile(r"<(?:br|/p|/li|/td|/th|/div|/h\d)\b[^<>]*>", re.IGNORECASE)
URL_RE = re.compile(
    r"\b(?:https?|ftp)://[^\s<>\"'`«»“”]+[^\s<>\"'`«»“”.,;:!?)\]]"
    r"|\bwww\.[^\s<>\"'`«»“”]+[^\s<>\"'`«»“”.,;:!?)\]]"
    r"|\b(?:[a-z0-9-]+\.)+(?:gov|org|com|edu|net)(?:/[^\s<>\"'`«»“”]*[^\s<>\"'`«»“”.,;:!?)\]])?",
    re.IGNORECASE,
)
EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# printf (incl. python %(name)s and positional %1$s), python-brace {0} / {name}, Django {{ var }}.
PLACEHOLDER_RE = re.compile(
    r"%(?:\([A-Za-z_][\w.]*\)|\d+\$)?[-+#0]*\d*(?:\.\d+)?[sdifeEgGxXcru]"
    r"|\{\{\s*[\w.]+\s*\}\}|\{[A-Za-z_]?[\w.]*(?:![rsa])?(?::[^{}]*)?\}"
)
_CODE_RE = re.compile(f"{URL_RE.pattern}|{EMAIL_RE.pattern}|{PLACEHOLDER_RE.pattern}", re.IGNORECASE)
_CODE_HINT = re.compile(r"[%{@]|://|www\.|\.(?:gov|org|com|edu|net)\b")
# Full-width, Arabic-Indic and extended Arabic-Indic digits read as ASCII (one char for one char).
DIGITS = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "\u066b": ",",
        "\u066c": ".",
        "\uff05": "%",
    }
)
_NON_ASCII_DIGIT = re.compile("[\uff10-\uff19\u0660-\u066c\u06f0-\u06f9\uff05]")
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@lru_cache(maxsize=64)
def lang(locale: str) -> str:
    """Primary language subtag: 'es-419' -> 'es', 'zh_CN' -> 'zh', 'pt_BR' -> 'pt'."""
    return re.split(r"[-_@.]", locale or "", maxsplit=1)[0].lower()


@lru_cache(maxsize=16384)
def visible(text: str) -> str:
    """The text a reader sees: tags removed (block breaks read as spaces), entities decoded."""
    if "<" in text:
        text = _BREAK_RE.sub(" ", text)
        text = ANY_TAG_RE.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def _blank(match: re.Match[str]) -> str:
    return " " * (match.end() - match.start())


@lru_cache(maxsize=16384)
def prose(text: str) -> str:
    """`visible(text)` with URLs, e-mails and placeholders blanked and digits made ASCII (same length)."""
    vis = visible(text)
    if _CODE_HINT.search(vis):
        vis = _CODE_RE.sub(_blank, vis)
    if _NON_ASCII_DIGIT.search(vis):
        vis = vis.translate(DIGITS)
    return vis


def raw_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Map a span of `visible(text)` back to `text` (the segment with its tags and entities)."""
    if "<" not in text and "&" not in text:
        return (start, end)
    starts: list[int] = []
    pos = 0
    n = len(text)
    while pos < n:
        ch = text[pos]
        if ch == "<":
            m = ANY_TAG_RE.match(text, pos)
            if m:
                if _BREAK_RE.match(text, pos):
                    starts.append(pos)
                pos = m.end()
                continue
        elif ch == "&":
            m = ENTITY_RE.match(text, pos)
            if m:
                starts.extend([pos] * len(html.unescape(m.group())))
                pos = m.end()
                continue
        starts.append(pos)
        pos += 1
    starts.append(n)
    start = min(max(start, 0), len(starts) - 1)
    end = min(max(end, start + 1), len(starts) - 1)
    return (starts[start], starts[end - 1] + 1)


def is_cjk(locale: str) -> bool:
    return lang(locale) in ("zh", "ja", "ko")
