"""Plain text of a segment for the engines, with a map back to the segment's own offsets.

Segments of HTML articles keep their inline markup ("Take <b>5 mg</b> &amp; rest"). Grammar and
spelling engines must not see tags or entities (LanguageTool would flag "<b>" and "&amp;" as
typos), but a reviewer must see the finding's span in the segment text they know. So every engine
reads `PlainText.text` and every span it reports goes back through `PlainText.span()`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_MARKUP_RE = re.compile(r"<[A-Za-z/!?][^<>]*>|&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
_BREAK_TAG_RE = re.compile(r"<br\b", re.IGNORECASE)
_CODE_RE = re.compile(
    r"<(code|kbd|samp|pre|var|tt|script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_URL_EMAIL_RE = re.compile(
    r"\b(?:https?|ftp)://[^\s<>\"'`]+|\bwww\.[^\s<>\"'`]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)
_MD_CODE_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class PlainText:
    """`text` without tags, entities decoded; `starts[i]:ends[i]` is the original of `text[i]`."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that `text[start:end]` came from (clamped, never empty-inverted)."""
        if not self.text:
            return (0, 0)
        start = min(max(start, 0), len(self.text) - 1)
        end = min(max(end, start + 1), len(self.text))
        return (self.starts[start], self.ends[end - 1])


def plain_text(original: str) -> PlainText:
    """Strip inline tags (a `<br>` reads as a space) and decode entities, keeping the offset map."""
    if "<" not in original and "&" not in original:
        index = tuple(range(len(original)))
        return PlainText(original, original, index, tuple(i + 1 for i in index))
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    cursor = 0
    for match in _MARKUP_RE.finditer(original):
        for i in range(cursor, match.start()):
            pieces.append(original[i])
            starts.append(i)
            ends.append(i + 1)
        token = match.group()
        if token.startswith("&"):
            decoded = html.unescape(token)
            pieces.append(decoded if len(decoded) == 1 else " ")
            starts.append(match.start())
            ends.append(match.end())
        elif _BREAK_TAG_RE.match(token):
            pieces.append(" ")
            starts.append(match.start())
            ends.append(match.end())
        cursor = match.end()
    for i in range(cursor, len(original)):
        pieces.append(original[i])
        starts.append(i)
        ends.append(i + 1)
    return PlainText(original, "".join(pieces), tuple(starts), tuple(ends))


def skipped_spans(original: str) -> list[tuple[int, int]]:
    """Spans of the original that no spell checker should read: code, URLs, e-mail addresses."""
    spans: list[tuple[int, int]] = []
    for pattern in (_CODE_RE, _URL_EMAIL_RE, _MD_CODE_RE):
        spans.extend(m.span() for m in pattern.finditer(original))
    return sorted(spans)
