"""On-disk cache of HTTP bodies and their validators, so a scheduled run can ask "changed?" (304).

Standard library only. One entry per URL, named by the SHA-256 of the URL (never by anything the
server sent, so a hostile URL or header cannot choose a file name): `<key>.body` holds the bytes,
`<key>.json` the validators (ETag, Last-Modified), media type, charset and the body's SHA-256.
Both files are written atomically (temporary file in the same folder + `os.replace`), the body
first; a reader that finds the metadata and body disagreeing (a crash between the two writes, a
hand edit) treats the entry as absent, so the next request is a plain GET instead of a 304 that
would serve the wrong bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

CACHE_FOLDER = "http-cache"


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """What we remember about one URL: enough to send a conditional GET and to serve a 304."""

    url: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    media_type: str | None = None
    charset: str | None = None

    @property
    def has_validators(self) -> bool:
        return bool(self.etag or self.last_modified)


class HttpCache:
    """A folder of cached responses keyed by URL."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def key(url: str) -> str:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()

    def get(self, url: str) -> CachedResponse | None:
        """The cached entry for `url`, or None when absent, unreadable or inconsistent."""
        key = self.key(url)
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            body = (self.folder / f"{key}.body").read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("url") != url:
            return None
        if meta.get("sha256") != hashlib.sha256(body).hexdigest():
            return None
        return CachedResponse(
            url=url,
            body=body,
            etag=_optional_str(meta.get("etag")),
            last_modified=_optional_str(meta.get("last_modified")),
            media_type=_optional_str(meta.get("media_type")),
            charset=_optional_str(meta.get("charset")),
        )

    def put(self, entry: CachedResponse) -> None:
        """Store `entry`, replacing any previous one for the same URL."""
        self.folder.mkdir(parents=True, exist_ok=True)
        key = self.key(entry.url)
        meta = asdict(entry)
        del meta["body"]
        meta["sha256"] = hashlib.sha256(entry.body).hexdigest()
        _atomic_write(self.folder / f"{key}.body", entry.body)
        _atomic_write(self.folder / f"{key}.json", json.dumps(meta, indent=1, sort_keys=True).encode("utf-8"))


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _atomic_write(path: Path, data: bytes) -> None:
    """Write so that readers see either the old file or the new one, never half of one."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
