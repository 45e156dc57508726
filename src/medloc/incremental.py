"""Incremental runs: redo an article only when something it depends on changed.

Why our own record instead of Prefect's task cache: an article's PO files are both an input
(translators edit them) and an output (the run merges them). A cache key taken before the run goes
stale the moment the run writes the PO file, so the next run would redo everything once more. Here
the fingerprint is taken again *after* the article was processed, over the same inputs and the
outputs as the run left them, and stored in `<state_dir>/articles.json`. The next run recomputes it:
equal means nothing changed (not the source, the settings, the glossary, the code, a translator's
PO edit, nor a deleted output), so the stored result is reused without any work.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import medloc
from medloc.config import Settings
from medloc.fsutil import atomic_write_text
from medloc.model import SourceDocument

STATE_FILE = "articles.json"
STATE_SCHEMA = "medloc.article-state/1"


def fingerprint(document: SourceDocument, slug: str, settings: Settings, outputs: list[str],
                files: FileDigests | None = None) -> str:
    """Hash of everything the article's result depends on, and of the outputs it left.

    Files enter by their content digest (`FileDigests`: a digest is reused while the file's size and
    mtime are those it was hashed at); the glossary enters as one digest per run, not file by file
    for each of a thousand articles.
    """
    files = files if files is not None else FileDigests()
    digest = hashlib.sha256()
    digest.update(medloc.__version__.encode() + b"\0" + code_fingerprint().encode())
    digest.update(repr(settings).encode())
    digest.update(document.origin.encode() + b"\0" + document.data)
    digest.update(files.glossary(settings).encode())
    locales = settings.path(settings.project.locales_dir)
    for path in _article_inputs(locales, slug) + [settings.root / o for o in sorted(outputs)]:
        digest.update(str(path).encode() + b"\0" + files.digest(path).encode())
    return digest.hexdigest()


def _article_inputs(locales: Path, slug: str) -> list[Path]:
    if not locales.is_dir():
        return []
    return sorted(locales.glob(f"*/{slug}.po")) + sorted(locales.glob(f"*/{slug}.pot"))


class FileDigests:
    """Content digests of files, with git's stat shortcut: a file whose size and mtime_ns equal those
    recorded when it was hashed is not read again.

    Why: an unchanged run fingerprints every article (source, 4 PO files, template, outputs), ~6,000
    files for 1,000 articles; reading and hashing them all costs ~0.4 s, stat calls ~0.01 s. A record
    is trusted only when the file's mtime was at least `RACY_NS` older than the moment it was hashed
    (git's "racily clean" rule): an edit within the same clock tick as the hash, keeping the size,
    would otherwise go unseen. Files written by a run are therefore hashed once more by the next run.
    """

    RACY_NS = 2_000_000_000

    def __init__(self, known: dict[str, list[Any]] | None = None) -> None:
        self.known: dict[str, list[Any]] = dict(known or {})  # path -> [size, mtime_ns, hashed_ns, digest]
        self.touched: set[str] = set()
        self._glossary: tuple[str, str] | None = None

    def digest(self, path: Path) -> str:
        key = str(path)
        self.touched.add(key)
        try:
            st = path.stat()
        except OSError:
            self.known.pop(key, None)
            return "missing"
        seen = self.known.get(key)
        if (seen and seen[0] == st.st_size and seen[1] == st.st_mtime_ns
                and st.st_mtime_ns < seen[2] - self.RACY_NS):
            return str(seen[3])
        hashed_ns = time.time_ns()
        try:
            value = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return "missing"
        self.known[key] = [st.st_size, st.st_mtime_ns, hashed_ns, value]
        return value

    def glossary(self, settings: Settings) -> str:
        """One digest over the glossary folder's files, computed once per run (per folder)."""
        folder = settings.path(settings.project.glossary_dir)
        if self._glossary is None or self._glossary[0] != str(folder):
            digest = hashlib.sha256()
            if folder.is_dir():
                for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                    digest.update(str(path).encode() + b"\0" + self.digest(path).encode())
            self._glossary = (str(folder), digest.hexdigest())
        return self._glossary[1]

    def to_store(self) -> dict[str, list[Any]]:
        """The records worth keeping: files this run looked at (a deleted article's files drop out)."""
        return {k: v for k, v in self.known.items() if k in self.touched}


class ArticleState:
    """The record of the last successful processing of each article, by slug."""

    def __init__(self, settings: Settings) -> None:
        self.path = settings.path(settings.project.state_dir) / STATE_FILE
        self.entries: dict[str, dict[str, Any]] = {}
        self.files = FileDigests()  # per run: the glossary is hashed once, unchanged files not re-read
        self._saved = ""  # the text on disk: a run that changed nothing does not write it again
        try:
            self._saved = self.path.read_text(encoding="utf-8")
            data = json.loads(self._saved)
            if data.get("schema") == STATE_SCHEMA and isinstance(data.get("articles"), dict):
                self.entries = data["articles"]
                files = data.get("files")
                self.files = FileDigests(files if isinstance(files, dict) else None)
        except (OSError, ValueError, AttributeError):
            self.entries = {}  # no record (first run) or an unreadable one: everything runs

    def unchanged(self, document: SourceDocument, slug: str, settings: Settings) -> dict[str, Any] | None:
        """The stored result when nothing the article depends on changed, else None."""
        entry = self.entries.get(slug)
        if not entry or entry.get("origin") != document.origin:
            return None
        outputs = list(entry.get("result", {}).get("outputs", []))
        if fingerprint(document, slug, settings, outputs, self.files) != entry.get("fingerprint"):
            return None
        return dict(entry["result"])

    def record(self, document: SourceDocument, slug: str, settings: Settings, result: dict[str, Any]) -> None:
        outputs = list(result.get("outputs", []))
        self.entries[slug] = {
            "origin": document.origin,
            "fingerprint": fingerprint(document, slug, settings, outputs, self.files),
            "result": result,
        }

    def forget(self, slug: str) -> None:
        self.entries.pop(slug, None)

    def save(self) -> None:
        """Written only when it changed; compact, because `indent` makes `json.dumps` use its
        Python encoder: 0.3 s for 1,000 articles' records, in every run, unchanged ones included."""
        payload = {"schema": STATE_SCHEMA, "articles": self.entries, "files": self.files.to_store()}
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
        if text != self._saved:
            atomic_write_text(self.path, text)
            self._saved = text


_CODE_FINGERPRINT: str | None = None


def code_fingerprint() -> str:
    """Hash of medloc's own source files, so a code change invalidates recorded results."""
    global _CODE_FINGERPRINT
    if _CODE_FINGERPRINT is None:
        digest = hashlib.sha256()
        package = Path(medloc.__file__).parent
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
        _CODE_FINGERPRINT = digest.hexdigest()[:16]
    return _CODE_FINGERPRINT


__all__ = ["ArticleState", "FileDigests", "code_fingerprint", "fingerprint"]
