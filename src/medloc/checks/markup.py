"""Markup, placeholders, URLs and e-mail addresses: what must survive translation unchanged.

- `markup`: the target has the source's tags, well nested, and no new ones; links and images
  point where the source's do. A new `<script>`, an event handler or a `javascript:` link is critical
  (it would be published as is); broken nesting is critical (it breaks the page); a lost tag, a new
  non-emphasis tag or a changed link is major. Added emphasis (<i> for a foreign name, as Spanish
  style asks) is accepted; CMS bookkeeping attributes (sys_*, data-*) and classes are not compared;
  a site-relative link equals the absolute one, and query strings of the same page may differ.
  A link rewritten to the localized site (cancer.gov/types/… -> cancer.gov/espanol/tipos/…) is
  legitimate: same host, and the target path names the locale.
  Options: `markup.locale_paths` (extra path segments that mark a localized page) and
  `markup.strict_links` (true: any href change is reported).
- `placeholders`: printf/python-format (`%(name)s`, `%s`, `%1$d`) and brace (`{0}`, `{name}`)
  placeholders match; a missing one loses data, an unknown or miscounted one crashes the formatter.
- `urls` / `emails`: addresses in the text itself (not in attributes) are kept, with the same
  localized-page tolerance for URLs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

from medloc.checks.base import Category, Check, CheckContext, Example, Unit
from medloc.checks.text import EMAIL_RE, PLACEHOLDER_RE, TAG_RE, URL_RE, lang, visible
from medloc.model import Finding, Severity

_ATTR_RE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_VOID = frozenset({"br", "img", "hr", "wbr", "input", "meta", "link", "source", "col", "area", "embed"})
_DANGEROUS = frozenset(
    {"script", "iframe", "object", "embed", "style", "form", "input", "button", "meta", "link"}
)
_TRANSLATABLE_ATTRS = frozenset({"title", "alt", "aria-label", "placeholder", "summary", "label", "content"})
# Attributes compared between source and target: where a link or image points, and what the tag is.
# CMS bookkeeping (sys_*, rxinlineslot, data-*) and styling classes are not the translator's concern.
_COMPARED_ATTRS = frozenset({"href", "src", "cite", "action", "srcset", "name", "id", "lang", "dir"})
# Inline emphasis a translator may add (Spanish style italicises foreign names): added is fine,
# lost is reported (a lost <strong> can be a lost warning).
_EMPHASIS = frozenset({"i", "em", "b", "strong", "u", "span", "cite", "q", "abbr", "br", "wbr"})
_LINK_ATTRS = frozenset({"href", "src", "cite", "action", "srcset"})
_LOCALE_WORDS = {
    "es": ("es", "espanol", "español", "spanish"),
    "fr": ("fr", "francais", "français", "french"),
    "de": ("de", "deutsch", "german"),
    "zh": ("zh", "zh-cn", "zh-hans", "zh_cn", "chinese", "cn"),
    "pt": ("pt", "pt-br", "portugues", "português"),
    "it": ("it", "italiano"),
    "ja": ("ja", "jp"),
}
_DNT_RE = re.compile(r"\bjavascript:", re.IGNORECASE)


@lru_cache(maxsize=16384)
def _tags(text: str) -> tuple[tuple[bool, str, tuple[tuple[str, str], ...], bool], ...]:
    """(closing, name, attributes, self-closing) for every tag, in order."""
    if "<" not in text:
        return ()
    out = []
    for m in TAG_RE.finditer(text):
        attrs = tuple(
            (a.group(1).lower(), a.group(2) if a.group(2) is not None else a.group(3) or a.group(4) or "")
            for a in _ATTR_RE.finditer(m.group(3) or "")
        )
        out.append((m.group(1) == "/", m.group(2).lower(), attrs, m.group(4) == "/"))
    return tuple(out)


def _well_nested(tags: Iterable[tuple[bool, str, tuple, bool]]) -> bool:
    stack: list[str] = []
    for closing, name, _, selfclose in tags:
        if name in _VOID or selfclose:
            continue
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def localized_link(source: str, target: str, locale: str, extra: Iterable[str] = ()) -> bool:
    """True when `target` is `source` or the same site's page for `locale` (path names the locale)."""
    if source == target:
        return True
    s, t = urlsplit(source), urlsplit(target)
    host_s, host_t = s.netloc.lower().removeprefix("www."), t.netloc.lower().removeprefix("www.")
    if not host_t or not host_s:  # a site-relative link: same site as the absolute one
        host_t = host_s = host_s or host_t
    if host_s != host_t and not host_t.endswith("." + host_s) and not host_s.endswith("." + host_t):
        return False
    if s.path.rstrip("/") == t.path.rstrip("/") and s.scheme in (t.scheme, "", "http", "https"):
        return True  # same page (CMS query strings such as revision numbers differ between languages)
    words = set(_LOCALE_WORDS.get(lang(locale), (lang(locale),))) | {locale.lower(), *extra}
    segments = {p.lower() for p in re.split(r"[/.]", t.path + "/" + t.netloc) if p}
    return bool(segments & words)


class MarkupCheck(Check):
    """Same tags and attributes as the source, well nested, nothing new (see module docstring)."""

    id = "markup"
    name = "Markup differs"
    severity = Severity.CRITICAL
    category = Category.MARKUP
    examples = (
        Example("Take <strong>500 mg</strong> daily", "Tome <strong>500 mg</strong> al día", fails=False),
        Example("Take <strong>500 mg</strong> daily", "Tome <strong>500 mg al día", fails=True),
        Example(
            'See <a href="https://www.cancer.gov/types/ovarian">ovarian cancer</a>.',
            'Vea <a href="https://www.cancer.gov/espanol/tipos/ovario">cáncer de ovario</a>.',
            note="localized link",
            fails=False,
        ),
        Example(
            'See <a href="https://www.cancer.gov/types">types</a>.',
            'Vea <a href="https://evil.example/types">tipos</a>.',
            fails=True,
        ),
        Example("Read <em>this</em>.", "Lea <em>esto</em> <script>alert(1)</script>.", fails=True),
        Example('<a href="/a" title="More">more</a>', '<a href="/a" title="Más">más</a>', fails=False),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target = unit.target
        if not target or ("<" not in target and "<" not in unit.source):
            return ()
        src, tgt = _tags(unit.source), _tags(target)
        if src == tgt:
            return ()
        findings: list[Finding] = []
        opts = context.options
        strict = bool(opts.get("markup.strict_links", False))
        extra_paths = tuple(opts.get("markup.locale_paths", ()) or ())  # type: ignore[call-overload]
        for closing, name, attrs, _ in tgt:
            bad = [a for a, v in attrs if a.startswith("on") or (a in _LINK_ATTRS and _DNT_RE.search(v))]
            if not closing and (bad or name in _DANGEROUS) and (False, name, attrs, False) not in src:
                findings.append(self.finding(unit, f"unsafe markup added: <{name}> " + " ".join(bad)))
        src_open = Counter(n for c, n, _, _ in src if not c)
        tgt_open = Counter(n for c, n, _, _ in tgt if not c)
        missing = src_open - tgt_open
        added = Counter({n: c for n, c in (tgt_open - src_open).items() if n not in _EMPHASIS})
        if missing:
            findings.append(
                self.finding(
                    unit,
                    "tags missing in the target: " + ", ".join(f"<{n}>" for n in sorted(missing)),
                    severity=Severity.MAJOR,
                )
            )
        if added:
            findings.append(
                self.finding(
                    unit,
                    "tags not in the source: " + ", ".join(f"<{n}>" for n in sorted(added)),
                    severity=Severity.MAJOR,
                )
            )
        if _well_nested(src) and not _well_nested(tgt):
            findings.append(
                self.finding(unit, "broken markup: tags are not closed or not nested as in the source")
            )
        by_name: dict[str, list[dict[str, str]]] = {}
        for c, n, a, _ in tgt:
            if not c:
                by_name.setdefault(n, []).append(dict(a))
        for c, n, a, _ in src:
            if c or not by_name.get(n):
                continue
            theirs = by_name[n].pop(0)
            ours = dict(a)
            for key in ours.keys() | theirs.keys():
                if key not in _COMPARED_ATTRS:
                    continue
                mine, other = ours.get(key), theirs.get(key)
                if mine == other:
                    continue
                if (
                    mine is not None
                    and other is not None
                    and key in _LINK_ATTRS
                    and not strict
                    and localized_link(mine, other, unit.locale, extra_paths)
                ):
                    continue
                what = "missing" if other is None else "added" if mine is None else f'changed to "{other}"'
                findings.append(
                    self.finding(
                        unit,
                        f"<{n}> attribute {key} {what}" + (f' (source: "{mine}")' if mine else ""),
                        severity=Severity.MAJOR,
                        suggestion=mine,
                    )
                )
        return findings


# Languages whose plural forms for zero/one/two are often written without the number ("نتيجتان").
_COUNT_IN_WORDS = frozenset({"ar", "he", "cy", "ga", "gd", "sl", "hsb", "dsb", "mt", "lv", "lt"})


def _named(placeholder: str) -> bool:
    return "(" in placeholder or bool(re.match(r"\{[A-Za-z_]", placeholder))


def _placeholders(text: str) -> list[str]:
    return PLACEHOLDER_RE.findall(visible(text)) if ("%" in text or "{" in text) else []


class PlaceholdersCheck(Check):
    """printf/python-format and brace placeholders of the source are all in the target, no others.

    A missing named placeholder drops data (major); an unknown name or a changed count of positional
    placeholders makes the formatter raise at run time (critical).
    """

    id = "placeholders"
    name = "Placeholders differ"
    severity = Severity.CRITICAL
    category = Category.MARKUP
    examples = (
        Example("Delete %(count)d items?", "¿Eliminar %(count)d elementos?", fails=False),
        Example("Delete %(count)d items?", "¿Eliminar %(cuenta)d elementos?", fails=True),
        Example("Page {0} of {1}", "Página {0} de {1}", fails=False),
        Example("Page {0} of {1}", "Página {0}", fails=True),
        Example("%s selected", "%s seleccionados", fails=False),
        Example(
            "Reduced by 20%", "Reducido en un 20 %", note="a percent sign is not a placeholder", fails=False
        ),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target = unit.target
        if not target:
            return ()
        src = _placeholders(unit.source)
        tgt = _placeholders(target)
        if src == tgt:
            return ()
        # Named placeholders are looked up by name: their order and repetition do not matter.
        missing = Counter(p for p in src if p not in tgt or not _named(p)) - Counter(tgt)
        added = Counter(p for p in tgt if p not in src or not _named(p)) - Counter(src)
        if missing and not tgt and lang(unit.locale) in _COUNT_IN_WORDS and all(map(_named, missing)):
            missing = Counter()  # a plural form for one/two may say the count in words (Django docs)
        positional = [p for p in src if "(" not in p and "$" not in p and not re.match(r"\{[A-Za-z_]", p)]
        t_positional = [p for p in tgt if "(" not in p and "$" not in p and not re.match(r"\{[A-Za-z_]", p)]
        if not missing and not added and positional == t_positional:
            return ()
        severity = Severity.CRITICAL if added or positional != t_positional else Severity.MAJOR
        parts = []
        if missing:
            parts.append("missing " + ", ".join(sorted(missing)))
        if added:
            parts.append("not in the source " + ", ".join(sorted(added)))
        if not parts:
            parts.append("positional placeholders reordered: " + " ".join(t_positional))
        span = None
        if added:
            first = next(iter(added))
            i = target.find(first)
            span = (i, i + len(first)) if i >= 0 else None
        return (self.finding(unit, "placeholders differ: " + "; ".join(parts), span=span, severity=severity),)


class UrlsCheck(Check):
    """URLs written in the text are kept (the localized page of the same site is accepted)."""

    id = "urls"
    name = "URL changed"
    severity = Severity.MAJOR
    category = Category.ACCURACY
    examples = (
        Example(
            "More at https://www.cancer.gov/about.",
            "Más en https://www.cancer.gov/espanol/acerca.",
            fails=False,
        ),
        Example("More at https://www.cancer.gov/about.", "Más en https://www.cancer.org/about.", fails=True),
        Example("Visit cancer.gov for more.", "Visite el sitio web.", fails=True),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target = unit.target
        if not target:
            return ()
        src_vis = visible(unit.source)
        if "." not in src_vis and "." not in target:
            return ()
        src = URL_RE.findall(src_vis)
        tgt = URL_RE.findall(visible(target))
        if src == tgt:
            return ()
        left = list(tgt)
        missing = []
        for u in src:
            hit = next((t for t in left if localized_link(_norm(u), _norm(t), unit.locale)), None)
            if hit is None:
                missing.append(u)
            else:
                left.remove(hit)
        findings = [self.finding(unit, f"URL missing or changed: {u}", in_target=False) for u in missing]
        findings += [self.finding(unit, f"URL not in the source: {u}") for u in left if not missing]
        return findings


def _norm(url: str) -> str:
    return url if "://" in url else "http://" + url


class EmailsCheck(Check):
    """E-mail addresses in the text are kept exactly (a wrong contact address misdirects patients)."""

    id = "emails"
    name = "E-mail address changed"
    severity = Severity.MAJOR
    category = Category.ACCURACY
    examples = (
        Example("Write to nciinfo@nih.gov.", "Escriba a nciinfo@nih.gov.", fails=False),
        Example("Write to nciinfo@nih.gov.", "Escriba a ncinfo@nih.gov.", fails=True),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target = unit.target
        if not target or ("@" not in unit.source and "@" not in target):
            return ()
        src = Counter(EMAIL_RE.findall(visible(unit.source)))
        tgt = Counter(EMAIL_RE.findall(visible(target)))
        if src == tgt:
            return ()
        return [
            self.finding(unit, f"e-mail address missing or changed: {e}", in_target=False)
            for e in (src - tgt)
        ] + [self.finding(unit, f"e-mail address not in the source: {e}") for e in (tgt - src)]
