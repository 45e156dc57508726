"""Remote articles: page URLs, sitemaps and RSS/Atom feeds listed in `[sources]`.

`fetch_remote(settings)` gathers the page URLs (explicit URLs first, then sitemap entries, then
feed items; each URL once, in that order), fetches each with a conditional GET through the
on-disk cache in `<state_dir>/http-cache/`, and returns the documents it got together with an
error for every URL (page, sitemap or feed) that failed. A failure never stops the other URLs:
the caller decides whether to go on (the flow reports them and exits non-zero at the end).

A 304 still yields the document, from the cache: later stages are cached by content hash, so an
unchanged page costs one small request and no work, and the article never disappears from a run
just because the server said "not modified".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from medloc.config import Settings
from medloc.model import MedlocError, SourceDocument
from medloc.sources.feeds import parse_listing
from medloc.sources.http import Fetched, FetchStatus, HttpFetcher
from medloc.sources.http_cache import CACHE_FOLDER, HttpCache

SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_SLUG_LENGTH = 80
# Sitemap indexes may point to further indexes; the protocol allows one level, we allow a few
# and stop there so a cycle or a hostile chain cannot keep a run busy.
MAX_SITEMAP_DEPTH = 3
_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".php", ".aspx", ".asp", ".jsp", ".shtml")
_EXTENSION_BY_MEDIA_TYPE = {"text/markdown": ".md", "text/x-markdown": ".md", "text/plain": ".txt"}


@dataclass(frozen=True, slots=True)
class FetchStats:
    """How many page URLs were downloaded, answered 304 (served from cache), or failed."""

    fetched: int = 0
    not_modified: int = 0
    failed: int = 0


@dataclass(frozen=True, slots=True)
class RemoteFetch:
    """The result of one pass over the remote sources."""

    documents: list[SourceDocument] = field(default_factory=list)
    errors: list[MedlocError] = field(default_factory=list)
    stats: FetchStats = field(default_factory=FetchStats)


def fetch_remote(settings: Settings, *, backoff_seconds: float = 0.5) -> RemoteFetch:
    """Fetch every remote article the settings list; see the module docstring."""
    sources = settings.sources
    cache = HttpCache(settings.path(settings.project.state_dir) / CACHE_FOLDER)
    errors: list[MedlocError] = []
    documents: list[SourceDocument] = []
    fetched = not_modified = failed = 0
    with HttpFetcher(
        cache,
        timeout_seconds=sources.timeout_seconds,
        retries=sources.retries,
        user_agent=sources.user_agent,
        max_bytes=settings.project.max_file_bytes,
        backoff_seconds=backoff_seconds,
    ) as fetcher:
        page_urls = _page_urls(fetcher, sources.urls, sources.sitemaps, sources.feeds, errors)
        slug_owner: dict[str, str] = {}
        for url in page_urls:
            try:
                slug = slug_from_url(url)
                if slug in slug_owner:
                    raise MedlocError(f"slug '{slug}' is already used by {slug_owner[slug]}", path=url)
                result = fetcher.get(url)
            except MedlocError as exc:
                errors.append(exc)
                failed += 1
                continue
            slug_owner[slug] = url
            if result.status is FetchStatus.NOT_MODIFIED:
                not_modified += 1
            else:
                fetched += 1
            documents.append(_document(result, slug))
    return RemoteFetch(documents, errors, FetchStats(fetched, not_modified, failed))


def _page_urls(
    fetcher: HttpFetcher,
    urls: Iterable[str],
    sitemaps: Iterable[str],
    feeds: Iterable[str],
    errors: list[MedlocError],
) -> list[str]:
    """All article URLs in source order, each once; listing failures go to `errors`.

    Sitemaps and feeds go through one reader: the XML says what it is, so a feed listed under
    `sitemaps` (or the reverse) still works instead of failing on a naming detail.
    """
    found: dict[str, None] = dict.fromkeys(url.strip() for url in urls if url.strip())
    seen: set[str] = set()

    def read_listing(url: str, depth: int) -> None:
        if url in seen:
            return
        seen.add(url)
        if depth > MAX_SITEMAP_DEPTH:
            message = f"sitemap index nested deeper than {MAX_SITEMAP_DEPTH} levels"
            errors.append(MedlocError(message, path=url))
            return
        try:
            listing = parse_listing(fetcher.get(url).body, url, max_bytes=fetcher.max_bytes)
        except MedlocError as exc:
            errors.append(exc)
            return
        found.update(dict.fromkeys(listing.pages))
        for child in listing.sitemaps:
            read_listing(child, depth + 1)

    for listing_url in [*sitemaps, *feeds]:
        if listing_url.strip():
            read_listing(listing_url.strip(), 0)
    return list(found)


def _document(result: Fetched, slug: str) -> SourceDocument:
    extension = _EXTENSION_BY_MEDIA_TYPE.get(result.media_type or "", ".html")
    return SourceDocument(
        name=f"{slug}{extension}",
        origin=result.url,
        data=result.body,
        media_type=result.media_type,
        charset=result.charset,
        slug=slug,
    )


def slug_from_url(url: str) -> str:
    """The article slug for a URL: its last non-empty path segment, made safe.

    Percent-escapes are decoded, accents folded to ASCII, a page suffix (.html, .php ...) dropped,
    every other run of characters outside [a-z0-9] becomes one hyphen. The result matches
    `[a-z0-9][a-z0-9-]*` and is never a path; when nothing usable is left (a site root, a segment of
    only punctuation or non-Latin script) this is an error naming the URL rather than a guess.
    """
    path = urlsplit(url).path
    segments = [segment for segment in path.split("/") if segment]
    if not segments:
        raise MedlocError("cannot derive a slug: the URL has no path segment (give a page URL)", path=url)
    segment = unquote(segments[-1])
    lowered = segment.lower()
    for suffix in _PAGE_SUFFIXES:
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            lowered = lowered[: -len(suffix)]
            break
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:MAX_SLUG_LENGTH].rstrip("-")
    if not SLUG_PATTERN.fullmatch(slug):
        raise MedlocError(
            f"cannot derive a slug from the last path segment {segment!r}: "
            "it must contain letters or digits ([a-z0-9][a-z0-9-]*)",
            path=url,
        )
    return slug
