"""Opening a cache kept in SQLite (the engine memo, the report parts): usable, set aside, or none.

Why one function: a cache file must never fail a run. A damaged file (a crash mid-write, a disk
error, someone's stray bytes) is moved aside as `<name>.damaged` with its WAL files and a fresh one
is made; a locked or unwritable one means no cache for this run. Both caches did this each in
their own copy; a fix to one would have missed the other.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any

_log = logging.getLogger(__name__)


def open_cache(path: Path, schema: str, probe: str, what: str, *, timeout: float = 30.0,
               autocommit: bool = False, durable: bool = True, wal: bool = True) -> sqlite3.Connection | None:
    """A WAL connection to the cache at `path` with `schema` (one or more statements, `;` between)
    created, or None when it cannot be used.

    `probe` is a cheap query that reads the table (a damaged file often opens fine and fails only
    there); `what` names the cache in the log. `autocommit`: no implicit transactions (the caller's
    statements commit one by one); `durable=False`: no fsync per commit (losing the last answers in a
    power cut only costs recomputing them); `wal=False`: a rollback journal, so every commit is in the
    file itself (the findings history: its digest tells the QA stage whether it changed)."""
    for attempt in (1, 2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = (sqlite3.connect(path, timeout=timeout, isolation_level=None) if autocommit
                          else sqlite3.connect(path, timeout=timeout))
            connection.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}")
            if not durable:
                connection.execute("PRAGMA synchronous=NORMAL")
            connection.executescript(schema)
            connection.execute(probe).fetchone()
            return connection
        except sqlite3.DatabaseError as exc:
            if attempt == 1 and path.is_file() and "locked" not in str(exc):
                aside = path.with_name(path.name + ".damaged")
                _log.warning("%s %s unreadable (%s): set aside as %s", what, path, exc, aside)
                path.replace(aside)
                for suffix in ("-wal", "-shm"):
                    path.with_name(path.name + suffix).unlink(missing_ok=True)
                continue
            _log.warning("%s %s not used: %s", what, path, exc)
        except OSError as exc:
            _log.warning("%s %s not used: %s", what, path, exc)
        break
    return None


class ThreadConnections:
    """One `open_cache` connection per thread (sqlite3 connections stay in the thread that opened
    them; a flow's articles share caches across threads), and no second attempt in this process once
    the file proved unusable (each attempt would wait on a lock or log the same warning again).
    Used by the engine memo and the translation-memory snapshot."""

    def __init__(self, path: Path, schema: str, probe: str, what: str, **options: Any) -> None:
        self.path = path
        self._open_args = (schema, probe, what)
        self._options = options
        self._local = threading.local()
        self._usable = True

    def get(self) -> sqlite3.Connection | None:
        """This thread's connection, or None when the cache cannot be used."""
        if not self._usable:
            return None
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = open_cache(self.path, *self._open_args, **self._options)
            self._usable = connection is not None
            self._local.connection = connection
        return connection

    def close(self) -> None:
        """Close this thread's connection (the next `get` in it opens a new one)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None
