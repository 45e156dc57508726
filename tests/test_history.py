"""The findings history (`.medloc/qa-previous.json`): its two layouts, and damaged files."""

from __future__ import annotations

import json
from pathlib import Path

from medloc.history import FIELDS, SCHEMA, Previous, compare, load_previous, save_current

A = Previous("a" * 16, "numbers", "critical", "flu", "es", 'number "5" missing')
B = Previous("b" * 16, "", "info", "", "fr", "grammar: not checked for fr")


def test_round_trip_writes_rows_sorted_by_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "qa-previous.json"
    save_current(path, [B.row(), A.row()])
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA
    assert data["findings"][0] == [A.fingerprint, "numbers", "critical", "flu", "es", 'number "5" missing']
    assert data["findings"][1] == [B.fingerprint, "", "info", "", "fr", "grammar: not checked for fr"]
    assert load_previous(path) == {A.fingerprint: A, B.fingerprint: B}


def test_a_long_history_is_written_in_pieces_as_one_json_text(tmp_path: Path) -> None:
    path = tmp_path / "qa-previous.json"
    many = [Previous(f"{n:016x}", "numbers", "major", f"a{n % 7}", "es", f"m{n}") for n in range(12_001)]
    save_current(path, [p.row() for p in reversed(many)])
    text = path.read_text(encoding="utf-8")
    rows = sorted(p.row() for p in many)
    assert text == json.dumps({"schema": SCHEMA, "fields": list(FIELDS), "findings": rows},
                              ensure_ascii=False) + "\n"
    assert load_previous(path) == {p.fingerprint: p for p in many}


def test_a_history_written_by_an_older_medloc_is_still_read(tmp_path: Path) -> None:
    """Layout /1 (one object per finding): a project upgraded between runs keeps its new/open/fixed."""
    path = tmp_path / "qa-previous.json"
    path.write_text(json.dumps({"schema": "medloc.qa-previous/1", "findings": [A.to_dict(), B.to_dict(),
                                                                               {"fingerprint": "broken"}]}))
    assert load_previous(path) == {A.fingerprint: A, B.fingerprint: B}
    new, fixed = compare([A.fingerprint, "c" * 16], load_previous(path))
    assert new == {"c" * 16} and fixed == [B]


def test_damaged_foreign_or_missing_history_means_first_run(tmp_path: Path) -> None:
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
