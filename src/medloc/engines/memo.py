"""What the offline engines said about a text, kept by content so no text is checked twice.

Why: grammar and spelling corrections are most of a run's cost (Grammalecte ~15 ms a French
paragraph, Harper ~100 ms an English article, a spelling correction 4-12 ms a word), and the same
text comes back all the time: a heading or disclaimer repeated across articles, every unchanged
segment of an article whose one paragraph was edited, every article after a glossary or settings
change (which reprocesses them all). An engine's answer depends only on the text, the locale and
the engine (library version, our rule settings, dictionaries), so results are stored under a
hash of exactly that: Weblate keeps check results per unit for the same reason.

Where: `<state_dir>/engine-memo.sqlite` (SQLite in WAL mode: the Prefect threads and the worker
processes of one run read and write it at once; a writer waits up to 30 s for another). Without a
project (a lone PO file) the memo lives in memory for the run. The file is a cache: deleting it
loses nothing, a damaged one is set aside and rebuilt, and a failing write is skipped (the answer
is still returned) — the cache can never fail a run. It is kept under `MAX_ROWS` by dropping the
oldest entries.

LanguageTool's answers are not kept: the server is someone else's, its version and rules change
without our knowing, and its results should follow.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from medloc.cachedb import ThreadConnections

FILENAME = "engine-memo.sqlite"
MAX_ROWS = 400_000  # ~100 MB: a 1,000-article × 4-locale project fills ~60,000
_SCHEMA = "CREATE TABLE IF NOT EXISTS memo (key BLOB PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID"
_log = logging.getLogger(__name__)


def source_digest(path: str | Path) -> str:
    """The hash of a module's source: our mapping of an engine's output lives in code, so changing
    that code must invalidate what the memo holds."""
    return hashlib.blake2b(Path(path).read_bytes(), digest_size=8).hexdigest()


_SHARED_CODE = source_digest(Path(__file__).with_name("text.py"))  # markup -> plain text, for all engines


def fingerprint(*parts: object) -> str:
    """A namespace for one engine configuration: change any part (or the engines' shared text
    handling) and old answers no longer match."""
    return hashlib.blake2b("\x1f".join(map(str, (*parts, _SHARED_CODE))).encode(), digest_size=12).hexdigest()


class EngineMemo:
    """Answers by (namespace, text); `path=None` keeps them in memory only."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._memory: dict[bytes, str] = {}
        self._connections = (ThreadConnections(path, _SCHEMA, "SELECT count(*) FROM memo WHERE key = x'00'",
                                                "engine memo", autocommit=True, durable=False)
                             if path is not None else None)
        self.hits = 0
        self.misses = 0

    # ------------------------------------------------------------------ the store
    def _connection(self) -> sqlite3.Connection | None:
        return self._connections.get() if self._connections is not None else None

    @staticmethod
    def _key(namespace: str, text: str) -> bytes:
        return hashlib.blake2b(f"{namespace}\x1f{text}".encode(), digest_size=16).digest()

    def get_many(self, namespace: str, texts: Sequence[str]) -> dict[str, Any]:
        """The stored answers for those of `texts` that have one (decoded from JSON)."""
        keys = {self._key(namespace, t): t for t in dict.fromkeys(texts)}
        found: dict[str, Any] = {}
        for key, text in keys.items():
            if key in self._memory:
                found[text] = json.loads(self._memory[key])
        connection = self._connection()
        wanted = [k for k in keys if keys[k] not in found]
        if connection is not None and wanted:
            try:
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start:start + 500]
                    rows = connection.execute(
                        f"SELECT key, value FROM memo WHERE key IN ({','.join('?' * len(chunk))})", chunk
                    ).fetchall()
                    for key, value in rows:
                        found[keys[key]] = json.loads(value)
            except (sqlite3.Error, ValueError) as exc:
                _log.warning("engine memo %s read failed: %s", self.path, exc)
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def put_many(self, namespace: str, answers: Iterable[tuple[str, Any]]) -> None:
        """Store answers (JSON-able); in memory when there is no file or writing fails."""
        rows = [(self._key(namespace, text), json.dumps(value, ensure_ascii=False, separators=(",", ":")))
                for text, value in answers]
        if not rows:
            return
        connection = self._connection()
        if connection is None:
            self._memory.update(rows)
            return
        try:
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                connection.executemany("INSERT OR REPLACE INTO memo (key, value) VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            _log.warning("engine memo %s write failed (answers kept in memory): %s", self.path, exc)
            self._memory.update(rows)

    def prune(self, max_rows: int = MAX_ROWS) -> int:
        """Drop entries beyond `max_rows` (arbitrary ones: keys are hashes, so this is a random
        sample of old and new); returns how many went."""
        connection = self._connection()
        if connection is None:
            return 0
        try:
            (count,) = connection.execute("SELECT count(*) FROM memo").fetchone()
            excess = count - max_rows
            if excess <= 0:
                return 0
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute(
                    "DELETE FROM memo WHERE key IN (SELECT key FROM memo LIMIT ?)", (excess + max_rows // 5,)
                )
            return excess + max_rows // 5
        except sqlite3.Error as exc:
            _log.warning("engine memo %s not pruned: %s", self.path, exc)
            return 0

    def close(self) -> None:
        if self._connections is not None:
            self._connections.close()

    # ------------------------------------------------------------------ the use
    def through(
        self, namespace: str, texts: Sequence[str], compute: Callable[[list[str]], list[Any]],
    ) -> list[Any]:
        """Answers for `texts` in order: stored ones, and `compute(missing texts)` for the rest (its
        answers are stored, except None: "not checked" must be asked again next time)."""
        known = self.get_many(namespace, texts)
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            computed = compute(missing)
            known.update(zip(missing, computed, strict=True))
            fresh = zip(missing, computed, strict=True)
            self.put_many(namespace, [(text, answer) for text, answer in fresh if answer is not None])
        return [known[t] for t in texts]
