"""Plain data that moves between medloc's stages.

Standard library only: every stage (extraction, glossary, catalogs, checks, publishing) takes and
returns these values, so each stage is testable on its own and Prefect never has to know about them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")  # an article's slug: also its file names and URLs

SourceFormat = Literal["html", "markdown", "text"]


class MedlocError(Exception):
    """An error a user can act on: says which file (and line, where known) and what is wrong."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class BlockKind(StrEnum):
    """What a segment is on the page; shown to translators as a `#.` comment."""

    TITLE = "title"
    META_DESCRIPTION = "meta-description"
    OG_TITLE = "og-title"
    OG_DESCRIPTION = "og-description"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list-item"
    TABLE_CELL = "table-cell"
    CAPTION = "caption"
    FIGCAPTION = "figcaption"
    BLOCKQUOTE = "blockquote"
    TERM = "term"
    DEFINITION = "definition"
    IMAGE_ALT = "image-alt"
    LINK_TITLE = "link-title"


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable unit: a block's text with its inline markup (one PO entry).

    `text` is what translators see (the msgid): for HTML the inner markup with raw inline tags and
    whitespace collapsed; for Markdown the inline Markdown; for plain text the text. `start`/`end` is
    the span of `Article.text` that a translation replaces; `attribute` is set when the span is an
    attribute value (which then must be written back HTML-escaped).
    """

    index: int
    kind: BlockKind
    text: str
    line: int
    element: str
    start: int
    end: int
    attribute: str | None = None

    @property
    def reference(self) -> str:
        """Block reference used in PO `#:` lines together with the article path."""
        return f"{self.element}#{self.index}"


@dataclass(frozen=True, slots=True)
class Article:
    """One source document and its segments, in document order.

    `text` is the decoded source exactly as read: rebuilding with no translations gives it back
    byte for byte. `lang_span` is where the rebuild puts the target language: for HTML the raw start
    tag of <html> (or of the first element of a fragment).
    """

    slug: str
    path: str
    format: SourceFormat
    text: str
    segments: tuple[Segment, ...]
    title: str = ""
    lang: str = "en"
    lang_span: tuple[int, int] | None = None
    front_matter_end: int = 0

    def word_count(self) -> int:
        return sum(len(s.text.split()) for s in self.segments)


class Severity(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"
    INFO = "info"


MQM_PENALTY: dict[Severity, int] = {
    Severity.CRITICAL: 25,
    Severity.MAJOR: 5,
    Severity.MINOR: 1,
    Severity.INFO: 0,
}


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check reports. `span` is (start, end) in `target` when `in_target`, else in source."""

    check: str
    severity: Severity
    message: str
    category: str = ""
    article: str = ""
    locale: str = ""
    source: str = ""
    target: str = ""
    span: tuple[int, int] | None = None
    in_target: bool = True
    suggestion: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """Raw bytes of one article as a source delivered them, before decoding and extraction.

    `name` decides the format (by extension) and the default slug; `origin` is what a person would
    use to find it again (project-relative path or URL); `media_type`/`charset` come from HTTP headers.
    """

    name: str
    origin: str
    data: bytes
    media_type: str | None = None
    charset: str | None = None
    slug: str | None = None
