"""The flow's record of processed articles (`<state_dir>/articles.json`): read, compared, written
only when it changed (an unchanged run writes nothing: no fsync in every scheduled run)."""

from __future__ import annotations

import json
from pathlib import Path

from medloc.config import load_settings
from medloc.incremental import STATE_FILE, ArticleState
from medloc.model import SourceDocument


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def test_an_unchanged_record_is_not_written_again_and_a_change_is(tmp_path: Path) -> None:
    (tmp_path / "medloc.toml").write_text("", encoding="utf-8")
    settings = load_settings(tmp_path, env={})
    document = SourceDocument(name="a.md", origin="source_articles/a.md", data=b"# A\n\nText.\n")
    state = ArticleState(settings)
    state.record(document, "a", settings, {"outputs": [], "slug": "a"})
    state.save()
    path = settings.path(settings.project.state_dir) / STATE_FILE
    first = _stamp(path)
    assert json.loads(path.read_text(encoding="utf-8"))["articles"]["a"]["origin"] == "source_articles/a.md"

    again = ArticleState(settings)  # the next run: nothing changed
    assert again.unchanged(document, "a", settings) == {"outputs": [], "slug": "a"}
    again.save()
    assert _stamp(path) == first

    edited = SourceDocument(name="a.md", origin="source_articles/a.md", data=b"# A\n\nOther text.\n")
    assert again.unchanged(edited, "a", settings) is None
    again.record(edited, "a", settings, {"outputs": [], "slug": "a"})
    again.save()
    assert _stamp(path) != first
    assert ArticleState(settings).unchanged(edited, "a", settings) is not None


def test_a_record_written_indented_by_an_older_medloc_is_read(tmp_path: Path) -> None:
    (tmp_path / "medloc.toml").write_text("", encoding="utf-8")
    settings = load_settings(tmp_path, env={})
    document = SourceDocument(name="a.md", origin="source_articles/a.md", data=b"# A\n")
    state = ArticleState(settings)
    state.record(document, "a", settings, {"outputs": []})
    state.save()
    path = settings.path(settings.project.state_dir) / STATE_FILE
    path.write_text(json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=1), encoding="utf-8")
    assert ArticleState(settings).unchanged(document, "a", settings) == {"outputs": []}
