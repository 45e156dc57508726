"""One published page: an article in one language, as HTML, with hreflang/canonical links in <head>.

Why every format becomes HTML: a published article is a web page, and hreflang, canonical, `lang`
and `dir` only exist in HTML. HTML sources are rebuilt by splicing (`medloc.extract.rebuild`), so the
page keeps its CMS markup byte for byte outside the translated spans; Markdown is rebuilt in
Markdown and rendered with markdown-it-py (raw HTML off); plain text becomes <h1>/<h2>/<p>.

Every translated segment goes through `medloc.sanitize` against its source segment first; attribute
segments (alt, title, meta content, front matter) are plain text and escaped where they are written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from medloc.extract import RTL_LANGUAGES, rebuild
from medloc.extract.htmltree import Element, parse
from medloc.extract.markdown import render_html
from medloc.model import Article, BlockKind, Segment
from medloc.sanitize import sanitize

_PLACEHOLDER = "medlocsegment{index}x"
_PLACEHOLDER_RE = re.compile(r"medlocsegment(\d+)x")
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Link:
    """One `<link>` of the page's head: rel="canonical" or rel="alternate" with hreflang."""

    rel: str
    href: str
    hreflang: str | None = None

    def html(self) -> str:
        lang = f' hreflang="{html.escape(self.hreflang)}"' if self.hreflang else ""
        return f'<link rel="{self.rel}"{lang} href="{html.escape(self.href)}">'


@dataclass
class Page:
    """The rendered page and the markup a translation tried to add (escaped, for the notes)."""

    html: str
    escaped: list[str] = field(default_factory=list)


def hreflang(locale: str) -> str:
    """BCP 47 for a gettext locale: zh_CN → zh-CN."""
    return locale.replace("_", "-")


def is_rtl(locale: str) -> bool:
    return locale.split("_")[0].split("-")[0] in RTL_LANGUAGES


def render_page(
    article: Article,
    locale: str,
    translations: Mapping[int, str] | None,
    links: Sequence[Link],
    rewrite: Callable[[str], str] | None = None,
) -> Page:
    """The article in `locale` (`translations=None`: the source itself) with `links` in its head."""
    page = Page("")
    translate = _translator(article, translations or {}, rewrite, page)
    if article.format == "html":
        body = rebuild(article, translate, locale if translations is not None else None)
        page.html = set_head_links(body, links, locale, _title(article, translate))
    elif article.format == "markdown":
        page.html = _markdown_page(article, translate, locale, links, rewrite, page.escaped)
    else:
        page.html = _text_page(article, translate, locale, links)
    return page


def _translator(
    article: Article, translations: Mapping[int, str], rewrite: Callable[[str], str] | None, page: Page
) -> Callable[[Segment], str | None]:
    """Segment → safe text to splice: content sanitised against its source, attributes as text."""
    safe: dict[int, str] = {}
    for segment in article.segments:
        value = translations.get(segment.index)
        if value is None:
            continue
        if segment.attribute is not None or article.format == "text":
            safe[segment.index] = value  # plain text: escaped where it is written
        elif article.format == "markdown":
            safe[segment.index] = value  # Markdown: rendered, then sanitised in _markdown_page
        else:
            result = sanitize(value, segment.text, rewrite)
            page.escaped.extend(result.escaped)
            safe[segment.index] = result.html
    return lambda segment: safe.get(segment.index)


def _title(article: Article, translate: Callable[[Segment], str | None]) -> str:
    for segment in article.segments:
        if segment.kind is BlockKind.TITLE:
            return html.unescape(_TAG.sub("", translate(segment) or segment.text))
    return article.title


def set_head_links(page: str, links: Sequence[Link], locale: str, title: str) -> str:
    """Replace the page's canonical and hreflang links with `links`; wrap a fragment in a page.

    Other `<link rel="alternate">` (feeds) stay. A page without <head> gets one after <html>; a
    fragment without <html> is wrapped in a minimal document (doctype, charset, title).
    """
    root, _ = parse(page)
    elements = root.iter()
    block = "".join(f"\n{link.html()}" for link in links) + "\n"
    edits: list[tuple[int, int, str]] = []
    for element in elements:
        if element.tag == "link" and _ours(element):
            end = element.end + (1 if page[element.end : element.end + 1] == "\n" else 0)
            edits.append((element.start, end, ""))
    head = next((e for e in elements if e.tag == "head"), None)
    top = next((e for e in elements if e.tag == "html"), None)
    if head is not None:  # after a line break when there is one: a refresh puts it back identically
        at = head.inner_end
        edits.append((at, at, block[1:] if page[at - 1 : at] == "\n" else block))
    elif top is not None:
        edits.append((top.inner_start, top.inner_start, f"\n<head>{block}</head>"))
    else:
        return _document(locale, title, block, page)
    out, pos = [], 0
    for start, end, value in sorted(edits, key=lambda e: (e[0], e[1])):
        out += [page[pos:start], value]
        pos = end
    out.append(page[pos:])
    return "".join(out)


def _ours(element: Element) -> bool:
    rel = element.attrs.get("rel", "").lower().split()
    return "canonical" in rel or ("alternate" in rel and "hreflang" in element.attrs)


def _document(locale: str, title: str, head: str, body: str) -> str:
    direction = ' dir="rtl"' if is_rtl(locale) else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{hreflang(locale)}"{direction}>\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title, quote=False)}</title>{head}</head>\n"
        f"<body>\n{body.strip()}\n</body>\n</html>\n"
    )


def _meta(segments: Sequence[Segment], translate: Callable[[Segment], str | None]) -> tuple[str, str]:
    """(title, description) as plain text from the title and meta-description segments."""
    found = {BlockKind.TITLE: "", BlockKind.META_DESCRIPTION: ""}
    for segment in segments:
        if segment.kind in found and not found[segment.kind]:
            found[segment.kind] = translate(segment) or segment.text
    return found[BlockKind.TITLE], found[BlockKind.META_DESCRIPTION]


def _with_description(head: str, description: str) -> str:
    if not description:
        return head
    return f'\n<meta name="description" content="{html.escape(description, quote=True)}">{head}'


def _markdown_page(
    article: Article, translate: Callable[[Segment], str | None], locale: str, links: Sequence[Link],
    rewrite: Callable[[str], str] | None, escaped: list[str],
) -> str:
    """Markdown rebuilt with a placeholder per body segment, rendered, then each placeholder replaced
    by its segment's HTML: the translation rendered inline and sanitised against the source's."""
    body_segments = {s.index: s for s in article.segments if s.attribute is None and s.start >= 0}

    def mark(segment: Segment) -> str | None:
        return _PLACEHOLDER.format(index=segment.index) if segment.index in body_segments else None

    skeleton = rebuild(article, mark, None)[article.front_matter_end :]
    rendered = render_html(skeleton)

    def fill(match: re.Match[str]) -> str:
        segment = body_segments[int(match.group(1))]
        source = render_html(segment.text, inline=True)
        value = translate(segment)
        if value is None:
            return source
        result = sanitize(render_html(value, inline=True), source, rewrite)
        escaped.extend(result.escaped)
        return result.html

    body = _PLACEHOLDER_RE.sub(fill, rendered)
    title, description = _meta(article.segments, translate)
    head = _with_description("".join(f"\n{link.html()}" for link in links) + "\n", description)
    return _document(locale, title or article.title, head, body)


def _text_page(
    article: Article, translate: Callable[[Segment], str | None], locale: str, links: Sequence[Link]
) -> str:
    """Plain text: the title line is <h1>, numbered short lines <h2>, the rest paragraphs (all text)."""
    parts: list[str] = []
    for segment in article.segments:
        text = html.escape(translate(segment) or segment.text, quote=False)
        tag = {BlockKind.TITLE: "h1", BlockKind.HEADING: "h2"}.get(segment.kind, "p")
        parts.append(f"<{tag}>{text}</{tag}>")
    title, _ = _meta(article.segments, translate)
    head = "".join(f"\n{link.html()}" for link in links) + "\n"
    return _document(locale, title or article.title, head, "<main>\n" + "\n".join(parts) + "\n</main>")


__all__ = ["Link", "Page", "hreflang", "is_rtl", "render_page", "set_head_links"]
