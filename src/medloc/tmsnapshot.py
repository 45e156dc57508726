"""The translation memory's units per PO file, kept across processes in `<state_dir>/tm-units.sqlite`.

Why: a run that changes one article is a new process, and rebuilding the project's memory from its
4,000 PO files costs 3.4 s on a 1,000-article project; from this snapshot it reads one table and
parses only the PO files that changed since (by their (size, mtime_ns, inode) stamp).

Why a row per file in SQLite and not one JSON file (the first design): one file had to be rewritten
whole (27 MB, ~0.5 s) whenever any PO file changed, and the worker processes of a big run could not
add the files they wrote without each rewriting it, so the next run parsed every file the last one
wrote again (~1.7 s after a cold run). Now whichever process writes a PO file, or reads one and
leaves it as it was, replaces that file's row (`ProjectMemory.note_written`, `note_unchanged`), in
its own short transaction, under the project lock the run holds. A damaged file is set aside and
rebuilt (`medloc.cachedb.open_cache`); a locked or unwritable one only costs parsing. Rows are data
read with `json.loads`, never code.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from medloc.cachedb import ThreadConnections

FILENAME = "tm-units.sqlite"
LEGACY = "tm-units.json"  # the first design's snapshot: removed when found
_TABLE = "tm_files_1"
_SCHEMA = (f"CREATE TABLE IF NOT EXISTS {_TABLE} (path TEXT PRIMARY KEY, size INTEGER NOT NULL, "
           "mtime_ns INTEGER NOT NULL, inode INTEGER NOT NULL, units TEXT NOT NULL)")
_WAIT = 10.0  # seconds another process's write may hold the file before this one gives up on it

Stamp = tuple[int, int, int]
Pairs = list[tuple[str, str]]


class UnitSnapshot:
    """(stamp, [(source, target), ...]) per PO file path; one connection per thread (a flow's
    articles share one `ProjectMemory` across threads)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connections = ThreadConnections(
            path, _SCHEMA, f"SELECT count(*) FROM {_TABLE} WHERE path = ''", "translation-memory snapshot",
            timeout=_WAIT, durable=False)
        with contextlib.suppress(OSError):
            path.with_name(LEGACY).unlink(missing_ok=True)

    def read(self) -> dict[str, tuple[Stamp, Pairs]]:
        """Every readable row; a row that is not what `put` writes is left out (its file is parsed)."""
        connection = self._connections.get()
        if connection is None:
            return {}
        found: dict[str, tuple[Stamp, Pairs]] = {}
        try:
            for path, size, mtime_ns, inode, units in connection.execute(
                    f"SELECT path, size, mtime_ns, inode, units FROM {_TABLE}"):
                pairs = _pairs(units)
                if pairs is not None:
                    found[path] = ((size, mtime_ns, inode), pairs)
        except sqlite3.DatabaseError:
            return {}
        return found

    def put(self, files: Iterable[tuple[str, Stamp, Sequence[tuple[str, str]]]]) -> None:
        """Replace the rows of these files (one transaction), except rows of a newer file version.

        Why the mtime guard: a process loading the memory stats every file, parses the changed ones
        and puts their rows at the end, while the run's other worker writes PO files and puts theirs
        at once; without it the loader's rows, stamped before those writes, replaced the writer's, and
        the next run parsed again every file written during the first load (a cold run's next edit:
        catalogs 4.0 s instead of 0.7 s). A file put back with an older mtime (`cp -p`) keeps its
        older row, so it is parsed again each run until medloc next writes it: never a wrong unit."""
        rows = [(path, *stamp, json.dumps(list(pairs), ensure_ascii=False, separators=(",", ":")))
                for path, stamp, pairs in files]
        self._write(f"INSERT INTO {_TABLE} VALUES (?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET "
                    "size = excluded.size, mtime_ns = excluded.mtime_ns, inode = excluded.inode, "
                    f"units = excluded.units WHERE excluded.mtime_ns >= {_TABLE}.mtime_ns", rows)

    def drop(self, paths: Iterable[str]) -> None:
        """Forget files that no longer exist."""
        self._write(f"DELETE FROM {_TABLE} WHERE path = ?", [(p,) for p in paths])

    def _write(self, statement: str, rows: list[tuple[object, ...]]) -> None:
        connection = self._connections.get() if rows else None
        if connection is None:
            return
        try:
            with connection:
                connection.executemany(statement, rows)
        except sqlite3.DatabaseError:
            pass  # a cache: the next process parses those files instead

    def close(self) -> None:
        """Close this thread's connection (tests: the file is then damaged or removed)."""
        self._connections.close()


def _pairs(text: str) -> Pairs | None:
    try:
        data = json.loads(text)
        if isinstance(data, list) and all(
                isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and isinstance(p[1], str)
                for p in data):
            return [(source, target) for source, target in data]
    except ValueError:
        pass
    return None
