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
    ["nav", "aside", "footer", "form", "button", "dialog", "script", "style", "noscript", "template", "iframe", "svg", "select", "textarea", "input", "label", "object", "embed", "canvas", "map"]
)
CHROME_ROLES = frozenset(
    ["navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu", "menubar", "toolbar", "tablist"]
)
# class / id words that mark chrome; matched against the parts of a class or id split at - and _.
# Strong words mark chrome whatever else the class says ("entry-meta", "comment-content").
STRONG_CHROME_WORDS = frozenset(
    ["comment", "comments", "commentlist", "respond", "reply", "share", "sharing", "social", "sharedaddy", "addthis", "newsletter", "subscribe", "subscription", "signup", "breadcrumb", "breadcrumbs", "cookie", "cookies", "consent", "gdpr", "advert", "advertisement", "ads", "adsense", "sponsor", "sponsored", "promo", "popup", "modal", "overlay", "related", "recommended", "trending", "popular", "tags", "tagcloud", "byline", "author", "authors", "bio", "avatar", "print", "skiplink", "disqus", "rating", "ratings", "feedback", "meta", "postmeta", "links", "categories", "category", "copyright", "pagination", "pager", "paging"]
)
# Layout words also name wrappers that hold the content ("content-sidebar-wrap"): a content word
# in the same class keeps such a div.
WEAK_CHROME_WORDS = frozenset(
    ["sidebar", "widget", "widgets", "menu", "navbar", "navigation", "nav", "masthead", "toolbar", "footer", "banner", "topbar", "skip", "ad", "tag"]
)
CONTENT_WORDS = frozenset(["content", "body", "entry", "article", "post", "story", "text", "main"])
CHROME_HEADING = re.compile(
    r"^\s*(comments?\s*(\(\d+\))?|\d+\s+comments?|leave\s+a\s+(comment|reply)|post\s+a\s+comment|"
    r"about\s+the\s+author|related\s+(articles?|posts?|stories|content|reading)|you\s+may\s+also\s+like|"
    r"read\s+more|more\s+(from|on)\b.*|share\s+(this|on)\b.*|subscribe\b.*|stay\s+updated|"
    r"sign\s+up\b.*|newsletter|popular\s+posts?|recent\s+posts?|tags?:?|categories)\s*[.:!]?\s*$",
    re.IGNORECASE,
)
_STRUCTURAL = frozenset({"html", "body", "main", "article"})
BLOCK_TEXT_TAGS = frozenset(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "dd", "dt", "blockquote", "figcaption", "caption", "pre"])
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
    if words & STRONG_CHROME_WORDS:
        return True
    return bool(words & WEAK_CHROME_WORDS) and not (words & CONTENT_WORDS and element.tag in ("div", "section"))


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


def content_score(element: Element, skip: set[int]) -> float:
    """Characters of paragraph-like text below `element`, link text counted at a tenth."""
    total = 0.0
    stack: list[Element] = [element]
    while stack:
        node = stack.pop()
        if id(node) in skip:
            continue
        if node.tag in BLOCK_TEXT_TAGS:
            text_len = len(node.text().strip())
            link_len = sum(len(a.text()) for a in node.iter() if a.tag == "a")
            total += max(0, text_len - link_len) + link_len * 0.1
            continue
        stack.extend(c for c in node.children if isinstance(c, Element))
    return total


def chrome_ids(document: Element) -> set[int]:
    """ids of every element that is chrome by markup (their subtrees are skipped too)."""
    out: set[int] = set()
    for element in document.iter():
        if element.tag == "#document":
            continue
        if is_chrome(element) or is_page_header(element):
            out.add(id(element))
    return out


def choose_roots(document: Element, skip: set[int]) -> list[Element]:
    """The element(s) holding the article, in document order."""
    body_nodes = [e for e in document.iter() if not _inside(e, skip)]
    candidates = [e for e in body_nodes if _semantic_candidate(e)]
    scored = [(content_score(e, skip), e) for e in candidates]
    scored = [(s, e) for s, e in scored if s > 0]
    if scored:
        best_score = max(s for s, _ in scored)
        # The narrowest candidate that still holds nearly all of the best one's text.
        good = [(s, e) for s, e in scored if s >= 0.85 * best_score]
        root = min(good, key=lambda item: item[1].end - item[1].start)[1]
        roots = [root]
    else:
        root = _best_by_density(body_nodes, skip)
        if root is None:
            return []
        roots = [root]
    heading = _orphan_h1(document, roots[0], skip)
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


def _inside(element: Element, skip: set[int]) -> bool:
    node: Element | None = element
    while node is not None:
        if id(node) in skip:
            return True
        node = node.parent
    return False


def _best_by_density(nodes: list[Element], skip: set[int]) -> Element | None:
    """Readability's idea: credit each text block's parent (and half to its grandparent)."""
    scores: dict[int, float] = {}
    by_id: dict[int, Element] = {}
    for node in nodes:
        if node.tag not in BLOCK_TEXT_TAGS:
            continue
        text = node.text().strip()
        if len(text) < 25:
            continue
        link_len = sum(len(a.text()) for a in node.iter() if a.tag == "a")
        value = (1 + text.count(",") + min(len(text) / 100, 3)) * (1 - link_len / max(len(text), 1))
        parent = node.parent
        for weight in (1.0, 0.5):
            if parent is None or parent.tag == "#document":
                break
            scores[id(parent)] = scores.get(id(parent), 0.0) + value * weight
            by_id[id(parent)] = parent
            parent = parent.parent
    if not scores:
        body = next((n for n in nodes if n.tag == "body"), None)
        return body
    best = max(scores, key=lambda key: scores[key])
    root = by_id[best]
    # Readability's sibling rule: when the article continues in siblings of the best container
    # (a lead paragraph before a list, a second text column), the parent is the article.
    while (parent := root.parent) is not None and parent.tag not in ("#document", "html", "body"):
        if not any(_continues_article(c, scores, scores[best]) for c in parent.children
                   if isinstance(c, Element) and c is not root and id(c) not in skip):
            break
        root = parent
    return root


def _continues_article(sibling: Element, scores: dict[int, float], best: float) -> bool:
    if scores.get(id(sibling), 0.0) >= 0.2 * best:
        return True
    if sibling.tag not in BLOCK_TEXT_TAGS:
        return False
    text = sibling.text().strip()
    links = sum(len(a.text()) for a in sibling.iter() if a.tag == "a")
    return len(text) >= 80 and links / len(text) < 0.25


def _orphan_h1(document: Element, root: Element, skip: set[int]) -> Element | None:
    """The page's h1 when it sits just before the chosen body (themes put it in a header above)."""
    if any(e.tag == "h1" for e in root.iter()):
        return None
    h1s = [e for e in document.iter() if e.tag == "h1" and not _inside(e, skip)]
    before = [h for h in h1s if h.end <= root.start]
    if len(before) >= 1 and before[-1].text().strip():
        return before[-1]
    return None


def chrome_heading_sections(root: Element, skip: set[int]) -> set[int]:
    """Headings like "Leave a Comment" and the siblings after them up to the next such-level heading."""
    out: set[int] = set()
    for element in root.iter():
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
            if _is_heading(sibling) and int(sibling.tag[1]) <= level and not CHROME_HEADING.match(sibling.text()):
                break
            out.add(id(sibling))
    return out


def link_dense(element: Element) -> bool:
    """A list or box that is mostly links (related-article lists without a telling class)."""
    if element.tag not in ("ul", "ol", "div", "section", "table"):
        return False
    text = "".join(c.data for c in _texts(element)).strip()
    if len(text) < 20:
        return False
    links = sum(len(a.text().strip()) for a in element.iter() if a.tag == "a")
    return links / len(text) > 0.75 and sum(1 for a in element.iter() if a.tag == "a") >= 3


def _texts(element: Element) -> list[Text]:
    out: list[Text] = []
    stack: list[Element | Text] = [element]
    while stack:
        node = stack.pop()
        if isinstance(node, Text):
            out.append(node)
        else:
            stack.extend(node.children)
    return out


def _is_heading(element: Element) -> bool:
    return len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1] in "123456"
