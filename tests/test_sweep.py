"""A run that was killed between writing a temporary file and renaming it leaves debris; the next
run (holding the project lock) removes it, and nothing else."""

from __future__ import annotations

from pathlib import Path

from medloc.fsutil import atomic_write_text, sweep_temporary_files


def test_sweep_removes_only_our_temporary_files(tmp_path: Path) -> None:
    locales = tmp_path / "locales" / "es"
    locales.mkdir(parents=True)
    debris = locales / ".aspirin.po.k3j_9xQz.tmp"
    debris.write_text("half a file")
    keep = [locales / "aspirin.po", locales / ".hidden-notes.tmp", locales / "draft.tmp"]
    for path in keep:
        path.write_text("translator's file")
    atomic_write_text(locales / "calcium.po", 'msgid ""\nmsgstr ""\n')
    removed = sweep_temporary_files([tmp_path / "locales", tmp_path / "missing"])
    assert removed == [debris]
    assert all(p.read_text() == "translator's file" for p in keep)
    assert (locales / "calcium.po").is_file()
    assert sorted(p.name for p in locales.iterdir()) == sorted(
        [p.name for p in keep] + ["calcium.po"]
    )
