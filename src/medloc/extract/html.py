"""HTML pages → segments, and segments (translated) → the page again.

Extraction walks the article body found by `body.py` and cuts each block's content into runs of
inline content separated by nested blocks; each run with words in it is one segment, located by its
exact source offsets. Rebuilding splices translations into those spans of the original text, so
everything a translator did not touch (head, scripts, comments, attribute quoting, entities, site
chrome) comes out byte for byte as it went in.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from medloc.extract import body
from medloc.extract.htmltree import Element, Text, parse
from medloc.extract.inline import SPACE_RUN, strip_debris, trim_span
from medloc.extract.selectors import match_elements, select_positions
from medloc.model import Article, BlockKind, MedlocError, Segment

BLOCK_KIND: dict[str, BlockKind] = {
    **{f"h{n}": BlockKind.HEADING for n in range(1, 7)},
    "p": BlockKind.PARAGRAPH,
    "li": BlockKind.LIST_ITEM,
    "td": BlockKind.TABLE_CELL,
    "th": BlockKind.TABLE_CELL,
    "caption": BlockKind.CAPTION,
    "figcaption": BlockKind.FIGCAPTION,
    "blockquote": BlockKind.BLOCKQUOTE,
    "dt": BlockKind.TERM,
    "dd": BlockKind.DEFINITION,
}
# Everything else that breaks a run of inline content.
BLOCK_TAGS = frozenset(BLOCK_KIND) | frozenset(
    [
        "address",
        "article",
        "aside",
        "body",
        "center",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "fieldset",
        "figure",
        "footer",
        "form",
        "frameset",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "main",
        "menu",
        "nav",
        "ol",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
        "head",
        "title",
        "meta",
        "link",
    ]
)
# Kept in the page, never extracted; if inline they still split the run around them.
OPAQUE_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "pre",
        "textarea",
        "iframe",
        "object",
        "select",
    ]
)
_WORD = re.compile(r"\w")
_ATTR = r"""(?P<pre>\s{name}\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s"'=<>`]+))"""

Translation = Callable[[Segment], str | None]


def extract_html(text: str, *, slug: str, path: str, include: list[str], exclude: list[str]) -> Article:
    """Segments of the article body of `text` plus the page title and descriptions."""
    document, builder = parse(text)
    order = builder.elements
    skip = body.chrome_ids(order)
    # <head> is read by `walker.head` only: a page without a <body> tag must not yield its title twice.
    skip.update(id(e) for e in order if e.tag == "head")
    if exclude:
        for element in match_elements(order, select_positions(text, exclude, path), builder.line_starts):
            skip.add(id(element))
    if include:
        roots = match_elements(order, select_positions(text, include, path), builder.line_starts)
        roots = [r for r in roots if not any(o is not r and _contains(o, r) for o in roots)]
        if not roots:
            raise MedlocError(f"no element matches the include selectors {include}", path=path)
    else:
        # Nothing scored and no <body> (a fragment of top-level <h1>/<p>): the fragment is the article.
        roots = body.choose_roots(order, skip) or [document]
    for root in roots:
        skip.update(body.chrome_heading_sections(root, builder.within(root)))
        skip.discard(id(root))
    walker = _Walker(text, builder.line_of, skip)
    walker.head(order)
    for root in roots:
        walker.block(root, BLOCK_KIND.get(root.tag, BlockKind.PARAGRAPH))
    segments = sorted(walker.segments, key=lambda s: (s.start, s.end))
    if not any(s.kind not in _HEAD_KINDS for s in segments):
        raise MedlocError("no article text found (empty page, or no body content)", path=path)
    numbered = tuple(
        Segment(i, s.kind, s.text, s.line, s.element, s.start, s.end, s.attribute)
        for i, s in enumerate(segments)
    )
    title = next((s.text for s in numbered if s.kind is BlockKind.TITLE), "")
    if not title:
        title = next((s.text for s in numbered if s.kind is BlockKind.HEADING), "")
    lang_tag = next((e for e in order if e.tag == "html"), None)
    if lang_tag is None:
        lang_tag = next((c for c in document.children if isinstance(c, Element)), None)
    lang_span = (lang_tag.start, lang_tag.inner_start) if lang_tag is not None else None
    lang = (lang_tag.attrs.get("lang") if lang_tag is not None else None) or "en"
    return Article(slug, path, "html", text, numbered, title=title, lang=lang, lang_span=lang_span)


_HEAD_KINDS = frozenset(
    {BlockKind.TITLE, BlockKind.META_DESCRIPTION, BlockKind.OG_TITLE, BlockKind.OG_DESCRIPTION}
)
_META_KINDS = {
    "description": BlockKind.META_DESCRIPTION,
    "og:title": BlockKind.OG_TITLE,
    "og:description": BlockKind.OG_DESCRIPTION,
}


def _contains(outer: Element, inner: Element) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


class _Walker:
    def __init__(self, source: str, line_of: Callable[[int], int], skip: set[int]) -> None:
        self.source = source
        self.line_of = line_of
        self.skip = skip
        self.segments: list[Segment] = []

    def head(self, order: list[Element]) -> None:
        """<title> and the description metas, wherever the CMS put them (never inside <svg>)."""
        seen_title = False
        for element in order:
            if element.tag == "title" and not seen_title and not _in_svg(element):
                seen_title = True
                if element.children:
                    self._run(element.children, element.inner_end, BlockKind.TITLE, "title")
            elif element.tag == "meta":
                key = (element.attrs.get("name") or element.attrs.get("property") or "").lower()
                kind = _META_KINDS.get(key)
                if kind is not None and element.attrs.get("content", "").strip():
                    self._attribute(element, "content", kind)

    def block(self, element: Element, kind: BlockKind) -> None:
        """Emit the inline runs of `element` and recurse into its nested blocks."""
        run: list[Element | Text] = []
        run_has_words = False
        for child in element.children:
            if isinstance(child, Text):
                run.append(child)
                run_has_words = run_has_words or _WORD.search(child.data) is not None
                continue
            if child.tag in BLOCK_TAGS or child.tag in OPAQUE_TAGS or id(child) in self.skip:
                if run_has_words:
                    self._run(run, child.start, kind, element.tag)
                run, run_has_words = [], False
                if id(child) not in self.skip and child.tag not in OPAQUE_TAGS and not _no_translate(child):
                    self.block(
                        child,
                        BLOCK_KIND.get(child.tag, kind if child.tag in _INHERIT else BlockKind.PARAGRAPH),
                    )
                continue
            run.append(child)
            if self._scan_inline(child):
                run_has_words = True
        if run_has_words:
            self._run(run, max(run[-1].end, element.inner_end), kind, element.tag)

    def _scan_inline(self, element: Element) -> bool:
        """Emit the alt/title segments below an inline element; True if it has translatable words.

        Words inside code/kbd/samp/var or translate="no" do not count (such a run alone is not a
        segment); alt and title attributes are their own segments.
        """
        if _no_translate(element):
            return False
        if element.tag == "img" and element.attrs.get("alt", "").strip():
            self._attribute(element, "alt", BlockKind.IMAGE_ALT)
        elif element.tag == "a" and element.attrs.get("title", "").strip():
            self._attribute(element, "title", BlockKind.LINK_TITLE)
        counts = element.tag not in ("code", "kbd", "samp", "var")
        words = False
        for child in element.children:
            if isinstance(child, Text):
                words = words or (counts and _WORD.search(child.data) is not None)
            elif self._scan_inline(child):
                words = words or counts
        return words

    def _run(self, nodes: list[Element | Text], end: int, kind: BlockKind, tag: str) -> None:
        """One segment from a run of inline nodes ending at `end` (where the next block starts)."""
        start, end = trim_span(self.source, nodes[0].start, end)
        if start >= end:
            return
        text = self._serialize(nodes)
        if not _WORD.search(text):
            return
        self.segments.append(Segment(0, kind, text, self.line_of(start), tag, start, end))

    def _serialize(self, nodes: list[Element | Text]) -> str:
        """The msgid of a run (see `inline.py`): built from the parsed nodes, whose text the tokenizer
        already decoded, so no second pass over character references is needed."""
        parts: list[str] = []
        source = self.source
        stack: list[Element | Text | str] = list(reversed(nodes))
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                parts.append(node)
            elif isinstance(node, Text):
                data = node.data
                if "&" in data or "<" in data or ">" in data:
                    data = html.escape(data, quote=False)
                parts.append(data)
            else:
                parts.append(source[node.start : node.inner_start])
                if node.end > node.inner_end:
                    stack.append(source[node.inner_end : node.end])
                stack.extend(reversed(node.children))
        return strip_debris(SPACE_RUN.sub(" ", "".join(parts)))

    def _attribute(self, element: Element, name: str, kind: BlockKind) -> None:
        raw = self.source[element.start : element.inner_start]
        match = re.search(_ATTR.format(name=re.escape(name)), raw, re.IGNORECASE)
        if match is None:
            return
        group = next(g for g in ("dq", "sq", "uq") if match.group(g) is not None)
        start, end = element.start + match.start(group), element.start + match.end(group)
        text = " ".join(html.unescape(match.group(group)).split())
        if _WORD.search(text):
            self.segments.append(
                Segment(
                    0, kind, text, self.line_of(start), f"{element.tag}@{name}", start, end, attribute=group
                )
            )


_INHERIT = frozenset({"div", "section", "span", "center", "details", "summary", "hgroup", "figure"})


def _no_translate(element: Element) -> bool:
    return element.attrs.get("translate", "").lower() == "no" or "notranslate" in element.classes()


def _in_svg(element: Element) -> bool:
    node = element.parent
    while node is not None:
        if node.tag in ("svg", "math"):
            return True
        node = node.parent
    return False


def rebuild_html(article: Article, translate: Translation, locale: str | None, rtl: bool) -> str:
    """Splice translations into the source; untranslated segments keep their original bytes.

    An alt or title attribute inside a translated paragraph is also part of that paragraph's
    markup: its own translation is then written into the translated paragraph's tag.
    """
    text = article.text
    content: list[list[object]] = []  # [start, end, value]
    attributes: list[tuple[Segment, str]] = []
    for segment in article.segments:
        value = translate(segment)
        if value is None or value == segment.text:
            continue
        if segment.attribute is None:
            content.append([segment.start, segment.end, value])
        else:
            attributes.append((segment, value))
    edits: list[tuple[int, int, str]] = []
    for segment, value in attributes:
        host = next((c for c in content if c[0] <= segment.start and segment.end <= c[1]), None)  # type: ignore[operator]
        if host is not None:
            host[2] = _replace_attribute(str(host[2]), segment, value)
            continue
        escaped = html.escape(value, quote=True)
        edits.append((segment.start, segment.end, f'"{escaped}"' if segment.attribute == "uq" else escaped))
    edits.extend((int(c[0]), int(c[1]), str(c[2])) for c in content)  # type: ignore[call-overload]
    if article.lang_span is not None and locale is not None:
        start, end = article.lang_span
        edits.append((start, end, _set_lang(text[start:end], locale, rtl)))
    return _apply(text, edits)


def _replace_attribute(fragment: str, segment: Segment, value: str) -> str:
    """Write `value` into the first `name="…"` of `fragment` whose text is the segment's source."""
    name = segment.element.partition("@")[2]
    pattern = re.compile(_ATTR.format(name=re.escape(name)), re.IGNORECASE)
    for match in pattern.finditer(fragment):
        group = next(g for g in ("dq", "sq", "uq") if match.group(g) is not None)
        if " ".join(html.unescape(match.group(group)).split()) == segment.text:
            quoted = '"' + html.escape(value, quote=True) + '"'
            return (
                fragment[: match.start(group) - (0 if group == "uq" else 1)]
                + quoted
                + fragment[match.end(group) + (0 if group == "uq" else 1) :]
            )
    return fragment


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = 0
    for start, end, value in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < pos:  # an attribute inside the rewritten start tag is handled by _set_lang
            continue
        out.append(text[pos:start])
        out.append(value)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _set_lang(start_tag: str, locale: str, rtl: bool) -> str:
    tag = start_tag
    lang = locale.replace("_", "-")
    # An existing dir is rewritten either way (an RTL source page translated into Spanish must not
    # stay dir="rtl"); a missing one is only added for RTL locales.
    for name, value, add in (("lang", lang, True), ("dir", "rtl" if rtl else "ltr", rtl)):
        pattern = re.compile(_ATTR.format(name=name), re.IGNORECASE)
        bare = re.compile(rf"(?<=\s){name}(?=\s|/?>)", re.IGNORECASE)  # <html lang>: no value
        if pattern.search(tag):
            tag = pattern.sub(lambda m, v=value: m.group("pre") + f'"{v}"', tag, count=1)
        elif bare.search(tag):
            tag = bare.sub(f'{name}="{value}"', tag, count=1)
        elif add:
            close = len(tag) - (2 if tag.endswith("/>") else 1)
            tag = f'{tag[:close]} {name}="{value}"{tag[close:]}'
    return tag
