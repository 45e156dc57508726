"""The findings history: kept per article in `.medloc/qa-history.sqlite` (medloc.historystore), read
article by article, written only where it changed; an older version's `qa-previous.json` (both of its
layouts) read until the first recording replaces it; a damaged store set aside."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from history_support import history_writes, watch_history_writes

from medloc.config import ProjectSettings, Settings
from medloc.history import (
    SCHEMA,
    Previous,
    compare,
    history_path,
    legacy_path,
    load_previous,
    rows_by_article,
)
from medloc.historystore import PastFindings, load_history, record

A = Previous("a" * 16, "numbers", "critical", "flu", "es", 'number "5" missing')
A_FR = Previous("a" * 15 + "f", "numbers", "critical", "flu", "fr", 'number "6" missing')
B = Previous("b" * 16, "", "info", "", "fr", "grammar: not checked for fr")
C = Previous("c" * 16, "terms", "major", "cold", "es", "term")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(project=ProjectSettings(state_dir=".medloc"), root=tmp_path)


def _record(settings: Settings, found: list[Previous], previous: PastFindings | None,
            pairs: set[tuple[str, str]] | None = None) -> None:
    """Record a run that looked at `pairs` (default: every article × es, fr) and found `found`."""
    scope = pairs if pairs is not None else {(a, loc) for a in ("flu", "cold") for loc in ("es", "fr")}
    record(settings, scope, rows_by_article(p.row() for p in found), previous)


def test_first_recording_then_read_back_by_article(settings: Settings) -> None:
    assert load_history(settings) is None  # nothing recorded: a first run
    _record(settings, [C, A, B], None)
    past = load_history(settings)
    assert past is not None and dict(past) == {A.fingerprint: A, B.fingerprint: B, C.fingerprint: C}
    assert past.articles() == ["", "cold", "flu"] and past.locales("flu") == frozenset({"es"})
    new, fixed = compare([A.fingerprint, "d" * 16], past)
    assert new == {"d" * 16} and fixed == [B, C]


def test_a_recorded_run_without_findings_is_not_a_first_run(settings: Settings) -> None:
    _record(settings, [], None)
    past = load_history(settings)
    assert past is not None and dict(past) == {}  # "no findings last time", not "no last time"


def test_only_the_articles_whose_findings_changed_are_written(settings: Settings) -> None:
    _record(settings, [A, B, C], None)
    watch_history_writes(settings)
    _record(settings, [A, B, C], load_history(settings))
    assert history_writes(settings) == []  # the same findings: nothing written
    changed = Previous("e" * 16, "numbers", "critical", "flu", "fr", "new one")
    _record(settings, [A, B, C, changed], load_history(settings))
    assert history_writes(settings) == [("UPDATE", "flu")]
    _record(settings, [A, B, changed], load_history(settings))  # cold's finding fixed: its row goes
    assert history_writes(settings)[1:] == [("DELETE", "cold")]
    assert dict(load_history(settings) or {}) == {p.fingerprint: p for p in (A, B, changed)}


def test_reading_one_article_parses_only_its_rows(settings: Settings) -> None:
    _record(settings, [A, A_FR, B, C], None)
    past = load_history(settings)
    assert past is not None and past.rows_parsed == 0  # the index alone: digests and locales
    assert past.digest("flu") == rows_by_article([A.row(), A_FR.row()])["flu"].digest
    assert dict(past.of("cold")) == {C.fingerprint: C}
    assert past.rows_parsed == 1
    assert len(past) == 4 and past.rows_parsed == 4  # as a Mapping: everything, once


def test_the_history_read_before_a_recording_still_reads_as_it_was(settings: Settings) -> None:
    """The flow records before it writes the reports; its fallback (the whole report) compares with
    the history it read before recording, so that object must not see the new rows."""
    _record(settings, [A, B, C], None)
    past = load_history(settings)
    assert past is not None
    changed = Previous("e" * 16, "numbers", "critical", "cold", "es", "new one")
    _record(settings, [A, B, changed], past)
    assert dict(past) == {p.fingerprint: p for p in (A, B, C)}
    assert dict(load_history(settings) or {}) == {p.fingerprint: p for p in (A, B, changed)}


def test_pairs_not_looked_at_are_kept(settings: Settings) -> None:
    """`medloc check --locale es --record`: the French findings (and the project's French one) stay."""
    _record(settings, [A, A_FR, B, C], None)
    _record(settings, [C], load_history(settings), {("flu", "es"), ("cold", "es")})
    assert dict(load_history(settings) or {}) == {p.fingerprint: p for p in (A_FR, B, C)}


def test_an_older_versions_file_is_read_then_replaced_by_the_first_recording(settings: Settings) -> None:
    old = legacy_path(settings)
    old.parent.mkdir(parents=True)
    old.write_text(json.dumps({"schema": SCHEMA, "fields": ["fingerprint", "check", "severity", "article",
                                                            "locale", "message"],
                               "findings": [list(A.row()), list(B.row()), list(C.row())]}))
    past = load_history(settings)
    assert past is not None and dict(past) == {p.fingerprint: p for p in (A, B, C)}
    new, fixed = compare([A.fingerprint], past)
    assert not new and fixed == [B, C]
    _record(settings, [A], past)
    assert not old.exists()  # the store holds it now: a damaged store later cannot bring it back
    assert dict(load_history(settings) or {}) == {A.fingerprint: A}


def test_layout_1_of_the_older_file_is_still_read(settings: Settings) -> None:
    """One object per finding: a project upgraded between runs keeps its new/open/fixed."""
    old = legacy_path(settings)
    old.parent.mkdir(parents=True)
    old.write_text(json.dumps({"schema": "medloc.qa-previous/1", "findings": [A.to_dict(), B.to_dict(),
                                                                              {"fingerprint": "broken"}]}))
    assert dict(load_history(settings) or {}) == {A.fingerprint: A, B.fingerprint: B}
    new, fixed = compare([A.fingerprint, "c" * 16], load_previous(old))
    assert new == {"c" * 16} and fixed == [B]


def test_damaged_foreign_or_missing_older_file_means_first_run(tmp_path: Path) -> None:
    path = tmp_path / "qa-previous.json"
    assert load_previous(path) is None
    path.write_text('{"schema": "medloc.qa-previous/2", "findings": [[1, 2')
    assert load_previous(path) is None
    path.write_text(json.dumps({"schema": "something/9", "findings": []}))
    assert load_previous(path) is None
    path.write_text(json.dumps({"schema": SCHEMA, "fields": ["fingerprint", "check", "severity", "article",
                                                             "locale", "message"],
                                "findings": [[A.fingerprint, "x"], list(A.to_dict().values())]}))
    assert load_previous(path) == {A.fingerprint: A}  # a short row is skipped, not a crash


def test_a_damaged_store_is_set_aside_and_the_next_run_is_the_baseline(settings: Settings) -> None:
    _record(settings, [A, B, C], None)
    store = history_path(settings)
    garbage = b"\x00not an SQLite database\xff" * 64
    store.write_bytes(garbage)
    assert load_history(settings) is None  # baseline: nothing new, nothing fixed
    assert store.with_name(store.name + ".damaged").read_bytes() == garbage
    _record(settings, [A], None)
    assert dict(load_history(settings) or {}) == {A.fingerprint: A}


def test_a_damaged_row_costs_that_article_only(settings: Settings) -> None:
    _record(settings, [A, B, C], None)
    db = sqlite3.connect(history_path(settings))
    with db:
        db.execute("UPDATE history_1 SET rows = '[[\"trunc' WHERE article = 'cold'")
    db.close()
    past = load_history(settings)
    assert past is not None and dict(past) == {A.fingerprint: A, B.fingerprint: B}
    assert past.damaged == {"cold"}
    _record(settings, [C], past, {("cold", "es")})  # cold: written again although its digest is the same
    assert dict(load_history(settings) or {}) == {p.fingerprint: p for p in (A, B, C)}
    db = sqlite3.connect(history_path(settings))
    with db:
        db.execute("UPDATE history_1 SET locales = 'garbage' WHERE article = 'flu'")
    db.close()
    _record(settings, [C], load_history(settings), {("cold", "es")})  # flu's locales unknown: its rows read
    assert dict(load_history(settings) or {}) == {p.fingerprint: p for p in (A, B, C)}
