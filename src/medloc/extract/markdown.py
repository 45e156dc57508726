"""Markdown articles (with YAML front matter) → segments, and back.

markdown-it-py gives each block's inline content and its source lines; we locate that content in
the lines to get exact offsets, so a rebuild rewrites only the inline text and keeps list markers,
heading hashes, table pipes, code blocks and front matter as written. Front matter `title` and
`description` are segments too; `slug` and `lang` name the article.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt

from medloc import yamlio
from medloc.model import Article, BlockKind, MedlocError, Segment

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_PARSER = MarkdownIt("commonmark").enable("table")
# Publishing renders with raw HTML off: a Markdown page's HTML comes only from Markdown syntax, and
# markdown-it's link validation refuses javascript:/vbscript:/file: URLs (medloc.sanitize then
# holds each translated segment to its source segment's tags and links).
_RENDERER = MarkdownIt("commonmark", {"html": False}).enable("table")
_KIND_BY_OPEN = {
    "heading_open": BlockKind.HEADING,
    "paragraph_open": BlockKind.PARAGRAPH,
    "th_open": BlockKind.TABLE_CELL,
    "td_open": BlockKind.TABLE_CELL,
}
_WORD = re.compile(r"\w")

Translation = Callable[[Segment], str | None]


def read_front_matter(text: str, path: str) -> tuple[dict[str, Any], int]:
    """The front matter mapping and the offset where the Markdown body starts."""
    match = _FRONT.match(text)
    if not match:
        return {}, 0
    try:
        data = yamlio.load(match.group(1)) or {}
    except yamlio.YamlSyntaxError as exc:
        line = exc.line + 1 if exc.line is not None else None  # + the opening `---` line
        raise MedlocError(f"invalid YAML front matter: {exc.problem}", path=path, line=line) from exc
    if not isinstance(data, dict):
        raise MedlocError("front matter must be a mapping (key: value lines)", path=path, line=2)
    for key in ("slug", "title", "description", "lang"):
        # Only single values: `str()` of a list or mapping built from YAML aliases (a "billion laughs"
        # front matter) would expand it exponentially and hang the run.
        if key in data and not isinstance(data[key], str | int | float | bool | None):
            found = re.search(rf"^{key}[ \t]*:", match.group(1), re.MULTILINE)
            line = match.group(1).count("\n", 0, found.start()) + 2 if found else 2
            kind = type(data[key]).__name__
            message = f"front matter '{key}' must be a single value, not a {kind}"
            raise MedlocError(message, path=path, line=line)
    return data, match.end()


def extract_markdown(text: str, *, slug: str, path: str, front: dict[str, Any], body_start: int) -> Article:
    segments: list[Segment] = []
    for key, kind in (("title", BlockKind.TITLE), ("description", BlockKind.META_DESCRIPTION)):
        value = front.get(key)
        if isinstance(value, str) and value.strip():
            start, end = _front_value_span(text, body_start, key, value)
            segments.append(
                Segment(
                    0,
                    kind,
                    " ".join(value.split()),
                    text.count("\n", 0, max(start, 0)) + 1,
                    f"front-matter:{key}",
                    start,
                    end,
                    attribute="yaml",
                )
            )
    body = text[body_start:]
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", body)]
    first_line = text.count("\n", 0, body_start)
    tokens = _PARSER.parse(body)
    kinds: list[BlockKind] = []
    for token in tokens:
        if token.type == "list_item_open":
            kinds.append(BlockKind.LIST_ITEM)
        elif token.type == "blockquote_open":
            kinds.append(BlockKind.BLOCKQUOTE)
        elif token.type in ("list_item_close", "blockquote_close"):
            kinds.pop()
        elif token.type in _KIND_BY_OPEN:
            kinds.append(_KIND_BY_OPEN[token.type])
        elif token.type in ("heading_close", "paragraph_close", "th_close", "td_close"):
            kinds.pop()
        elif token.type == "inline" and token.map and _WORD.search(token.content):
            kind = kinds[-1] if kinds else BlockKind.PARAGRAPH
            if kind is BlockKind.PARAGRAPH and len(kinds) > 1:
                kind = kinds[-2]
            start, end = _locate(body, line_starts, token.map, token.content, segments, body_start)
            segments.append(
                Segment(
                    0,
                    kind,
                    " ".join(token.content.split()),
                    first_line + token.map[0] + 1,
                    _element(kind),
                    start,
                    end,
                )
            )
    if not any(s.kind not in (BlockKind.TITLE, BlockKind.META_DESCRIPTION) for s in segments):
        raise MedlocError("empty article: no paragraphs or headings found", path=path)
    numbered = tuple(
        Segment(i, s.kind, s.text, s.line, s.element, s.start, s.end, s.attribute)
        for i, s in enumerate(segments)
    )
    title = str(front.get("title") or next((s.text for s in numbered if s.kind is BlockKind.HEADING), ""))
    lang = str(front.get("lang") or "en")
    return Article(
        slug, path, "markdown", text, numbered, title=title, lang=lang, front_matter_end=body_start
    )


def _element(kind: BlockKind) -> str:
    return {
        BlockKind.HEADING: "heading",
        BlockKind.LIST_ITEM: "item",
        BlockKind.TABLE_CELL: "cell",
        BlockKind.BLOCKQUOTE: "quote",
    }.get(kind, "paragraph")


def _locate(
    body: str, line_starts: list[int], line_map: list[int], content: str, done: list[Segment], offset: int
) -> tuple[int, int]:
    """Offsets (in the whole text) of the inline content's first to last character; (-1, -1) if unsure."""
    lines = content.split("\n")
    first, last = line_map[0], line_map[0] + len(lines) - 1
    if last >= len(line_starts):
        return -1, -1
    cursor = line_starts[first]
    previous = [s.end - offset for s in done if s.start >= 0 and line_starts[first] <= s.start - offset]
    if previous:  # table cells share a line: search after the cell before
        cursor = max(cursor, max(previous))
    line_end = body.find("\n", line_starts[first])
    start = body.find(lines[0], cursor, len(body) if line_end == -1 else line_end)
    if start == -1:
        return -1, -1
    end_line_start = line_starts[last] if last != first else start
    end = body.find(lines[-1], end_line_start)
    if end == -1:
        return -1, -1
    return start + offset, end + len(lines[-1]) + offset


def _front_value_span(text: str, body_start: int, key: str, value: str) -> tuple[int, int]:
    """The exact source span of a top-level front-matter string value; (-1, -1) if it cannot be found.

    Taken from the YAML node's marks, not from the `key: value` line: a quoted or plain value may
    continue on the next lines, and splicing a translation over its first line only left broken
    YAML that the rebuilt article could not be read back from (found by fuzzing).
    """
    match = _FRONT.match(text[:body_start])
    if match is None:
        return -1, -1
    try:
        root = yamlio.compose(match.group(1))
    except yamlio.YamlSyntaxError:
        return -1, -1
    if root is None or root.kind != "mapping":
        return -1, -1
    for key_node, value_node in root.pairs:
        if key_node.kind == "scalar" and key_node.text == key:
            if value_node.kind != "scalar" or value_node.text != value:
                return -1, -1
            start = match.start(1) + value_node.start
            end = match.start(1) + value_node.end
            while end > start and text[end - 1] in " \t\r\n":  # a block scalar's span ends past its newline
                end -= 1
            return start, end
    return -1, -1


def render_html(markdown: str, *, inline: bool = False) -> str:
    """Markdown → HTML for publishing (raw HTML escaped); `inline` renders one segment's text."""
    return _RENDERER.renderInline(markdown) if inline else _RENDERER.render(markdown)


def rebuild_markdown(article: Article, translate: Translation, locale: str | None) -> str:
    edits: list[tuple[int, int, str]] = []
    for segment in article.segments:
        value = translate(segment)
        if value is None or value == segment.text or segment.start < 0:
            continue
        if segment.attribute == "yaml":
            value = json.dumps(value, ensure_ascii=False)
        edits.append((segment.start, segment.end, value))
    text = article.text
    out: list[str] = []
    pos = 0
    for start, end, value in sorted(edits):
        out.append(text[pos:start])
        out.append(value)
        pos = end
    out.append(text[pos:])
    result = "".join(out)
    if article.front_matter_end and locale is not None:
        result = _set_front_lang(result, locale)
    return result


def _set_front_lang(text: str, locale: str) -> str:
    match = _FRONT.match(text)
    if match is None:
        return text
    block = match.group(1)
    lang_line = re.compile(r"^lang[ \t]*:.*$", re.MULTILINE)
    new_block = (
        lang_line.sub(f"lang: {locale}", block, count=1)
        if lang_line.search(block)
        else block + ("" if block.endswith("\n") else "\n") + f"lang: {locale}\n"
    )
    if not _front_lang_is(new_block, locale):
        # A flow mapping (`{title: x}`) or `{}` takes no extra line: appending one broke the YAML and
        # the rebuilt article could not be read back (found by fuzzing). Write the mapping out again.
        try:
            data = yamlio.load(block) or {}
        except yamlio.YamlSyntaxError:
            return text
        if not isinstance(data, dict):
            return text
        new_block = yamlio.dump({**data, "lang": locale})
    return text[: match.start(1)] + new_block + text[match.end(1) :]


def _front_lang_is(block: str, locale: str) -> bool:
    try:
        data = yamlio.load(block)
    except yamlio.YamlSyntaxError:
        return False
    return isinstance(data, dict) and str(data.get("lang")) == locale
