"""Find the article body in a web page: what a reader would call the article, without site chrome.

Order of evidence, strongest first: the project's CSS selectors (`[extract] include/exclude`),
semantic markup (`itemprop=articleBody`, `article`, `main`, `role=main`), then a readability-style
score (text in paragraphs, minus link text) for pages built only of divs. Inside the chosen body,
chrome is dropped by role, tag, class/id vocabulary (comments, share bars, newsletter boxes, author
boxes, related links, cookie banners …), visibility, link density, and "chrome headings" such as
"Leave a Comment" that start a trailing section of boilerplate.
"""

from __future__ import annotations

import re

from medloc.extract.htmltree import Element, Text

CHROME_TAGS = frozenset(
    [
        "nav",
        "aside",
        "footer",
        "form",
        "button",
        "dialog",
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "svg",
        "select",
        "textarea",
        "input",
        "label",
        "object",
        "embed",
        "canvas",
        "map",
    ]
)
CHROME_ROLES = frozenset(
    [
        "navigation",
        "banner",
        "contentinfo",
        "complementary",
        "search",
        "dialog",
        "alertdialog",
        "menu",
        "menubar",
        "toolbar",
        "tablist",
    ]
)
# class / id words that mark chrome; matched against the parts of a class or id split at - and _.
# Strong words mark chrome whatever else the class says ("entry-meta", "comment-content").
STRONG_CHROME_WORDS = frozenset(
    [
        "comment",
        "comments",
        "commentlist",
        "respond",
        "reply",
        "share",
        "sharing",
        "social",
        "sharedaddy",
        "addthis",
        "newsletter",
        "subscribe",
        "subscription",
        "signup",
        "breadcrumb",
        "breadcrumbs",
        "cookie",
        "cookies",
        "consent",
        "gdpr",
        "advert",
        "advertisement",
        "ads",
        "adsense",
        "sponsor",
        "sponsored",
        "promo",
        "popup",
        "modal",
        "overlay",
        "related",
        "recommended",
        "trending",
        "popular",
        "tags",
        "tagcloud",
        "byline",
        "author",
        "authors",
        "bio",
        "avatar",
        "print",
        "skiplink",
        "disqus",
        "rating",
        "ratings",
        "feedback",
        "meta",
        "postmeta",
        "links",
        "categories",
        "category",
        "copyright",
        "pagination",
        "pager",
        "paging",
    ]
)
# Layout words also name wrappers that hold the content ("content-sidebar-wrap"): a content word
# in the same class keeps such a div.
WEAK_CHROME_WORDS = frozenset(
    [
        "sidebar",
        "widget",
        "widgets",
        "menu",
        "navbar",
        "navigation",
        "nav",
        "masthead",
        "toolbar",
        "footer",
        "banner",
        "topbar",
        "skip",
        "ad",
        "tag",
    ]
)
CONTENT_WORDS = frozenset(["content", "body", "entry", "article", "post", "story", "text", "main"])
# Stems that mark chrome inside compound class names ("jp-relatedposts", "sharethis", "addtoany").
CHROME_STEMS = (
    "related",
    "share",
    "social",
    "comment",
    "newsletter",
    "subscri",
    "breadcrumb",
    "cookie",
    "consent",
    "byline",
    "advert",
    "sponsor",
    "promo",
    "popup",
    "paginat",
    "syndicat",
)
# Spanish, French and German theme vocabulary (health sites in other languages are sources too).
FOREIGN_CHROME_WORDS = frozenset(
    [
        "compartir",
        "firma",
        "antetitulo",
        "etiquetas",
        "comentarios",
        "relacionados",
        "autor",
        "fecha",
        "publicidad",
        "boletin",
        "partager",
        "commentaires",
        "auteur",
        "articles-lies",
        "teilen",
        "kommentare",
        "verwandte",
        "werbung",
    ]
)
CHROME_HEADING = re.compile(
    r"^\s*(comments?\s*(\(\d+\))?|\d+\s+comments?|leave\s+a\s+(comment|reply)|post\s+a\s+comment|"
    r"about\s+the\s+author|related\s+(articles?|posts?|stories|content|reading)|you\s+may\s+also\s+like|"
    r"read\s+more|more\s+(from|on)\b.*|share\s+(this|on)\b.*|subscribe\b.*|stay\s+updated|"
    r"sign\s+up\b.*|newsletter|popular\s+posts?|recent\s+posts?|tags?:?|categories)\s*[.:!]?\s*$",
    re.IGNORECASE,
)
_STRUCTURAL = frozenset({"html", "body", "main", "article"})
BLOCK_TEXT_TAGS = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "td",
        "th",
        "dd",
        "dt",
        "blockquote",
        "figcaption",
        "caption",
        "pre",
    ]
)
_SPLIT = re.compile(r"[-_\s]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def is_chrome(element: Element) -> bool:
    """True when the element is site furniture by its own markup (not by its content)."""
    if element.tag in CHROME_TAGS:
        return True
    attrs = element.attrs
    if attrs.get("role", "").lower() in CHROME_ROLES:
        return True
    if "hidden" in attrs or attrs.get("aria-hidden", "").lower() == "true":
        return True
    style = attrs.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    if element.tag in _STRUCTURAL:  # themes put layout words ("right-sidebar") on <body>
        return False
    words = set()
    for value in (attrs.get("class", ""), attrs.get("id", "")):
        words.update(w for w in _SPLIT.split(value.lower()) if w)
    if not words:
        return False
    if words & STRONG_CHROME_WORDS or words & FOREIGN_CHROME_WORDS:
        return True
    if any(stem in word for word in words for stem in CHROME_STEMS):
        return True
    return bool(words & WEAK_CHROME_WORDS) and not (
        words & CONTENT_WORDS and element.tag in ("div", "section")
    )


def is_page_header(element: Element) -> bool:
    """A <header> that belongs to the page (not the article's own header with its h1)."""
    if element.tag != "header":
        return False
    node = element.parent
    while node is not None:
        if node.tag in ("article", "main") or node.attrs.get("role") == "main":
            return False
        node = node.parent
    return True


class PageIndex:
    """Per-element measurements computed in two passes over the tree, so that choosing the body
    never walks the same subtree twice: text length, link text length, commas, chrome inheritance
    and a content score (paragraph-like text, link text counted at a tenth)."""

    def __init__(self, order: list[Element], skip: set[int]) -> None:
        self.order = order
        self.skipped: set[int] = set()
        for element in self.order:
            parent = element.parent
            if id(element) in skip or (parent is not None and id(parent) in self.skipped):
                self.skipped.add(id(element))
        self.text_len: dict[int, int] = {}
        self.link_len: dict[int, int] = {}
        self.commas: dict[int, int] = {}
        self.score: dict[int, float] = {}
        for element in reversed(self.order):
            text = links = commas = 0
            score = 0.0
            for child in element.children:
                if isinstance(child, Text):
                    data = child.data.strip()
                    text += len(data)
                    commas += data.count(",")
                elif child.tag not in ("script", "style", "template"):
                    key = id(child)
                    text += self.text_len[key]
                    links += self.link_len[key]
                    commas += self.commas[key]
                    score += self.score[key]
            key = id(element)
            if element.tag == "a":
                links = text
            if key in self.skipped:
                score = 0.0
            elif element.tag in BLOCK_TEXT_TAGS:
                score = max(0, text - links) + links * 0.1
            self.text_len[key], self.link_len[key], self.commas[key], self.score[key] = (
                text,
                links,
                commas,
                score,
            )


def chrome_ids(order: list[Element]) -> set[int]:
    """ids of every element that is chrome by markup (their subtrees are skipped too)."""
    out: set[int] = set()
    for element in order:
        if element.tag == "#document":
            continue
        if is_chrome(element) or is_page_header(element):
            out.add(id(element))
    return out


def choose_roots(order: list[Element], skip: set[int]) -> list[Element]:
    """The element(s) holding the article, in document order (`order`: every element, in order)."""
    index = PageIndex(order, skip)
    candidates = [e for e in index.order if id(e) not in index.skipped and _semantic_candidate(e)]
    scored = [(index.score[id(e)], e) for e in candidates if index.score[id(e)] > 0]
    if scored:
        best_score = max(s for s, _ in scored)
        # The narrowest candidate that still holds nearly all of the best one's text.
        good = [(s, e) for s, e in scored if s >= 0.85 * best_score]
        root = min(good, key=lambda item: item[1].end - item[1].start)[1]
    else:
        found = _best_by_density(index)
        if found is None:
            return []
        root = found
    roots = [root]
    heading = _orphan_h1(index, root)
    if heading is not None:
        roots.insert(0, heading)
    return roots


def _semantic_candidate(element: Element) -> bool:
    attrs = element.attrs
    if element.tag in ("article", "main"):
        return True
    if attrs.get("role", "").lower() == "main":
        return True
    return "articlebody" in attrs.get("itemprop", "").lower()


def _best_by_density(index: PageIndex) -> Element | None:
    """Readability's idea: credit each text block's parent (and half to its grandparent)."""
    scores: dict[int, float] = {}
    by_id: dict[int, Element] = {}
    for node in index.order:
        key = id(node)
        if node.tag not in BLOCK_TEXT_TAGS or key in index.skipped:
            continue
        length = index.text_len[key]
        if length < 25:
            continue
        value = (1 + index.commas[key] + min(length / 100, 3)) * (1 - index.link_len[key] / max(length, 1))
        parent = node.parent
        for weight in (1.0, 0.5):
            if parent is None or parent.tag == "#document":
                break
            scores[id(parent)] = scores.get(id(parent), 0.0) + value * weight
            by_id[id(parent)] = parent
            parent = parent.parent
    if not scores:
        return next((n for n in index.order if n.tag == "body"), None)
    best = max(scores, key=lambda key: scores[key])
    root = by_id[best]
    # Readability's sibling rule: when the article continues in siblings of the best container
    # (a lead paragraph before a list, a second text column), the parent is the article.
    while (parent := root.parent) is not None and parent.tag not in ("#document", "html", "body"):
        if not any(
            _continues_article(c, index, scores, scores[best])
            for c in parent.children
            if isinstance(c, Element) and c is not root and id(c) not in index.skipped
        ):
            break
        root = parent
    return root


def _continues_article(sibling: Element, index: PageIndex, scores: dict[int, float], best: float) -> bool:
    key = id(sibling)
    if scores.get(key, 0.0) >= 0.2 * best:
        return True
    if sibling.tag not in BLOCK_TEXT_TAGS:
        return False
    length = index.text_len[key]
    return length >= 80 and index.link_len[key] / length < 0.25


def _orphan_h1(index: PageIndex, root: Element) -> Element | None:
    """The page's h1 when it sits just before the chosen body (themes put it in a header above)."""
    if any(e.tag == "h1" and root.start <= e.start < root.end for e in index.order):
        return None
    before = [
        e
        for e in index.order
        if e.tag == "h1" and id(e) not in index.skipped and e.end <= root.start and index.text_len[id(e)]
    ]
    return before[-1] if before else None


def chrome_heading_sections(root: Element, within: list[Element]) -> set[int]:
    """Headings like "Leave a Comment" and the siblings after them up to the next such-level heading."""
    out: set[int] = set()
    for element in within:
        if id(element) in out or not _is_heading(element):
            continue
        if not CHROME_HEADING.match(element.text()):
            continue
        level = int(element.tag[1])
        parent = element.parent
        if parent is None:
            continue
        siblings = [c for c in parent.children if isinstance(c, Element)]
        started = False
        for sibling in siblings:
            if sibling is element:
                started = True
                out.add(id(sibling))
                continue
            if not started:
                continue
            if (
                _is_heading(sibling)
                and int(sibling.tag[1]) <= level
                and not CHROME_HEADING.match(sibling.text())
            ):
                break
            out.add(id(sibling))
    return out


def _is_heading(element: Element) -> bool:
    return len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1] in "123456"
