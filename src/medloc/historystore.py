"""The findings history kept per article in `<state_dir>/qa-history.sqlite`: read and written piecemeal.

Why not one JSON file (the first design, `qa-previous.json`): a run that changed one article of
1,000 parsed the last run's ~100,000 findings (~0.4 s) and wrote them all again (~0.75 s), a quarter
of the flow's QA stage. Here each article has one row — its findings as JSON lists, their digest
(`medloc.history.rows_digest`) and its locales — and the project-level findings (article "") one
more. A run reads the small index (article, digest, locales), parses an article's findings only
when asked (`PastFindings.of`: the project report asks for the articles whose part must be rebuilt
or whose digest differs from its part's), and writes only the rows whose digest changed, in one
transaction.

The project-level row is written by every recording, even empty: a store without it has never
recorded a run (a first run, or a fresh store after a damaged one was set aside). While that is so,
an older version's `qa-previous.json` is read instead; the first recording writes the store whole
from it and then deletes it, so a later damaged store cannot bring back a history older than the
last run (the next run is then the baseline: nothing new, nothing fixed).

Unlike the caches beside it, this is state (what a reviewer has seen), but the same rules hold for a
bad file (`medloc.cachedb.open_cache`): a damaged one is set aside as `.damaged` and a fresh one made,
a locked or unwritable one means no history for this run (logged) — never a failed run. A rollback
journal rather than WAL: every commit lands in the file itself, so the QA stage's digest of its
inputs (medloc.qastage) sees a history recorded by `medloc check --record`. Rows are data read with
`json.loads`, never code.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from medloc.cachedb import open_cache
from medloc.config import Settings
from medloc.history import (
    EMPTY,
    FIELDS,
    ArticleRows,
    Previous,
    Row,
    canonical_text,
    history_path,
    legacy_path,
    load_previous,
    rows_digest,
)

PROJECT = ""  # the row of project-level findings; its presence means a run was recorded
_TABLE = "history_1"
_SCHEMA = (f"CREATE TABLE IF NOT EXISTS {_TABLE} (article TEXT PRIMARY KEY, digest TEXT NOT NULL, "
           "locales TEXT NOT NULL, rows TEXT NOT NULL)")
_PROBE = f"SELECT count(*) FROM {_TABLE} WHERE article = ''"
_WAIT = 30.0  # seconds to wait for another process's write (`medloc check --record` beside a run)
_log = logging.getLogger(__name__)

Index = dict[str, tuple[str, frozenset[str] | None]]  # article -> (digest of its rows, their locales)


class PastFindings(Mapping[str, Previous]):
    """The last run's findings by fingerprint, each article's parsed only when it is asked for.

    As a Mapping (`history.compare`, `medloc check`) it reads everything once. The project report
    uses `digest` (is the article's history what its part holds?) and `of` (the rows of one article).
    `rows_parsed` counts the rows read from the store (tests hold the one-edit run to its article);
    `damaged`: articles whose stored rows could not be read (the next recording rewrites them)."""

    def __init__(self, index: Index, fetch: Callable[[str], list[Row] | None],
                 read: dict[str, dict[str, Previous]] | None = None) -> None:
        self._index = index
        self._fetch = fetch
        self._read: dict[str, dict[str, Previous]] = dict(read or {})
        self._all: dict[str, Previous] | None = None
        self.rows_parsed = 0
        self.damaged: set[str] = set()

    @classmethod
    def of_mapping(cls, previous: Mapping[str, Previous]) -> PastFindings:
        """Findings already in memory (an older version's file, a caller's dict), grouped by article."""
        if isinstance(previous, PastFindings):
            return previous
        read: dict[str, dict[str, Previous]] = {}
        for fp, p in previous.items():
            read.setdefault(p.article, {})[fp] = p
        index = {article: (_digest_of(found), frozenset(p.locale for p in found.values()))
                 for article, found in read.items()}
        return cls(index, lambda article: [], read)

    def articles(self) -> list[str]:
        """The articles with findings in the history ("" for project-level ones), sorted."""
        return sorted(self._index)

    def digest(self, article: str) -> str:
        """The digest of the article's findings (`history.rows_digest`; EMPTY when it has none)."""
        entry = self._index.get(article)
        return entry[0] if entry is not None else EMPTY

    def locales(self, article: str) -> frozenset[str] | None:
        """The locales of the article's findings (None: not known, read its rows to tell)."""
        entry = self._index.get(article)
        return entry[1] if entry is not None else frozenset()

    def parsed(self) -> list[str]:
        """The articles whose findings were read so far (a one-edit run: that article and "")."""
        return sorted(self._read)

    def of(self, article: str) -> Mapping[str, Previous]:
        """The article's findings by fingerprint, parsed on the first call."""
        found = self._read.get(article)
        if found is None:
            rows = self._fetch(article) if article in self._index else []
            if rows is None:
                self.damaged.add(article)
                rows = []
            self.rows_parsed += len(rows)
            found = self._read[article] = {str(row[0]): Previous(*row) for row in rows}
        return found

    def _everything(self) -> dict[str, Previous]:
        if self._all is None:
            self._all = {fp: p for article in self.articles() for fp, p in self.of(article).items()}
        return self._all

    def __getitem__(self, fingerprint: str) -> Previous:
        return self._everything()[fingerprint]

    def __iter__(self) -> Iterator[str]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())

    def items(self) -> Any:  # the dict's own view: `compare` walks 100,000 of them
        return self._everything().items()


class HistoryStore:
    """The SQLite file: its index, an article's rows, and a run's changes written in one transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection: sqlite3.Connection | None = None
        self._usable = True

    def _db(self) -> sqlite3.Connection | None:
        if self._connection is None and self._usable:
            self._connection = open_cache(self.path, _SCHEMA, _PROBE, "findings history", timeout=_WAIT,
                                          wal=False)
            self._usable = self._connection is not None
        return self._connection

    def index(self) -> Index | None:
        """Every article's (digest, locales); None when the store cannot be read."""
        db = self._db()
        if db is None:
            return None
        try:
            found = db.execute(f"SELECT article, digest, locales FROM {_TABLE}").fetchall()
        except sqlite3.DatabaseError as exc:
            _log.warning("findings history %s not read: %s", self.path, exc)
            return None
        index: Index = {}
        for article, digest, locales in found:
            try:
                index[str(article)] = (str(digest), frozenset(map(str, json.loads(locales))))
            except (ValueError, TypeError):
                index[str(article)] = (str(digest), None)  # locales not known: its rows are read
        return index

    def rows(self, article: str) -> list[Row] | None:
        """The article's stored findings (a row that is not six strings left out); None when its
        entry cannot be read (logged: its findings then count as new)."""
        db = self._db()
        try:
            found = db.execute(f"SELECT rows FROM {_TABLE} WHERE article = ?", (article,)).fetchone() \
                if db is not None else None
            data = json.loads(found[0]) if found is not None else []
        except (sqlite3.DatabaseError, ValueError) as exc:
            _log.warning("findings history %s: %r not read: %s", self.path, article, exc)
            return None
        if not isinstance(data, list):
            return None
        return [tuple(map(str, row)) for row in data if isinstance(row, list) and len(row) == len(FIELDS)]

    def past(self) -> PastFindings | None:
        """The recorded history, read lazily; None when no run was recorded (or it is unreadable)."""
        index = self.index()
        if index is None or PROJECT not in index:
            return None
        return PastFindings(index, self.rows)

    def write(self, entries: Mapping[str, ArticleRows], before: PastFindings | None = None) -> bool:
        """Make the store hold exactly `entries` (articles without findings dropped, the project row
        kept), writing only rows whose digest differs, in one transaction. `before`: a history read
        from this store, which keeps reading as it was: the rows about to change are read into it
        first (and rows it found unreadable are written again). False when the store could not be
        written (logged)."""
        stored = self.index()
        db = self._db()
        if stored is None or db is None:
            _log.warning("findings history %s not written: the next run compares with the last one "
                         "recorded", self.path)
            return False
        damaged = before.damaged if before is not None else set()
        # By digest, not by the rows: an unchanged article's rows are never read (a report part's are
        # read from its store on first use); EMPTY is the digest of no rows.
        upserts = [(article, entry.digest, json.dumps(sorted({str(r[4]) for r in entry.rows})),
                    canonical_text(entry.rows))
                   for article, entry in sorted(entries.items())
                   if (stored.get(article, ("",))[0] != entry.digest or article in damaged)
                   and (entry.digest != EMPTY or article == PROJECT)]
        deletes = [(article,) for article in sorted(stored)
                   if article != PROJECT and not (article in entries and entries[article].digest != EMPTY)]
        if before is not None:
            for article, *_ in upserts + deletes:
                before.of(article)
        try:
            with db:
                db.executemany(f"INSERT INTO {_TABLE} VALUES (?, ?, ?, ?) ON CONFLICT(article) DO UPDATE SET "
                               "digest = excluded.digest, locales = excluded.locales, rows = excluded.rows",
                               upserts)
                db.executemany(f"DELETE FROM {_TABLE} WHERE article = ?", deletes)
        except sqlite3.DatabaseError as exc:
            _log.warning("findings history %s not written: %s", self.path, exc)
            return False
        return True

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._usable = True


def load_history(settings: Settings) -> PastFindings | None:
    """The last run's findings; None on a first run. From the store, or while it has no recording
    from an older version's `qa-previous.json` (read whole, once per run until the first recording)."""
    past = HistoryStore(history_path(settings)).past()
    if past is not None:
        return past
    legacy = load_previous(legacy_path(settings))
    return PastFindings.of_mapping(legacy) if legacy is not None else None


def record(settings: Settings, scope: Iterable[tuple[str, str]], current: Mapping[str, ArticleRows],
           previous: Mapping[str, Previous] | None) -> None:
    """The history after a run that looked at the (article, locale) pairs `scope` and found
    `current` (by article): the pairs it looked at are replaced, every other pair's findings are
    kept (a project-level finding: kept unless its locale was looked at). An article whose stored
    locales were all looked at is not read at all; one with a locale left out (`medloc check
    --locale es --record`) is. Then the older version's file, if any, is deleted: the store holds it."""
    pairs = set(scope)
    locales = {locale for _, locale in pairs}
    past = PastFindings.of_mapping(previous) if previous is not None else None

    def looked_at(article: str, locale: str) -> bool:
        return (article, locale) in pairs if article else locale in locales

    entries: dict[str, ArticleRows] = {}
    for article in sorted({PROJECT, *current, *(past.articles() if past is not None else ())}):
        mine = current.get(article)
        known = past.locales(article) if past is not None else frozenset()
        if known is not None and all(looked_at(article, locale) for locale in known):
            entries[article] = mine or ArticleRows([], EMPTY)
            continue
        assert past is not None
        kept = [p.row() for p in past.of(article).values() if not looked_at(p.article, p.locale)]
        entries[article] = ArticleRows.of(kept + list(mine.rows if mine is not None else []))
    store = HistoryStore(history_path(settings))
    try:
        written = store.write(entries, past)
    finally:
        store.close()
    if written:
        legacy_path(settings).unlink(missing_ok=True)


def _digest_of(found: Mapping[str, Previous]) -> str:
    return rows_digest(p.row() for p in found.values())


__all__ = ["PROJECT", "HistoryStore", "PastFindings", "load_history", "record"]
