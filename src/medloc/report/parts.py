"""Per-article parts of the project report, kept between runs so one edit re-renders one article.

Why: a 1,000-article project has ~100,000 findings; rebuilding the project report from all of them
on every run that changed one article took ~17 s and ~1.5 GB (every stored finding parsed, scored and
rendered into 250 MB of JSON, HTML and JUnit). A part holds what the report needs of one article —
its rows (scores and decisions), its findings' tally, what the history records of them, what was
fixed, its glossary fixes, and its findings already rendered for each format — under a key over
everything that went into it. Unchanged parts are reused as they are; the report is their sum and
the reports are written by streaming the stored fragments, so memory stays flat.

Where: `<state_dir>/report-parts.sqlite` (one row per article). It is a cache: deleting it costs one
full rebuild, a damaged file is set aside and rebuilt, and an unusable one means parts are kept in
memory for the run only — it can never fail a run.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medloc.cachedb import open_cache
from medloc.history import Previous, rows_digest
from medloc.report.html import findings_fragment
from medloc.report.junit import suites_fragment
from medloc.report.model import Report, Tally
from medloc.report.render import findings_json
from medloc.scoring import Score

FILENAME = "report-parts.sqlite"
FORMATS = ("json", "html", "junit")  # the formats that list every finding
LOCK_TIMEOUT = 30.0  # seconds a write waits for another process's (a second run is refused by the lock)
TABLE = "parts_2"  # parts_2: the findings' history rows in a column of their own (read when needed)
_SCHEMA = ("DROP TABLE IF EXISTS parts;"  # the first layout: its parts are rebuilt once
           f"CREATE TABLE IF NOT EXISTS {TABLE} (slug TEXT PRIMARY KEY, key TEXT NOT NULL, "
           "meta TEXT NOT NULL, history TEXT NOT NULL, json TEXT NOT NULL, html TEXT NOT NULL, "
           "junit TEXT NOT NULL)")
_log = logging.getLogger(__name__)


@dataclass
class ArticlePart:
    """One article's share of the project report (see the module docstring)."""

    slug: str
    key: str
    record: dict[str, Any]  # what the run needs before building parts: see medloc.projectreport
    rows: list[Score] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    # Its findings as `Previous.row()`; for a stored part, read from the store when first used: a run
    # needs the rows of rebuilt parts and of those whose history changed, their digest for the rest.
    history: Sequence[Sequence[str]] = field(default_factory=list)
    fixed: list[Previous] = field(default_factory=list)
    glossary_fixes: list[dict[str, Any]] = field(default_factory=list)
    locales: list[str] = field(default_factory=list)
    fragments: dict[str, str] = field(default_factory=dict)  # format -> rendered findings
    comparison: str = ""  # what its statuses read of the last run (medloc.projectreport._comparison)
    history_digest: str = ""  # `rows_digest(history)`: compared with the stored history's, per run

    @classmethod
    def of(cls, report: Report, slug: str, key: str, record: dict[str, Any]) -> ArticlePart:
        """The part of a report made of one article's findings and rows."""
        history: list[Sequence[str]] = [
            (r.fingerprint, r.finding.check, r.finding.severity.value, r.finding.article, r.finding.locale,
             r.finding.message) for r in report.findings]
        return cls(
            slug, key, record, list(report.rows), report.totals(), history,
            list(report.fixed), list(report.glossary_fixes), list(report.locales),
            {"json": findings_json(report.findings), "html": findings_fragment(report.findings),
             "junit": suites_fragment(report.rows, report.findings, report.fail_on)},
            history_digest=rows_digest(history),
        )

    def meta(self) -> str:
        return json.dumps({
            "record": self.record, "rows": [dataclasses.asdict(s) for s in self.rows],
            "tally": self.tally.to_dict(),
            "fixed": [p.row() for p in self.fixed], "glossary_fixes": self.glossary_fixes,
            "locales": self.locales, "comparison": self.comparison, "history_digest": self.history_digest,
        }, ensure_ascii=False)

    @classmethod
    def from_meta(cls, slug: str, key: str, text: str, history: Sequence[Sequence[str]]) -> ArticlePart:
        """A stored part; `history`: its rows, or a `StoredRows` that reads them when first used."""
        data = json.loads(text)
        return cls(
            slug, key, data["record"], [Score(**row) for row in data["rows"]], Tally.from_dict(data["tally"]),
            history, [Previous(*p) for p in data["fixed"]],
            list(data["glossary_fixes"]), list(data["locales"]), comparison=str(data["comparison"]),
            history_digest=str(data["history_digest"]),  # a part stored without it (older code): rebuilt
        )


class StoredRows(Sequence[Sequence[str]]):
    """A stored part's history rows, read from the store on first use. Why: they are half of what
    a part keeps (13 of 24 MB on the 1,000-article benchmark), and a run that changed one article
    needs only that article's; parsing them all cost ~0.2 s of every such run."""

    def __init__(self, store: PartStore, slug: str) -> None:
        self._store, self._slug = store, slug
        self._rows: list[Sequence[str]] | None = None

    def _loaded(self) -> list[Sequence[str]]:
        if self._rows is None:
            self._rows = self._store.history_rows(self._slug)
        return self._rows

    def __getitem__(self, index: Any) -> Any:
        return self._loaded()[index]

    def __len__(self) -> int:
        return len(self._loaded())

    def __iter__(self) -> Iterator[Sequence[str]]:
        return iter(self._loaded())


class PartStore:
    """Parts by article slug in SQLite; `path=None` (or an unusable file) keeps them in memory."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._memory: dict[str, ArticlePart] = {}
        self._writable = True
        self._closed = False  # closed by `close` (not unusable): `_column` may open it again
        self._connection = self._open() if path is not None else None

    def _open(self) -> sqlite3.Connection | None:
        assert self.path is not None
        return open_cache(self.path, _SCHEMA, f"SELECT count(*) FROM {TABLE} WHERE slug = ''", "report parts",
                          timeout=LOCK_TIMEOUT)

    def known(self) -> dict[str, ArticlePart]:
        """Every stored part, without its fragments (those are streamed when the reports are written)."""
        if self._connection is None:
            return dict(self._memory)
        parts: dict[str, ArticlePart] = {}
        try:
            for slug, key, meta in self._connection.execute(f"SELECT slug, key, meta FROM {TABLE}"):
                try:
                    parts[slug] = ArticlePart.from_meta(slug, key, meta, StoredRows(self, slug))
                except (ValueError, KeyError, TypeError):
                    continue  # an unreadable part is rebuilt
        except sqlite3.DatabaseError as exc:
            _log.warning("report parts %s not read: %s", self.path, exc)
        return parts

    def save(self, parts: Iterable[ArticlePart]) -> None:
        """Store new or rebuilt parts (callers save as they build, so fragments do not pile up)."""
        fresh = list(parts)
        if self._connection is not None and self._writable:
            try:
                with self._connection:
                    self._connection.executemany(
                        f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [(p.slug, p.key, p.meta(), json.dumps(list(p.history), ensure_ascii=False),
                          p.fragments["json"], p.fragments["html"], p.fragments["junit"]) for p in fresh])
                return
            except sqlite3.DatabaseError as exc:
                # Locked past the timeout, disk full: stop writing (each try would wait again), keep
                # reading the parts stored before, and hold this run's new ones in memory.
                _log.warning("report parts %s not saved, kept in memory for this run: %s", self.path, exc)
                self._writable = False
        self._memory.update((p.slug, p) for p in fresh)

    def retain(self, slugs: Iterable[str]) -> None:
        """Forget the parts of articles that are gone."""
        wanted = set(slugs)
        self._memory = {s: p for s, p in self._memory.items() if s in wanted}
        if self._connection is None or not self._writable:
            return
        try:
            with self._connection:
                stored = self._connection.execute(f"SELECT slug FROM {TABLE}").fetchall()
                gone = [(s,) for (s,) in stored if s not in wanted]
                self._connection.executemany(f"DELETE FROM {TABLE} WHERE slug = ?", gone)
        except sqlite3.DatabaseError as exc:
            _log.warning("report parts %s not pruned: %s", self.path, exc)

    def fragments(self, fmt: str, slugs: Iterable[str]) -> Iterator[str]:
        """The rendered findings of `fmt` for `slugs`, in that order, one article at a time."""
        if fmt not in FORMATS:
            raise ValueError(f"no fragments for {fmt!r}")
        for slug in slugs:
            part = self._memory.get(slug)
            if part is not None and part.fragments:
                yield part.fragments[fmt]
                continue
            yield self._column(fmt, slug)

    def history_rows(self, slug: str) -> list[Sequence[str]]:
        """A stored part's history rows. Its digest was read with the part (`known`), so rows that
        cannot be read now (the store locked or damaged since) are an error, never a silent empty
        history: `LookupError`, as for a missing fragment."""
        part = self._memory.get(slug)
        if part is not None:
            return list(part.history)
        try:
            rows = json.loads(self._column("history", slug))
        except ValueError as exc:
            raise LookupError(f"report part history for {slug!r} not readable: {exc}") from exc
        if not isinstance(rows, list):
            raise LookupError(f"no stored report part history for {slug!r}")
        return [tuple(map(str, r)) for r in rows]

    def _column(self, column: str, slug: str) -> str:
        """One column of a stored part; `LookupError` when it cannot be read. After `close` (the
        report written, its history recorded later) the file is opened for this read alone."""
        connection = self._connection
        if connection is None and self._closed and self.path is not None:
            connection = self._open()
        if connection is None:
            raise LookupError(f"no stored report part for {slug!r}")
        try:
            row = connection.execute(f"SELECT {column} FROM {TABLE} WHERE slug = ?", (slug,)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise LookupError(f"report part for {slug!r} not readable: {exc}") from exc
        finally:
            if connection is not self._connection:
                connection.close()
        if row is None:
            raise LookupError(f"no stored report part for {slug!r}")
        return str(row[0])

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
            self._closed = True
