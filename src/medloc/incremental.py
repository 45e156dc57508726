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
from pathlib import Path
from typing import Any

import medloc
from medloc.config import Settings
from medloc.fsutil import atomic_write_text
from medloc.model import MedlocError, SourceDocument

STATE_FILE = "articles.json"
STATE_SCHEMA = "medloc.article-state/1"


def fingerprint(document: SourceDocument, slug: str, settings: Settings, outputs: list[str]) -> str:
    """Hash of everything the article's result depends on, and of the outputs it left."""
    digest = hashlib.sha256()
    digest.update(medloc.__version__.encode() + b"\0" + code_fingerprint().encode())
    digest.update(repr(settings).encode())
    digest.update(document.origin.encode() + b"\0" + document.data)
    for path in _inputs(settings, slug) + [settings.root / o for o in sorted(outputs)]:
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing")
    return digest.hexdigest()


def _inputs(settings: Settings, slug: str) -> list[Path]:
    files: list[Path] = []
    glossary = settings.path(settings.project.glossary_dir)
    if glossary.is_dir():
        files.extend(p for p in sorted(glossary.rglob("*")) if p.is_file())
    locales = settings.path(settings.project.locales_dir)
    if locales.is_dir():
        files.extend(sorted(locales.glob(f"*/{slug}.po")))
        files.extend(sorted(locales.glob(f"*/{slug}.pot")))
    return files


class ArticleState:
    """The record of the last successful processing of each article, by slug."""

    def __init__(self, settings: Settings) -> None:
        self.path = settings.path(settings.project.state_dir) / STATE_FILE
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("schema") == STATE_SCHEMA and isinstance(data.get("articles"), dict):
                self.entries = data["articles"]
        except (OSError, ValueError, AttributeError):
            self.entries = {}  # no record (first run) or an unreadable one: everything runs

    def unchanged(self, document: SourceDocument, slug: str, settings: Settings) -> dict[str, Any] | None:
        """The stored result when nothing the article depends on changed, else None."""
        entry = self.entries.get(slug)
        if not entry or entry.get("origin") != document.origin:
            return None
        outputs = list(entry.get("result", {}).get("outputs", []))
        if fingerprint(document, slug, settings, outputs) != entry.get("fingerprint"):
            return None
        return dict(entry["result"])

    def record(self, document: SourceDocument, slug: str, settings: Settings, result: dict[str, Any]) -> None:
        outputs = list(result.get("outputs", []))
        self.entries[slug] = {
            "origin": document.origin,
            "fingerprint": fingerprint(document, slug, settings, outputs),
            "result": result,
        }

    def forget(self, slug: str) -> None:
        self.entries.pop(slug, None)

    def save(self) -> None:
        payload = {"schema": STATE_SCHEMA, "articles": self.entries}
        atomic_write_text(self.path, json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


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


__all__ = ["ArticleState", "MedlocError", "code_fingerprint", "fingerprint"]
