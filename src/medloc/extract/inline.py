"""The msgid form of an inline HTML span: what translators see and what QA compares.

Raw inline tags are kept (as translate-toolkit's html2po does) so translators can move them and
reviewers see exactly what will be published; character references are decoded to characters
(translators must read "á", not "&#225;"), except the three that are markup (&amp; &lt; &gt;);
whitespace runs collapse to one space, as a browser renders them; comments are dropped.
"""

from __future__ import annotations

import html
import re

_TOKEN = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[A-Za-z/!?](?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL)
SPACE_RUN = re.compile(r"[ \t\n\r\f]+")  # HTML white space (not NBSP), as a browser collapses it
_LEADING_DEBRIS = re.compile(r"(?:[ \t\n\r\f\u00a0]|&nbsp;|&#160;|&#x[aA]0;|<br\s*/?>)+")
_TRAILING_DEBRIS = ("&nbsp;", "&#160;", "&#xa0;", "&#xA0;", "<br>", "<br/>", "<br />")
_SPACES = " \t\n\r\f\u00a0"


def normalize_inline(raw: str) -> str:
    """Normalise a raw HTML span to its msgid form (see module docstring).

    Extraction builds msgids from the parsed nodes instead (`html._Walker._serialize`, no second pass
    over character references); this token-level form is the independent reference the tests check
    every extracted msgid against.
    """
    out: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(raw):
        if match.start() > pos:
            out.append(_text(raw[pos : match.start()]))
        token = match.group()
        if not token.startswith("<!"):
            out.append(token)
        pos = match.end()
    if pos < len(raw):
        out.append(_text(raw[pos:]))
    return SPACE_RUN.sub(" ", "".join(out)).strip(" ")


def _text(raw: str) -> str:
    if "&" not in raw:  # the common case: nothing to decode, and < > cannot occur in text
        return raw
    return html.escape(html.unescape(raw), quote=False)


def trim_span(source: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past leading/trailing whitespace, no-break spaces and <br>s.

    What is trimmed stays in the page outside the translatable span, so translators do not carry
    layout debris and the rebuild keeps it.
    """
    lead = _LEADING_DEBRIS.match(source, start, end)
    if lead:
        start = lead.end()
    while end > start:
        if source[end - 1] in _SPACES:
            end -= 1
            continue
        for debris in _TRAILING_DEBRIS:
            if source.endswith(debris, start, end):
                end -= len(debris)
                break
        else:
            break
    return start, end


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def strip_debris(text: str) -> str:
    """Strip spaces, no-break spaces and <br>s from both ends of a normalised fragment."""
    while True:
        stripped = text.strip(" \u00a0")
        lead = _BR.match(stripped)
        if lead:
            stripped = stripped[lead.end() :]
        for tail in ("<br>", "<br/>", "<br />", "<BR>"):
            if stripped.endswith(tail):
                stripped = stripped[: -len(tail)]
                break
        if stripped == text:
            return text
        text = stripped
