"""Publishing: the pages of every article × locale that passed the QA gate, and a manifest.

`publish_project` runs after the project QA (it reads the decisions of `out/reports/qa.json`) and
writes `publish/<locale>/<slug>.html` plus `publish/manifest.json`. What it guarantees:

- **The gate decides.** Only a pair whose decision is `publish` gets a new page; a PO file saved
  after QA ran is not published until a run has checked it. Fuzzy entries never reach a page
  (`catalog.translations_for` returns reviewed entries only).
- **The last good page stays.** When a published pair fails the gate later, its page is kept and its
  manifest entry says `stale: true` with the reasons; it stays in the other pages' hreflang links.
- **A withdrawn article comes off the site.** An entry whose article is neither in the report nor
  among the sources (the flow withdrew it: `medloc.withdraw`) loses its page and manifest entry.
- **The source language is published too**, from the glossary-fixed article (what translators
  translated), unless `[publish] source = false` or the source itself is blocked.
- **Idempotent and incremental.** Each entry records a fingerprint of everything its page depends on
  (source, PO file, glossary, publish settings, the set of published languages, medloc's code); an
  unchanged pair is not even rendered, a file is written only when its bytes change, and an entry's
  `time` changes only when its page does. A run that changes nothing rewrites nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from medloc.config import Settings
from medloc.fsutil import atomic_write_bytes
from medloc.model import Article, MedlocError, SourceDocument
from medloc.publish_page import Link, hreflang, render_page
from medloc.report.html import article_href
from medloc.report.render import DECISIONS_FILE

MANIFEST = "manifest.json"
MANIFEST_SCHEMA = "medloc.publish-manifest/1"
REPORT = "reports/qa.json"
DECISIONS = DECISIONS_FILE  # beside the report


@dataclass(frozen=True)
class Decision:
    """The QA gate's verdict on one article × locale (a row of `out/reports/qa.json`)."""

    article: str
    locale: str
    decision: str
    score: float = 0.0
    reasons: tuple[str, ...] = ()

    @property
    def publishable(self) -> bool:
        return self.decision == "publish"


@dataclass
class PublishResult:
    """What a publish did: pages written, left as they were, kept stale, or not published, and why."""

    output_dir: str = ""
    published: list[str] = field(default_factory=list)  # "<locale>/<slug>" written this run
    unchanged: list[str] = field(default_factory=list)  # published and already up to date
    stale: list[dict[str, str]] = field(default_factory=list)  # last good page kept: page, reason
    skipped: list[dict[str, str]] = field(default_factory=list)  # nothing published: page, reason
    escaped: list[dict[str, str]] = field(default_factory=list)  # markup a translation tried to add
    withdrawn: list[str] = field(default_factory=list)  # "<locale>/<slug>" deleted: the source is gone
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def headline(self) -> str:
        withdrawn = f", {len(self.withdrawn)} withdrawn (source gone)" if self.withdrawn else ""
        return (f"{len(self.published)} page(s) written, {len(self.unchanged)} unchanged, "
                f"{len(self.stale)} stale (last good page kept), {len(self.skipped)} not published"
                + withdrawn)


def load_decisions(settings: Settings) -> tuple[list[Decision], float | None]:
    """The decisions of the last QA report and the time it was written (None: no usable report).

    Read from the small decisions file the QA stage writes beside the reports; from qa.json itself
    when that file is missing or older than the report (reports written by an older medloc)."""
    report = settings.path(settings.project.output_dir) / REPORT
    summary = report.with_name(DECISIONS)
    try:
        checked_at = report.stat().st_mtime
    except OSError:
        return [], None
    current = summary.is_file() and summary.stat().st_mtime >= checked_at
    for path in (summary, report) if current else (report,):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            rows = [Decision(a["article"], a["locale"], a["decision"], float(a.get("score", 0.0)),
                             tuple(a.get("reasons", []))) for a in data["articles"]]
            return rows, checked_at
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return [], None


def rewriter(settings: Settings, locale: str) -> Callable[[str], str] | None:
    """The locale's link rewriting (longest matching prefix wins; already rewritten links stay)."""
    table = settings.publish.link_rewrites
    rules = table.get(locale) or table.get(hreflang(locale)) or {}
    if not rules:
        return None
    ordered = sorted(rules.items(), key=lambda kv: -len(kv[0]))
    targets = tuple(rules.values())

    def rewrite(url: str) -> str:
        if url.startswith(targets):
            return url
        for prefix, replacement in ordered:
            if url.startswith(prefix):
                return replacement + url[len(prefix):]
        return url

    return rewrite


def publish_project(
    settings: Settings,
    documents: Sequence[SourceDocument] | None = None,
    decisions: Sequence[Decision] | None = None,
    *,
    checked_at: float | None = None,
    now: str | None = None,
) -> PublishResult:
    """Publish every pair the gate passed; keep last good pages of pairs that now fail (stale).

    `documents` are the run's sources (default: the source folder); `decisions` the QA rows (default:
    `out/reports/qa.json`, whose time is `checked_at`: a PO file newer than that was not checked).
    """
    out = settings.path(settings.publish.output_dir)
    result = PublishResult(output_dir=_rel(settings, out))
    if decisions is None:
        loaded, checked_at = load_decisions(settings)
        if checked_at is None:
            result.errors.append("no QA report (out/reports/qa.json): nothing published; run QA first")
            return result
        decisions = loaded
    if documents is None:
        from medloc.sources.folder import scan_folder

        documents = scan_folder(settings).documents
    from medloc.pipeline import slug_of

    by_slug: dict[str, SourceDocument] = {}
    for document in documents:
        try:
            by_slug[slug_of(document)] = document
        except MedlocError:
            continue
    manifest = _read_manifest(out / MANIFEST)
    when = now or datetime.now(UTC).isoformat(timespec="seconds")
    grouped: dict[str, list[Decision]] = {}
    for row in decisions:
        grouped.setdefault(row.article, []).append(row)
    salt = _run_salt(settings)
    for slug in sorted(grouped):
        try:
            _publish_article(settings, slug, grouped[slug], by_slug.get(slug), manifest, result, when,
                             checked_at, salt)
        except MedlocError as exc:
            result.errors.append(str(exc))
    for key, entry in list(manifest.items()):
        if entry["slug"] in grouped:
            continue
        if entry["slug"] not in by_slug:  # withdrawn (medloc.withdraw): the page comes off the site
            _remove_page(out, key)
            del manifest[key]
            result.withdrawn.append(key)
            continue
        # Its source is here but it left the report (its template deleted by hand): the last good
        # page stays, stale, until a run checks the article again.
        entry.update(stale=True, reason="the article is no longer in the QA report")
        result.stale.append({"page": key, "reason": entry["reason"]})
    payload = {"schema": MANIFEST_SCHEMA, "entries": [manifest[k] for k in sorted(manifest)]}
    _write_if_changed(out / MANIFEST, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    return result


def publish_after_qa(settings: Settings, documents: Sequence[SourceDocument],
                     qa_counts: dict[str, Any]) -> dict[str, Any]:
    """The flow's publish stage: nothing new is published when QA did not run (its report would be
    an old one); returns the result as a dict with a headline for logs and the run summary."""
    result = PublishResult(output_dir=_rel(settings, settings.path(settings.publish.output_dir)))
    if not settings.publish.enabled:
        result.errors.append("publishing is off ([publish] enabled = false)")
    elif "error" in qa_counts:
        result.errors.append(f"nothing published: {qa_counts.get('headline', 'QA did not run')}")
    else:
        result = publish_project(settings, documents)
    return {**result.to_dict(), "headline": result.headline()}


def _publish_article(settings: Settings, slug: str, rows: list[Decision], document: SourceDocument | None,
                     manifest: dict[str, dict[str, Any]], result: PublishResult, when: str,
                     checked_at: float | None, salt: str) -> None:
    from medloc.catalog import po_path

    source_locale = settings.project.source_locale
    wanted = {source_locale: settings.publish.source, **{loc: True for loc in settings.project.locales}}
    new: dict[str, Decision] = {}
    for row in sorted(rows, key=lambda r: r.locale):
        if not wanted.get(row.locale):
            continue
        key = f"{row.locale}/{slug}"
        reason = "; ".join(row.reasons) or row.decision
        po = po_path(settings, row.locale, slug) if row.locale != source_locale else None
        if row.publishable and document is None:
            row, reason = Decision(slug, row.locale, "blocked"), "the source document was not read this run"
        elif row.publishable and po is not None and checked_at is not None and _mtime(po) > checked_at:
            row, reason = Decision(slug, row.locale, "blocked"), "the PO file changed after QA ran"
        if row.publishable:
            new[row.locale] = row
        elif key in manifest and (settings.path(settings.publish.output_dir) / f"{key}.html").is_file():
            manifest[key].update(stale=True, reason=reason)
            result.stale.append({"page": key, "reason": reason})
        else:
            manifest.pop(key, None)
            result.skipped.append({"page": key, "reason": reason})
    live = sorted(set(new) | {loc for loc in wanted if manifest.get(f"{loc}/{slug}")})
    if not live:
        return
    links = _links(settings, slug, live)
    article: Article | None = None
    for locale in live:
        key = f"{locale}/{slug}"
        if locale not in new:  # stale: keep the page, refresh its links to the other languages
            _refresh_links(settings, key, links(locale), manifest[key], locale)
            continue
        row = new[locale]
        assert document is not None
        po = po_path(settings, locale, slug) if locale != source_locale else None
        fp = _fingerprint(salt, document, po, live, row)
        path = settings.path(settings.publish.output_dir) / f"{key}.html"
        entry = manifest.get(key, {})
        if entry.get("fingerprint") == fp and _digest(path) == entry.get("page_hash"):
            entry.update(score=row.score, stale=False, reason=None)
            result.unchanged.append(key)
            continue
        if article is None:
            article = _fixed_article(document, settings)
        translations = None
        if po is not None:
            from medloc.catalog import translations_for

            translations = translations_for(article, locale, settings)
        page = render_page(article, locale, translations, links(locale), rewriter(settings, locale))
        written = _write_if_changed(path, page.html)
        result.escaped.extend({"page": key, "markup": m[:120]} for m in page.escaped)
        manifest[key] = {
            "slug": slug, "locale": locale, "path": f"{key}.html", "url": links(locale)[0].href,
            "source_hash": _sha(document.data), "po_hash": _digest(po) if po else None,
            "page_hash": _sha(page.html.encode()), "score": row.score, "decision": row.decision,
            "reasons": list(row.reasons),
            "time": when if written or "time" not in entry else entry["time"],
            "report": f"{settings.project.output_dir}/reports/{article_href(slug)}",  # its QA page
            "stale": False, "reason": None, "fingerprint": fp,
        }
        (result.published if written else result.unchanged).append(key)


def _links(settings: Settings, slug: str, live: list[str]) -> Callable[[str], list[Link]]:
    """canonical first, then one alternate per published language and x-default."""
    base = settings.publish.base_url

    def url(locale: str, here: str) -> str:
        if base:
            return f"{base.rstrip('/')}/{locale}/{slug}.html"
        return f"{slug}.html" if locale == here else f"../{locale}/{slug}.html"

    default = settings.publish.x_default or settings.project.source_locale
    if default not in live:
        default = settings.project.source_locale if settings.project.source_locale in live else live[0]

    def links(here: str) -> list[Link]:
        out = [Link("canonical", url(here, here))]
        out += [Link("alternate", url(loc, here), hreflang(loc)) for loc in live]
        return [*out, Link("alternate", url(default, here), "x-default")]

    return links


def _refresh_links(settings: Settings, key: str, links: list[Link], entry: dict[str, Any],
                   locale: str) -> None:
    """A stale page keeps its text; only its hreflang links follow the languages published now."""
    from medloc.publish_page import set_head_links

    path = settings.path(settings.publish.output_dir) / f"{key}.html"
    old = path.read_bytes().decode("utf-8")
    page = set_head_links(old, links, locale, "")
    if _write_if_changed(path, page):
        entry["page_hash"] = _sha(page.encode())


def _fixed_article(document: SourceDocument, settings: Settings) -> Article:
    """The article as the pipeline saw it: extracted, then the glossary's source fixes applied."""
    from medloc.extract import extract_article

    article = extract_article(document.name, document.data, settings, origin=document.origin,
                              media_type=document.media_type, charset=document.charset, slug=document.slug)
    if settings.glossary.fix_source:
        from medloc.glossary import fix_article, load_terminology

        article = fix_article(load_terminology(settings), article, settings).article
    return article


def _run_salt(settings: Settings) -> str:
    """What every page of a run depends on besides its own inputs: medloc's code, the settings that
    shape a page, the glossary. Computed once per run (per page, the glossary folder's walk and the
    hashing cost a quarter of an unchanged run's publishing on 1,000 articles)."""
    from medloc.incremental import code_fingerprint

    parts = (code_fingerprint(), repr(settings.publish), repr(settings.glossary), repr(settings.extract),
             settings.project.source_locale, _glossary_hash(settings))
    return hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()


def _fingerprint(salt: str, document: SourceDocument, po: Path | None, live: Iterable[str],
                 row: Decision) -> str:
    digest = hashlib.sha256()
    for part in (salt, ",".join(live), row.decision, document.origin, _sha(document.data),
                 _digest(po) if po else "-"):
        digest.update(str(part).encode() + b"\0")
    return digest.hexdigest()


_GLOSSARY: dict[tuple[object, ...], str] = {}


def _glossary_hash(settings: Settings) -> str:
    folder = settings.path(settings.project.glossary_dir)
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    if stamp not in _GLOSSARY:
        _GLOSSARY.clear()
        _GLOSSARY[stamp] = _sha(b"".join(p.read_bytes() for p in files))
    return _GLOSSARY[stamp]


def _read_manifest(path: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") != MANIFEST_SCHEMA:
            return {}
        return {f"{e['locale']}/{e['slug']}": dict(e) for e in data["entries"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _remove_page(out: Path, key: str) -> None:
    """Delete a published page (`<locale>/<slug>`); one already gone is no error."""
    with contextlib.suppress(FileNotFoundError):
        (out / f"{key}.html").unlink()


def _write_if_changed(path: Path, text: str) -> bool:
    """Write only new bytes (compared as bytes: a CMS page's CRLF must not look like a change)."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    atomic_write_bytes(path, data)
    return True


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _digest(path: Path | None) -> str | None:
    try:
        return _sha(path.read_bytes()) if path is not None else None
    except OSError:
        return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _rel(settings: Settings, path: Path) -> str:
    return str(path.relative_to(settings.root)) if path.is_relative_to(settings.root) else str(path)


__all__ = ["Decision", "PublishResult", "load_decisions", "publish_after_qa", "publish_project", "rewriter"]
