"""The findings history store as SQLite itself sees it: its rows, and a log of the rows written
(triggers), so tests assert what a run read and wrote without going through medloc's own reader."""

from __future__ import annotations

import sqlite3

from medloc.config import Settings
from medloc.history import history_path

TABLE = "history_1"  # medloc.historystore's table


def history_rows(settings: Settings) -> dict[str, tuple[str, str]]:
    """The store's entries: article -> (digest, rows as stored)."""
    db = sqlite3.connect(history_path(settings))
    try:
        return {a: (d, r) for a, d, r in db.execute(f"SELECT article, digest, rows FROM {TABLE}")}
    finally:
        db.close()


def watch_history_writes(settings: Settings) -> None:
    """Triggers in the store that log each row inserted, updated or deleted from now on."""
    db = sqlite3.connect(history_path(settings))
    with db:
        db.execute("CREATE TABLE writes (op TEXT, article TEXT)")
        for op, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")):
            db.execute(f"CREATE TRIGGER log_{op.lower()} AFTER {op} ON {TABLE} "
                       f"BEGIN INSERT INTO writes VALUES ('{op}', {row}.article); END")
    db.close()


def history_writes(settings: Settings) -> list[tuple[str, str]]:
    """What was written since `watch_history_writes`: (operation, article) per row, in order."""
    db = sqlite3.connect(history_path(settings))
    try:
        return list(db.execute("SELECT op, article FROM writes ORDER BY rowid"))
    finally:
        db.close()
