"""Translations → safe HTML: a translation may use only the markup its source segment has.

Why a per-segment allow-list: a translator's msgstr is spliced into a live page, so anything it adds
beyond the source's own inline markup (a `<script>`, an `onerror`, a `javascript:` link, an
`<iframe>`, an unclosed `<a>` that swallows the rest of the page) would be published. The source
segment says exactly what is legitimate: its tags, its attributes, and for every attribute that is
not free text (href, src, class, …) its exact value. Links may also take the value the locale's link
rewriting maps the source value to (cancer.gov/… → cancer.gov/espanol/…).

Two passes, on purpose:

1. Our own tag-by-tag pass on the standard library's tokenizer (the one extraction uses). Anything
   not allowed is **escaped**, not dropped: `&lt;script&gt;…` stays visible on the page, so a
   reviewer sees what the translator wrote instead of a silently shortened sentence. Allowed tags
   are re-serialised from their parsed attributes (quoted, escaped), unmatched end tags are
   escaped, and tags left open are closed at the end of the segment.
2. nh3 (Rust ammonia, an HTML5 parser like a browser's) with the same allow-list and exact attribute
   values, as a net for parser differentials between Python's tokenizer and a browser. On output of
   pass 1 it normally changes nothing but the serialisation.

This is the only module that imports nh3.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

VOID = frozenset({"area", "br", "col", "hr", "img", "wbr", "source", "track"})
# Never allowed in a translation, even if a source segment somehow contains them: they run code,
# load documents, take input, or switch the HTML parser into another mode.
DENIED_TAGS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
    "noembed", "noframes", "template", "textarea", "xmp", "plaintext", "title", "base", "link",
    "meta", "form", "input", "button", "select", "option", "svg", "math", "param", "portal",
    "dialog", "html", "head", "body", "listing",
})
TEXT_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "aria-description", "summary"})
URL_ATTRIBUTES = frozenset({
    "href", "src", "cite", "action", "formaction", "poster", "background", "longdesc", "usemap",
    "data", "srcset", "xlink:href", "ping", "manifest", "codebase", "lowsrc", "dynsrc",
})
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_STRIP = re.compile(r"[\x00-\x20\x7f]+")  # browsers drop tab/newline/controls inside URLs


def url_is_safe(value: str) -> bool:
    """Relative URLs and http(s)/mailto/tel only: no javascript:, data:, vbscript:, file: …"""
    found = _SCHEME.match(_STRIP.sub("", html.unescape(value)).lower())
    return found is None or found.group(1) in SAFE_SCHEMES


@dataclass
class Policy:
    """What a source segment allows: tag → attribute → allowed values (None = free text)."""

    tags: dict[str, dict[str, set[str] | None]] = field(default_factory=dict)

    def allows(self, tag: str, name: str, value: str) -> bool:
        attrs = self.tags.get(tag)
        if attrs is None or name not in attrs or name.startswith("on"):
            return False
        values = attrs[name]
        if values is None:
            return True
        return value in values and (name not in URL_ATTRIBUTES or url_is_safe(value))


@dataclass(frozen=True)
class Sanitized:
    """The safe HTML of one translation and what had to be escaped (for the run's notes)."""

    html: str
    escaped: tuple[str, ...] = ()


Rewrite = Callable[[str], str]


def policy_for(source_html: str, rewrite: Rewrite | None = None) -> Policy:
    """The allow-list of a source segment; URL values also allow their rewritten form."""
    policy = Policy()
    for kind, tag, attrs, _raw in _tokens(source_html):
        if kind != "start" or tag in DENIED_TAGS:
            continue
        allowed = policy.tags.setdefault(tag, {})
        for name, value in attrs:
            if name.startswith("on") or value is None:
                continue
            if name in TEXT_ATTRIBUTES:
                allowed[name] = None
                continue
            values = allowed.setdefault(name, set())
            if values is None:
                continue
            values.add(value)
            if name in URL_ATTRIBUTES and rewrite is not None:
                values.add(rewrite(value))
    return policy


def sanitize(translation: str, source_html: str, rewrite: Rewrite | None = None) -> Sanitized:
    """The translation with only its source segment's markup; everything else escaped, visibly."""
    policy = policy_for(source_html, rewrite)
    out: list[str] = []
    escaped: list[str] = []
    open_tags: list[str] = []

    def escape(raw: str) -> None:
        out.append(html.escape(raw, quote=False))
        escaped.append(raw)

    for kind, tag, attrs, raw in _tokens(translation):
        if kind == "data":
            out.append(html.escape(raw, quote=False))
        elif kind == "start" and tag in policy.tags and tag not in DENIED_TAGS:
            kept = [(n, v or "") for n, v in attrs if v is not None and policy.allows(tag, n, v)]
            if len(kept) != len(attrs):
                escape(raw)
                continue
            out.append(_start_tag(tag, kept, rewrite))
            if tag not in VOID:
                open_tags.append(tag)
        elif kind == "end" and tag in open_tags:
            while open_tags:
                name = open_tags.pop()
                out.append(f"</{name}>")
                if name == tag:
                    break
        elif kind == "end" and tag in VOID and tag in policy.tags:
            continue  # `</br>` and friends: nothing to close
        else:
            escape(raw)
    out.extend(f"</{name}>" for name in reversed(open_tags))
    return Sanitized(_net("".join(out), policy), tuple(escaped))


def _start_tag(tag: str, attrs: list[tuple[str, str]], rewrite: Rewrite | None) -> str:
    parts = [tag]
    for name, value in attrs:
        if name in URL_ATTRIBUTES and rewrite is not None:
            value = rewrite(value)
        parts.append(f'{name}="{html.escape(value, quote=True)}"')
    return "<" + " ".join(parts) + ">"


def _net(fragment: str, policy: Policy) -> str:
    """Second opinion from ammonia (an HTML5 parser) with the same allow-list and exact values."""
    tags = {t for t in policy.tags if t not in DENIED_TAGS}
    free = {t: {n for n, v in a.items() if v is None} for t, a in policy.tags.items() if t in tags}
    fixed = {
        t: {n: {x for x in v if n not in URL_ATTRIBUTES or url_is_safe(x)}
            for n, v in a.items() if v is not None and not n.startswith("on")}
        for t, a in policy.tags.items() if t in tags
    }
    return nh3.clean(
        fragment, tags=tags, attributes={"*": set(), **free}, tag_attribute_values=fixed,
        link_rel=None, strip_comments=True, url_schemes=set(SAFE_SCHEMES), generic_attribute_prefixes=set(),
    )


def _tokens(text: str) -> list[tuple[str, str, list[tuple[str, str | None]], str]]:
    """(kind, tag, attributes, raw text) for start tags, end tags and text; the rest counts as text."""
    parser = _Tokenizer()
    parser.feed(text)
    parser.close()
    return parser.tokens


class _Tokenizer(HTMLParser):
    """Flat tokens with their raw text, so a refused tag can be shown exactly as the translator wrote it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, str, list[tuple[str, str | None]], str]] = []
        self._end_at = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("start", tag, attrs, self.get_starttag_text() or f"<{tag}>"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}/>"
        self.tokens.append(("start", tag, attrs, raw))
        if tag not in VOID:
            self.tokens.append(("end", tag, [], ""))

    def parse_endtag(self, i: int) -> int:  # remember where the end tag starts
        self._end_at = i
        return super().parse_endtag(i)

    def handle_endtag(self, tag: str) -> None:
        close = self.rawdata.find(">", self._end_at + 1)
        raw = self.rawdata[self._end_at : close + 1] if close != -1 else f"</{tag}>"
        self.tokens.append(("end", tag, [], raw))

    def handle_data(self, data: str) -> None:
        self.tokens.append(("data", "", [], data))

    def handle_comment(self, data: str) -> None:
        self.tokens.append(("other", "", [], f"<!--{data}-->"))

    def handle_decl(self, decl: str) -> None:
        self.tokens.append(("other", "", [], f"<!{decl}>"))

    def unknown_decl(self, data: str) -> None:
        self.tokens.append(("other", "", [], f"<![{data}]]>"))

    def handle_pi(self, data: str) -> None:
        self.tokens.append(("other", "", [], f"<?{data}>"))

    def handle_entityref(self, name: str) -> None:  # only reached with convert_charrefs=False
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


__all__ = ["DENIED_TAGS", "Policy", "Sanitized", "policy_for", "sanitize", "url_is_safe"]
