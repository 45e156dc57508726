"""A light HTML tree that remembers where every element sits in the source text.

Why not BeautifulSoup's tree: translations are spliced back into the *original* text, so that a page
rebuilt with no translations is byte-identical and a translated page keeps every comment, attribute
quote and entity the CMS wrote. That needs the exact offsets of each start tag, inner content and end
tag, which bs4 does not record; this builder gets them from the standard library's tokenizer (the one
bs4's "html.parser" builder uses, so CSS selectors evaluated with bs4 map onto these nodes by
position, see `selectors.py`). It also applies the HTML rules for implied end tags that CMS markup
relies on (`<p>` closed by a block, `<li>` by the next `<li>`).
"""

from __future__ import annotations

import bisect
from html.parser import HTMLParser

VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "basefont",
        "bgsound",
        "frame",
        "keygen",
    ]
)
# Elements whose start closes an open <p> (HTML spec "closes a p element").
CLOSES_P = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)
# element -> elements it implicitly closes when it starts, scoped by the stop set.
IMPLIED_CLOSE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li"}), frozenset({"ul", "ol", "menu"})),
    "dt": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd"}), frozenset({"dl"})),
    "tr": (frozenset({"tr", "td", "th"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist"})),
    "thead": (frozenset({"tbody", "thead", "tr", "td", "th"}), frozenset({"table"})),
    "tbody": (frozenset({"tbody", "thead", "tr", "td", "th"}), frozenset({"table"})),
    "tfoot": (frozenset({"tbody", "thead", "tr", "td", "th"}), frozenset({"table"})),
}


class Text:
    """A run of character data; `data` has entities already decoded."""

    __slots__ = ("data", "end", "parent", "start")

    def __init__(self, data: str, start: int, end: int, parent: Element) -> None:
        self.data = data
        self.start = start
        self.end = end
        self.parent = parent


class Element:
    """An element with its offsets: [start, inner_start) is the start tag, [inner_end, end) the end tag."""

    __slots__ = ("attrs", "children", "end", "inner_end", "inner_start", "line", "parent", "start", "tag")

    def __init__(
        self, tag: str, attrs: dict[str, str], start: int, inner_start: int, line: int, parent: Element | None
    ) -> None:
        self.tag = tag
        self.attrs = attrs
        self.start = start
        self.inner_start = inner_start
        self.inner_end = inner_start
        self.end = inner_start
        self.line = line
        self.parent = parent
        self.children: list[Element | Text] = []

    def iter(self) -> list[Element]:
        """All descendant elements (self included) in document order."""
        out: list[Element] = []
        stack: list[Element] = [self]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(c for c in reversed(node.children) if isinstance(c, Element))
        return out

    def text(self) -> str:
        parts: list[str] = []
        stack: list[Element | Text] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, Text):
                parts.append(node.data)
            elif node.tag not in ("script", "style", "template"):
                stack.extend(reversed(node.children))
        return "".join(parts)

    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def __repr__(self) -> str:
        return f"<{self.tag} @{self.start}>"


class _TreeBuilder(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.line_starts = [0]
        find = source.find
        pos = find("\n")
        while pos != -1:
            self.line_starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.root = Element("#document", {}, 0, 0, 1, None)
        self.stack: list[Element] = [self.root]
        self.elements: list[Element] = [self.root]  # document order, for free: start tags arrive in order

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _open(self, tag: str, attrs: list[tuple[str, str | None]], self_closing: bool) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        self._close_implied(tag)
        parent = self.stack[-1]
        attr_map = {name: (value if value is not None else "") for name, value in attrs}
        element = Element(tag, attr_map, start, start + len(raw), self.getpos()[0], parent)
        parent.children.append(element)
        self.elements.append(element)
        if self_closing or tag in VOID_ELEMENTS:
            element.inner_end = element.end = element.inner_start
        else:
            self.stack.append(element)

    def _close_implied(self, tag: str) -> None:
        if tag in CLOSES_P:
            self._pop_if_open(
                "p", frozenset({"button", "table", "td", "th", "li", "div", "article", "section"})
            )
        rule = IMPLIED_CLOSE.get(tag)
        if rule:
            closes, scope = rule
            for index in range(len(self.stack) - 1, 0, -1):
                name = self.stack[index].tag
                if name in scope:
                    return
                if name in closes:
                    self._pop_to(index, self._offset())
                    return

    def _pop_if_open(self, tag: str, scope: frozenset[str]) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            name = self.stack[index].tag
            if name == tag:
                self._pop_to(index, self._offset())
                return
            if name in scope:
                return

    def _pop_to(self, index: int, at: int) -> None:
        """Close stack[index:] implicitly: their content ends where the closing token starts."""
        while len(self.stack) > index:
            element = self.stack.pop()
            element.inner_end = element.end = at

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, self_closing=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open(tag, attrs, self_closing=True)

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        close = self.source.find(">", start)
        end = len(self.source) if close == -1 else close + 1
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                self._pop_to(index + 1, start)
                element = self.stack.pop()
                element.inner_end = start
                element.end = end
                return
        # a stray end tag (no matching open element) is ignored, as browsers do

    def handle_data(self, data: str) -> None:
        start = self._offset()
        parent = self.stack[-1]
        parent.children.append(Text(data, start, -1, parent))

    def finish(self) -> Element:
        self.close()
        self._pop_to(1, len(self.source))
        self.root.inner_end = self.root.end = len(self.source)
        self._fix_text_ends(self.root)
        return self.root

    def _fix_text_ends(self, root: Element) -> None:
        """A text node ends where its next sibling (or its parent's content) starts."""
        stack = [root]
        while stack:
            element = stack.pop()
            children = element.children
            for i, child in enumerate(children):
                if isinstance(child, Text):
                    child.end = children[i + 1].start if i + 1 < len(children) else element.inner_end
                else:
                    stack.append(child)

    def within(self, element: Element) -> list[Element]:
        """`element` and its descendants in document order, without walking the tree."""
        if element is self.root:
            return self.elements
        starts = self._starts if hasattr(self, "_starts") else self._index_starts()
        first = bisect.bisect_left(starts, element.start)
        last = bisect.bisect_left(starts, element.end, first)
        return [e for e in self.elements[first:last] if e.start < element.end]

    def _index_starts(self) -> list[int]:
        self._starts = [e.start for e in self.elements]
        return self._starts

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)


def parse(source: str) -> tuple[Element, _TreeBuilder]:
    """Parse `source`; returns the document node and the builder (for offset → line)."""
    builder = _TreeBuilder(source)
    builder.feed(source)
    return builder.finish(), builder
