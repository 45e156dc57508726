"""Words of a segment with their offsets, seen through inline markup, never inside protected text.

A segment's text keeps its inline markup (HTML tags, Markdown emphasis), so "Flesh <em>jumping</em>"
must still read as the two words of a term, while a URL, a code span or an element marked
`translate="no"` must never be matched or rewritten. Tags become plain separators; protected spans
become barriers no term can cross. A separator other than spaces, hyphens, tags or Markdown emphasis
markers (a comma, a full stop, a bracket) is a barrier too, so a term never spans two clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAS_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# What may separate the words of one term: whitespace, hyphens, Markdown emphasis markers.
_BARRIER_RE = re.compile(r"[^\s\-\u2010\u2011*_~]")

_TAG_RE = re.compile(r"<[A-Za-z/!?][^<>]*>")
_SPACE_ENTITY_RE = re.compile(r"&(?:nbsp|#160|#xa0|ensp|emsp|thinsp);", re.IGNORECASE)
_ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
_CODE_ELEMENT_RE = re.compile(
    r"<(code|kbd|samp|pre|var|tt|script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_NO_TRANSLATE_RE = re.compile(
    r"<([A-Za-z][A-Za-z0-9]*)\b[^>]*?(?:\btranslate\s*=\s*[\"']?no\b|\bclass\s*=\s*[\"'][^\"']*\bnotranslate\b)[^>]*>",
    re.IGNORECASE,
)
_URL_RE = re.compile(
    r"\b(?:https?|ftp)://[^\s<>\"'`]+|\bwww\.[^\s<>\"'`]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)
_MD_CODE_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_MD_LINK_TARGET_RE = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")


@dataclass(frozen=True, slots=True)
class Tokens:
    """Words in text order: `starts[i]:ends[i]` is word i in the original text.

    `view` is the text with tags blanked and protected spans turned into barrier characters.
    """

    text: str
    words: list[str]
    starts: list[int]
    ends: list[int]
    view: str


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans of `text` nothing may match or rewrite: code, URLs, e-mail, `translate="no"` elements."""
    spans: list[tuple[int, int]] = []
    for pattern in (_CODE_ELEMENT_RE, _URL_RE, _MD_CODE_RE, _MD_LINK_TARGET_RE):
        spans.extend(m.span() for m in pattern.finditer(text))
    for match in _NO_TRANSLATE_RE.finditer(text):
        spans.append((match.start(), _element_end(text, match.group(1), match.end())))
    return sorted(spans)


def _element_end(text: str, name: str, pos: int) -> int:
    """End offset of the element whose start tag ends at `pos` (nesting of the same name counted)."""
    pattern = re.compile(rf"<(/?){re.escape(name)}\b[^>]*?(/?)>", re.IGNORECASE)
    depth = 1
    for match in pattern.finditer(text, pos):
        if match.group(1):
            depth -= 1
        elif not match.group(2):
            depth += 1
        if depth == 0:
            return match.end()
    return len(text)


def is_plain(text: str) -> bool:
    """No tag, entity, code, URL or e-mail can be in `text`: its view is the text itself.

    The common case (prose); substring tests are ~5x cheaper than a regex search.
    """
    return not ("<" in text or "&" in text or "`" in text or "@" in text or "://" in text or "](" in text
                or "www." in text.lower())


def masked(text: str) -> str:
    """`text` with tags turned into spaces and protected spans into barrier characters (same length)."""
    if is_plain(text):
        return text
    chars = list(text)
    for start, end in protected_spans(text):
        chars[start:end] = "\x00" * (end - start)
    view = "".join(chars)
    for pattern, fill in ((_TAG_RE, " "), (_SPACE_ENTITY_RE, " "), (_ENTITY_RE, "\x00")):
        if pattern is _TAG_RE and "<" not in view:
            continue
        view = pattern.sub(lambda m, f=fill: f * len(m.group(0)), view)
    return view


def tokenize(text: str, *, markup: bool = True) -> Tokens:
    """Split `text` into words; with `markup`, look through tags and skip protected spans.

    Built with list comprehensions over one regex pass (this is the hot path of every stage); whether
    a gap is a barrier is decided later, only for the gaps inside a candidate match (`crosses_barrier`).
    """
    view = masked(text) if markup else text
    found = list(_WORD_RE.finditer(view))
    words = [m.group(0) for m in found]
    if not all(w.isascii() for w in words) and any(_HAS_CJK_RE.search(w) for w in words):
        return _tokenize_cjk(text, view, found)
    return Tokens(text, words, [m.start() for m in found], [m.end() for m in found], view)


def _tokenize_cjk(text: str, view: str, found: list[re.Match[str]]) -> Tokens:
    """Chinese/Japanese runs become one token per character (no spaces to split on)."""
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in found:
        word, start = match.group(0), match.start()
        if word.isascii() or not _HAS_CJK_RE.search(word):
            words.append(word)
            starts.append(start)
            ends.append(match.end())
            continue
        for part in _CJK_RE.finditer(word):
            words.append(part.group(0))
            starts.append(start + part.start())
            ends.append(start + part.end())
    return Tokens(text, words, starts, ends, view)


def crosses_barrier(tokens: Tokens, first: int, last: int) -> bool:
    """True when a gap between words first..last holds punctuation, a protected span or other text."""
    search = _BARRIER_RE.search
    view = tokens.view
    return any(search(view, tokens.ends[i], tokens.starts[i + 1]) for i in range(first, last))
