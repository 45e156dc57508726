"""The only module that touches httpx: conditional GET with retries and a streamed size limit.

httpx comes with Prefect, so it costs no extra dependency, and its streaming API lets us stop
reading as soon as a body passes `max_bytes` instead of holding a hostile 5 GB response in memory.
Every httpx exception becomes a `MedlocError` naming the URL here, at the boundary.

Retry policy: connection errors, timeouts, 5xx and 429 are transient and retried `retries` times
with exponential backoff; 4xx, a body over the limit and a bad URL are permanent and reported at
once (retrying them would only make a scheduled run slower).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

import httpx

from medloc.model import MedlocError
from medloc.sources.http_cache import CachedResponse, HttpCache

_CHUNK = 64 * 1024
_MAX_BACKOFF_SECONDS = 8.0


class FetchStatus(StrEnum):
    FETCHED = "fetched"
    NOT_MODIFIED = "not-modified"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A body and where it came from: the network (200) or the cache after a 304."""

    url: str
    body: bytes
    status: FetchStatus
    media_type: str | None
    charset: str | None
    attempts: int


class _Transient(Exception):
    """A failure worth another attempt; carries the message reported if attempts run out."""


class HttpFetcher:
    """Fetches URLs through one connection pool and one on-disk cache.

    Use as a context manager so the connection pool is closed.
    """

    def __init__(
        self,
        cache: HttpCache,
        *,
        timeout_seconds: float,
        retries: int,
        user_agent: str,
        max_bytes: int,
        backoff_seconds: float = 0.5,
    ) -> None:
        self.cache = cache
        self.retries = max(0, retries)
        self.max_bytes = max_bytes
        self.backoff_seconds = backoff_seconds
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_seconds),
            follow_redirects=True,
            max_redirects=5,
            headers={"User-Agent": user_agent},
        )

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str) -> Fetched:
        """GET `url`, conditionally when the cache holds validators; raise MedlocError on failure."""
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise MedlocError("not an http(s) URL", path=url)
        cached = self.cache.get(url)
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(url, cached, attempt)
            except _Transient as exc:
                if attempt > self.retries:
                    tries = f"{attempt} attempt{'s' if attempt > 1 else ''}"
                    raise MedlocError(f"{exc} (gave up after {tries})", path=url) from None
                time.sleep(min(self.backoff_seconds * 2 ** (attempt - 1), _MAX_BACKOFF_SECONDS))

    def _attempt(self, url: str, cached: CachedResponse | None, attempt: int) -> Fetched:
        headers: dict[str, str] = {}
        if cached is not None and cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304 and cached is not None and cached.has_validators:
                    refreshed = CachedResponse(
                        url=url,
                        body=cached.body,
                        etag=response.headers.get("ETag") or cached.etag,
                        last_modified=response.headers.get("Last-Modified") or cached.last_modified,
                        media_type=cached.media_type,
                        charset=cached.charset,
                    )
                    if refreshed != cached:
                        self.cache.put(refreshed)
                    return Fetched(
                        url, cached.body, FetchStatus.NOT_MODIFIED, cached.media_type, cached.charset, attempt
                    )
                if response.status_code >= 500 or response.status_code == 429:
                    raise _Transient(f"HTTP {response.status_code} {response.reason_phrase}")
                if response.status_code != 200:
                    raise MedlocError(f"HTTP {response.status_code} {response.reason_phrase}", path=url)
                body = self._read_limited(url, response)
                media_type, charset = _content_type(response.headers.get("Content-Type"))
        except httpx.TimeoutException:
            raise _Transient("timed out") from None
        except httpx.TransportError as exc:
            # Connection refused/reset, DNS, protocol errors, too many redirects: all transient
            # from where we stand (a restarting server looks exactly like this).
            raise _Transient(f"connection failed: {exc.__class__.__name__}: {exc}") from None
        except httpx.HTTPError as exc:
            raise MedlocError(f"request failed: {exc.__class__.__name__}: {exc}", path=url) from None
        entry = CachedResponse(
            url=url,
            body=body,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            media_type=media_type,
            charset=charset,
        )
        if entry.has_validators:
            self.cache.put(entry)
        return Fetched(url, body, FetchStatus.FETCHED, media_type, charset, attempt)

    def _read_limited(self, url: str, response: httpx.Response) -> bytes:
        """Read the body, stopping as soon as it passes the limit (Content-Length can lie)."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            message = f"response of {int(declared)} bytes is over the size limit of {self.max_bytes} bytes"
            raise MedlocError(message, path=url)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise MedlocError(f"response is over the size limit of {self.max_bytes} bytes", path=url)
            chunks.append(chunk)
        return b"".join(chunks)


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    """Split `text/html; charset="UTF-8"` into ("text/html", "utf-8")."""
    if not value:
        return None, None
    media_type, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, raw = param.partition("=")
        if name.strip().lower() == "charset":
            charset = raw.strip().strip("\"'").lower() or None
    return media_type.strip().lower() or None, charset
