"""Find article URLs in a sitemap.xml, a sitemap index, an RSS (0.9x/1.0/2.0) or an Atom feed.

The only module that parses XML from the network, and it does so through medloc.xmlsafe: a remote
sitemap is untrusted input, and the standard library's parser expands entities (billion laughs)
and may resolve external ones. Elements are matched by local name so that namespaced and
un-namespaced documents (and the many feeds that get their namespace slightly wrong) all work.
"""

from __future__ import annotations

import gzip
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urljoin

from medloc import xmlsafe
from medloc.model import MedlocError

_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


class ListingKind(StrEnum):
    URLSET = "urlset"
    SITEMAP_INDEX = "sitemapindex"
    RSS = "rss"
    ATOM = "atom"


@dataclass(frozen=True, slots=True)
class Listing:
    """What an XML listing points to: article pages, or (for a sitemap index) more sitemaps."""

    kind: ListingKind
    pages: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


def parse_listing(data: bytes, base_url: str, *, max_bytes: int) -> Listing:
    """Parse a sitemap, sitemap index, RSS or Atom document; relative links resolve against base_url."""
    data = _gunzip(data, base_url, max_bytes)
    try:
        root = xmlsafe.parse(data)
    except xmlsafe.UnsafeXmlError as exc:
        raise MedlocError(f"refused unsafe XML ({exc.kind})", path=base_url) from None
    except xmlsafe.XmlSyntaxError as exc:
        raise MedlocError(f"not well-formed XML: {exc}", path=base_url) from None
    name = _local(root.tag)
    if name == "urlset":
        return Listing(ListingKind.URLSET, pages=_locs(root, "url", base_url))
    if name == "sitemapindex":
        return Listing(ListingKind.SITEMAP_INDEX, sitemaps=_locs(root, "sitemap", base_url))
    if name in ("rss", "RDF"):
        return Listing(ListingKind.RSS, pages=_rss_links(root, base_url))
    if name == "feed":
        return Listing(ListingKind.ATOM, pages=_atom_links(root, base_url))
    raise MedlocError(f"not a sitemap, RSS or Atom document (root element <{name}>)", path=base_url)


def _gunzip(data: bytes, url: str, max_bytes: int) -> bytes:
    """Sitemaps are often served as `.xml.gz` files; decompress with the same size limit."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(max_bytes + 1)
    except (OSError, EOFError) as exc:
        raise MedlocError(f"corrupt gzip data: {exc}", path=url) from None
    if len(out) > max_bytes:
        raise MedlocError(f"decompressed sitemap is over the size limit of {max_bytes} bytes", path=url)
    return out


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _locs(root: ET.Element, entry: str, base_url: str) -> list[str]:
    urls: list[str] = []
    for item in _children(root, entry):
        for loc in _children(item, "loc"):
            if text := _text(loc):
                urls.append(urljoin(base_url, text))
    return urls


def _rss_links(root: ET.Element, base_url: str) -> list[str]:
    """RSS 2.0 items live in <channel>; RSS 1.0 (RDF) items are siblings of <channel>."""
    containers = [root, *_children(root, "channel")]
    urls: list[str] = []
    for container in containers:
        for item in _children(container, "item"):
            links = [_text(link) for link in _children(item, "link") if _text(link)]
            if links:
                urls.append(urljoin(base_url, links[0]))
                continue
            # RSS 2.0 allows an item without <link>; a permalink guid is then the article's URL.
            for guid in _children(item, "guid"):
                if guid.get("isPermaLink", "true").lower() == "true" and _text(guid).startswith("http"):
                    urls.append(_text(guid))
                    break
    return urls


def _atom_links(root: ET.Element, base_url: str) -> list[str]:
    """Each entry's rel="alternate" link (the default rel), honouring xml:base."""
    feed_base = urljoin(base_url, root.get(_XML_BASE, ""))
    urls: list[str] = []
    for entry in _children(root, "entry"):
        entry_base = urljoin(feed_base, entry.get(_XML_BASE, ""))
        for link in _children(entry, "link"):
            href = link.get("href", "").strip()
            if href and link.get("rel", "alternate") == "alternate":
                urls.append(urljoin(entry_base, href))
                break
    return urls
