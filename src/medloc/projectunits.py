"""The units the project-wide checks read, kept across processes in `<state_dir>/project-units.sqlite`.

Why a cache: the flow's QA stage reuses every article's stored per-unit findings, but the
project-wide checks (consistency across articles) need every translated unit of the project, so a
run in which one article changed used to parse all 4,000 PO files (and 1,000 templates) of a
1,000-article project again: 3.7 s of the run. Here each PO file's units are kept under the file's
content digest, and a new process parses only the PO files that changed since the last run.

What is kept is what `ProjectCheck` is promised (see `medloc.checks.base.ProjectCheck`): translated,
reviewed units only — non-empty target, not fuzzy, not obsolete — each field exactly as
`units_from_po` makes them, so findings are the same with and without the cache. Kept with them:
each text's normal form as the consistency check compares it (`consistency.normal_form`, ~25 µs a
text, 0.6 s for the benchmark's 30,000 distinct texts), given to the check as `NORMAL_FORMS`.

Why content digests (`medloc.incremental.FileDigests`) and not the (size, mtime_ns, inode) stamp
`projectmemory` uses: an editor that saves in place keeps the inode, a translation that fixes one
word often keeps the size, and two saves within one mtime tick (coarse on some file systems; a
script, or a save during the run) keep the mtime — a stamp would then serve the old units, and the
consistency findings would be wrong until the file changes again. FileDigests keeps git's stat
shortcut (a file is not read while its size and mtime are those it was hashed at) but trusts it only
when the file's mtime was well before the moment it was hashed ("racily clean"), so such an edit is
hashed again and seen. The digests' records are stored here too: a new process reads no PO file
that did not change. Unseen, as by git: an edit that keeps the size and sets the mtime back (touch
-d, os.utime) to a time well before the last hash.

Why SQLite, a row per PO file (the first design was one JSON file): the JSON file was rewritten
whole (22 MB, ~0.4 s) whenever one PO file changed. Here a run writes only the rows of the files it
parsed and deletes the rows of files not asked for (asked for nothing — every article re-checked —
it leaves the cache for the next run). Texts are stored once, in their own table (a source comes
once per locale and often in several articles: 52,000 units have 30,000 distinct texts, 10 million
characters), and a row names them by id: 7 MB of rows, not 25. An id is never reused
(AUTOINCREMENT), so a row can never name another text, even when two processes write at once (a
text inserted twice only has two ids); texts no row names any more are deleted once they are a
quarter of the table, and a row naming a missing text, or not what this module writes, is ignored
and its file parsed.

The cache key holds what changes the units' meaning besides the files: medloc's code (the parser,
`units_from_po`, the normal form) and the source locale; a cache made under another key is emptied
(a write re-checks the key in its transaction). Rows are JSON, not pickle: the state folder is data,
and reading it must never run code. A damaged file is set aside and rebuilt
(`medloc.cachedb.open_cache`); a locked or unwritable one costs the next process the parsing, never
correctness. The first design's `project-units.json` is removed when found.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Any

from medloc.cachedb import open_cache
from medloc.catalog import read_catalog
from medloc.checks.base import Unit
from medloc.checks.consistency import normal_form
from medloc.checks.engine import units_from_po
from medloc.config import Settings
from medloc.incremental import FileDigests, code_fingerprint
from medloc.model import BlockKind, MedlocError

CACHE = "project-units.sqlite"
LEGACY = "project-units.json"  # the first design's cache: removed when found
CACHE_SCHEMA = "medloc.project-units/2"
_FILES, _TEXTS, _KEY = "units_files_2", "units_texts_2", "units_key_2"
_SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {_FILES} (path TEXT PRIMARY KEY, size INTEGER NOT NULL, "
    "mtime_ns INTEGER NOT NULL, hashed_ns INTEGER NOT NULL, digest TEXT NOT NULL, units TEXT NOT NULL);"
    f"CREATE TABLE IF NOT EXISTS {_TEXTS} (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL, "
    "normal TEXT NOT NULL);"
    f"CREATE TABLE IF NOT EXISTS {_KEY} (key TEXT NOT NULL)"
)
_WAIT = 10.0  # seconds another process's write may hold the file before this one gives up on it
_KINDS: dict[str | None, BlockKind | None] = {None: None, **{k.value: k for k in BlockKind}}
_NO_FLAGS: frozenset[str] = frozenset()
_INT, _STR, _LIST, _STR_OR_NONE = {int}, {str}, {list}, {str, type(None)}

Row = tuple[int, int, int, str, str]  # a file's size, mtime_ns, hashed_ns, digest (FileDigests), units


@dataclass
class ProjectUnits:
    """The units, and what it took to get them (the tests and the benchmark read the counts)."""

    units: list[Unit] = field(default_factory=list)
    parsed: list[str] = field(default_factory=list)  # PO files parsed in this call (cache misses)
    reused: int = 0  # PO files whose units came from the cache
    written: list[str] = field(default_factory=list)  # PO files whose row was (re)written
    dropped: int = 0  # rows deleted: files not asked for, unreadable, or changed while read
    # text -> consistency.normal_form(text) for (at least) the units' texts: given to the check
    normal_forms: dict[str, str] = field(default_factory=dict)


def project_units(settings: Settings, slugs: Sequence[str], locales: Sequence[str],
                  files: FileDigests | None = None) -> list[Unit]:
    """The project checks' units of `slugs` × `locales`, in that order (slug, then locale).

    `files`: the run's FileDigests when the caller has one (a file it hashed is not hashed again).
    """
    return load_project_units(settings, slugs, locales, files).units


def cache_path(settings: Settings) -> Path:
    return settings.path(settings.project.state_dir) / CACHE


def load_project_units(settings: Settings, slugs: Sequence[str], locales: Sequence[str],
                       files: FileDigests | None = None) -> ProjectUnits:
    """`project_units` with its counts and normal forms. A missing PO file, or one that does not
    parse, gives no units (as `read_locale_units`; the per-article QA reports the error) and is not
    cached. Files not asked for are dropped from the cache, except when nothing is asked for (every
    article re-checked this run, say while a grammar server is down): the cache is then left for the
    next run."""
    if not slugs or not locales:
        return ProjectUnits()
    source_locale = settings.project.source_locale
    path = cache_path(settings)
    with contextlib.suppress(OSError):
        path.with_name(LEGACY).unlink(missing_ok=True)
    store = _Store.open(path, "\x1f".join((CACHE_SCHEMA, code_fingerprint(), source_locale)))
    rows, texts, normal_forms = store.read() if store is not None else ({}, {}, {})
    files = files if files is not None else FileDigests()
    for name, row in rows.items():
        files.known.setdefault(name, list(row[:4]))  # their records are checked like any other
    locales_dir = settings.path(settings.project.locales_dir)  # po_path's folder, resolved once
    folders = {locale: locales_dir / locale for locale in locales}
    out = ProjectUnits(normal_forms=normal_forms)
    asked: set[str] = set()
    used: set[int] = set()  # the text ids of every row kept
    change = _Change()
    for slug in slugs:
        for locale in locales:
            po = folders[locale] / f"{slug}.po"
            name = str(po)
            digest = files.digest(po)
            if digest == "missing":
                continue
            asked.add(name)
            row = rows.get(name)
            record = files.known.get(name)
            units = None
            if row is not None and row[3] == digest:
                units = _decode(row[4], texts, slug, locale, source_locale, used)
            if units is not None and row is not None:
                out.reused += 1
                if record is not None and record[3] == digest and list(record[:3]) != list(row[:3]):
                    change.stamps.append((*record[:3], name))  # hashed again: the next process won't
            else:
                out.parsed.append(name)
                units, cacheable = _parse(po, slug, locale, source_locale, digest)
                for unit in units:
                    for text in (unit.source, unit.target):
                        if text not in normal_forms:
                            normal_forms[text] = normal_form(text)
                if cacheable and record is not None and record[3] == digest:
                    change.rows.append((name, *record[:4], units))
                elif row is not None:
                    change.drop.append(name)  # unreadable now, or changed while read: parsed next time
            out.units += units
    change.drop += [name for name in rows if name not in asked]
    unused = [key for key in texts if key not in used]
    if len(unused) * 4 >= len(texts):  # compacting whenever one text is left behind would cost more
        change.unused = unused
    if store is not None:
        if change and store.write(change, texts, normal_forms):
            out.written = [row[0] for row in change.rows]
            out.dropped = len(change.drop)
        store.close()
    return out


@dataclass
class _Change:
    """What one call writes: rows of parsed files (with their units), fresher FileDigests records of
    unchanged files, rows to delete, texts no row names any more."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)  # (path, *record, units)
    stamps: list[tuple[Any, ...]] = field(default_factory=list)  # (size, mtime_ns, hashed_ns, path)
    drop: list[str] = field(default_factory=list)
    unused: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.rows or self.stamps or self.drop or self.unused)


def _parse(po: Path, slug: str, locale: str, source_locale: str, digest: str) -> tuple[list[Unit], bool]:
    """The usable units of one PO file, and whether they may be cached under `digest`.

    The digest is taken of the bytes parsed: if the file changed between FileDigests hashing it and
    this read, the units are right for this run but not for `digest`, so they are not cached.
    """
    try:
        data = po.read_bytes()
        catalog = read_catalog(po, data)
    except (OSError, MedlocError):
        return [], False
    units = units_from_po(catalog, article=slug, locale=locale, source_locale=source_locale)
    return [u for u in units if u.reviewed], hashlib.sha256(data).hexdigest() == digest


def _encode(units: list[Unit], ids: dict[str, int]) -> str:
    """A file's row: its units without what the file's path and the cache key say (article,
    locales), as columns (decoded with `map`, no Python loop per unit), texts by id. The kind is a
    StrEnum: JSON writes its value."""
    return json.dumps([[ids[u.source] for u in units], [ids[u.target] for u in units],
                       [u.kind for u in units], [sorted(u.flags) for u in units],
                       [u.context for u in units], [u.reference for u in units], [u.line for u in units]],
                      ensure_ascii=False, separators=(",", ":"))


def _decode(payload: str, texts: dict[int, str], slug: str, locale: str,
            source_locale: str, used: set[int]) -> list[Unit] | None:
    """The units of one cached file, or None when the row is not what `_encode` writes or names a
    text the table does not have (the file is then parsed)."""
    try:
        sources, targets, kinds, flags, contexts, references, lines = json.loads(payload)
        count = len(lines)
        if not (len(sources) == len(targets) == len(kinds) == len(flags) == len(contexts)
                == len(references) == count
                and set(map(type, lines)) <= _INT and set(map(type, references)) <= _STR
                and set(map(type, contexts)) <= _STR_OR_NONE and set(map(type, flags)) <= _LIST):
            return None
        source_texts = list(map(texts.__getitem__, sources))  # KeyError: a text not in the table
        target_texts = list(map(texts.__getitem__, targets))
        if not all(target_texts) or any(f and ("fuzzy" in f or not _strings(f)) for f in flags):
            return None
        units = list(map(Unit, source_texts, target_texts, repeat(locale, count),
                         repeat(source_locale, count), repeat(slug, count), map(_KINDS.__getitem__, kinds),
                         repeat(False, count), [frozenset(f) if f else _NO_FLAGS for f in flags],
                         contexts, references, lines, repeat(False, count)))
    except (TypeError, ValueError, KeyError):  # KeyError: also an unknown kind
        return None
    used.update(sources)
    used.update(targets)
    return units


def _strings(values: list[Any]) -> bool:
    return set(map(type, values)) <= _STR


class _Store:
    """The SQLite file: its rows read at once, one call's changes written in one transaction."""

    def __init__(self, connection: sqlite3.Connection, key: str) -> None:
        self.connection = connection
        self.key = key

    @classmethod
    def open(cls, path: Path, key: str) -> _Store | None:
        # the probe walks both tables: a damaged page is then found here, and the file set aside
        probe = f"SELECT (SELECT count(*) FROM {_FILES}) + (SELECT count(*) FROM {_TEXTS})"
        connection = open_cache(path, _SCHEMA, probe, "project-units cache", timeout=_WAIT,
                                autocommit=True, durable=False)
        return cls(connection, key) if connection is not None else None

    def read(self) -> tuple[dict[str, Row], dict[int, str], dict[str, str]]:
        """({path: row}, {text id: text}, {text: normal form}) of this key; nothing when the cache
        was made under another key (it is emptied) or cannot be read."""
        connection = self.connection
        try:
            if connection.execute(f"SELECT key FROM {_KEY}").fetchall() != [(self.key,)]:
                self._reset()
                return {}, {}, {}
            rows = {path: rest for path, *rest in connection.execute(
                f"SELECT path, size, mtime_ns, hashed_ns, digest, units FROM {_FILES}")}
            texts: dict[int, str] = {}
            normal_forms: dict[str, str] = {}
            for key, text, normal in connection.execute(f"SELECT id, text, normal FROM {_TEXTS}"):
                texts[key] = text
                normal_forms[text] = normal
        except sqlite3.DatabaseError:
            return {}, {}, {}
        return rows, texts, normal_forms  # type: ignore[return-value]

    def _reset(self) -> None:
        """Empty the tables and take this key (another schema, medloc version or source locale)."""
        with contextlib.suppress(sqlite3.DatabaseError):
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                for table in (_FILES, _TEXTS, _KEY):
                    self.connection.execute(f"DELETE FROM {table}")
                self.connection.execute(f"INSERT INTO {_KEY} VALUES (?)", (self.key,))
                self.connection.execute("COMMIT")
            except sqlite3.DatabaseError:
                self.connection.execute("ROLLBACK")

    def write(self, change: _Change, texts: dict[int, str], normal_forms: dict[str, str]) -> bool:
        """One transaction, made only while the cache is still of this key; False when it was not.
        Texts new to the table are inserted first (their ids are then known): a row only ever names
        texts that are there."""
        connection = self.connection
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                if connection.execute(f"SELECT key FROM {_KEY}").fetchall() != [(self.key,)]:
                    connection.execute("ROLLBACK")
                    return False
                ids = {text: key for key, text in texts.items()} if change.rows else {}
                unused = set(change.unused)
                rows = []
                for *head, units in change.rows:
                    for unit in units:
                        for text in (unit.source, unit.target):
                            key = ids.get(text)
                            if key is None or key in unused:
                                ids[text] = connection.execute(
                                    f"INSERT INTO {_TEXTS} (text, normal) VALUES (?, ?)",
                                    (text, normal_forms[text])).lastrowid  # type: ignore[assignment]
                    rows.append((*head, _encode(units, ids)))
                connection.executemany(f"INSERT OR REPLACE INTO {_FILES} VALUES (?, ?, ?, ?, ?, ?)", rows)
                connection.executemany(f"UPDATE {_FILES} SET size = ?, mtime_ns = ?, hashed_ns = ? "
                                       "WHERE path = ?", change.stamps)
                connection.executemany(f"DELETE FROM {_FILES} WHERE path = ?", [(n,) for n in change.drop])
                connection.executemany(f"DELETE FROM {_TEXTS} WHERE id = ?", [(k,) for k in unused])
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError:
            return False  # a cache: the next process parses those files instead
        return True

    def close(self) -> None:
        self.connection.close()
