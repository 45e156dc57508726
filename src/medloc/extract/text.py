"""Plain-text articles as editors write them → segments, and back.

Conventions (the seed article's): the first non-blank line is the title; a short line such as
"1. Fluctuations in hormone levels" (a number, then a phrase without closing punctuation) is a
heading; blank lines separate paragraphs; lines of one paragraph join with a space. Pasted pages
often end with site chrome ("Comments (0)", "Leave a Comment", "About the Author", "Subscribe to our
newsletter"): extraction stops at the first line that is such a chrome heading, and that tail stays
in the file untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from medloc.extract.body import CHROME_HEADING
from medloc.model import Article, BlockKind, MedlocError, Segment

_HEADING = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[A-H])[.)]\s+\S.{0,100}$")
_CLOSING = re.compile(r"[.!?;,:]\s*$")
_WORD = re.compile(r"\w")

Translation = Callable[[Segment], str | None]


def extract_text(text: str, *, slug: str, path: str) -> Article:
    paragraphs: list[tuple[int, int, int]] = []  # (start, end, first line number)
    pos = 0
    block_start: int | None = None
    block_end = 0
    block_line = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        content = line.rstrip("\r\n")
        if CHROME_HEADING.match(content) and paragraphs:
            break
        if content.strip():
            if block_start is None:
                block_start, block_line = pos + (len(content) - len(content.lstrip())), number
            block_end = pos + len(content.rstrip())
        elif block_start is not None:
            paragraphs.append((block_start, block_end, block_line))
            block_start = None
        pos += len(line)
    if block_start is not None:
        paragraphs.append((block_start, block_end, block_line))
    segments: list[Segment] = []
    for start, end, line in paragraphs:
        raw = text[start:end]
        joined = " ".join(raw.split())
        if not _WORD.search(joined):
            continue
        if not segments:
            kind = BlockKind.TITLE
        elif "\n" not in raw and _HEADING.match(raw) and not _CLOSING.search(raw):
            kind = BlockKind.HEADING
        else:
            kind = BlockKind.PARAGRAPH
        segments.append(Segment(len(segments), kind, joined, line, kind.value, start, end))
    if len(segments) < 2:
        raise MedlocError("empty article: a title line and at least one paragraph are needed", path=path)
    return Article(slug, path, "text", text, tuple(segments), title=segments[0].text)


def rebuild_text(article: Article, translate: Translation) -> str:
    out: list[str] = []
    pos = 0
    for segment in article.segments:
        value = translate(segment)
        if value is None or value == segment.text:
            continue
        out.append(article.text[pos : segment.start])
        out.append(value)
        pos = segment.end
    out.append(article.text[pos:])
    return "".join(out)
