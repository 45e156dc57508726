"""`medloc extract FILE [--json]`: what an editor sees, and clear errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from medloc.cli import main
from paths import REPO

SEED_HTML = REPO / "source_articles" / "menopause-muscle-twitching.html"
MEDLOC = REPO / ".venv" / "bin" / "medloc"


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["extract", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_of_the_seed_page(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    payload = run_json(capsys, str(SEED_HTML), "--project", str(tmp_path))
    assert payload["slug"] == "menopause-muscle-twitching"
    assert payload["format"] == "html"
    assert payload["path"] == str(SEED_HTML)
    assert payload["title"] == "Reasons for menopausal muscle twitching | Women's Health Matters"
    segments = payload["segments"]
    assert [s["index"] for s in segments] == list(range(len(segments)))
    assert set(segments[0]) == {"index", "kind", "line", "element", "text"}
    headings = [s["text"] for s in segments if s["kind"] == "heading"]
    assert headings == [
        "Reasons for menopausal muscle twitching",
        "1. Fluctuations in hormone levels",
        "2. Autonomic dysfunction",
        "3. Calcium deficiency",
        "4. Psychological factors",
        "5. Drug side effects",
    ]
    assert sum(s["kind"] == "paragraph" for s in segments) == 6
    assert not any("Comments" in s["text"] or "Subscribe" in s["text"] for s in segments)


def test_json_keeps_non_ascii_and_markup(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    page = tmp_path / "dosis.html"
    page.write_text(
        "<article><h1>Dosis m&aacute;xima</h1><p>Tome <strong>una</strong> al día.</p></article>",
        encoding="utf-8",
    )
    payload = run_json(capsys, str(page), "-p", str(tmp_path))
    assert [(s["kind"], s["text"], s["line"], s["element"]) for s in payload["segments"]] == [
        ("heading", "Dosis máxima", 1, "h1"),
        ("paragraph", "Tome <strong>una</strong> al día.", 1, "p"),
    ]


def test_markdown_and_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    md = tmp_path / "note.md"
    md.write_text("---\ntitle: A note\nslug: my-note\n---\n\n- one item\n", encoding="utf-8")
    payload = run_json(capsys, str(md), "-p", str(tmp_path))
    assert payload["slug"] == "my-note" and payload["format"] == "markdown"
    assert [(s["kind"], s["text"]) for s in payload["segments"]] == [
        ("title", "A note"),
        ("list-item", "one item"),
    ]
    txt = tmp_path / "plain.txt"
    txt.write_text("Title\n\n1. Heading\n\nBody.\n", encoding="utf-8")
    payload = run_json(capsys, str(txt), "-p", str(tmp_path))
    assert [s["kind"] for s in payload["segments"]] == ["title", "heading", "paragraph"]


def test_table_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["extract", str(SEED_HTML), "-p", str(tmp_path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{SEED_HTML}: slug menopause-muscle-twitching, html, ")
    assert any("heading" in line and "3. Calcium deficiency" in line for line in out)


@pytest.mark.parametrize(
    ("name", "data", "needle"),
    [
        ("cp1252.html", "<p>Caf\u00e9 con leche.</p>".encode("cp1252"), "0xe9"),
        ("empty.txt", b"", "empty"),
        ("nobody.html", b"<html><head><title>x</title></head></html>", "no article text"),
        ("Bad Name.html", b"<p>Some words.</p>", "invalid slug"),
        ("file.pdf", b"%PDF", "unsupported file type"),
    ],
)
def test_bad_file_exit_2_names_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, data: bytes, needle: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["extract", str(path), "--json", "-p", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"medloc: error: {path}")
    assert needle in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("kind", ["missing", "directory", "dangling-link"])
def test_unreadable_file_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.html"
    if kind == "directory":
        path.mkdir()
    elif kind == "dangling-link":
        path.symlink_to(tmp_path / "nowhere.html")
    assert main(["extract", str(path), "-p", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: cannot read" in err


def test_size_limit_from_project_settings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "medloc.toml").write_text("[project]\nmax_file_bytes = 100\n", encoding="utf-8")
    assert main(["extract", str(SEED_HTML), "-p", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(SEED_HTML) in err and "max_file_bytes" in err


def test_bad_project_settings_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    toml = tmp_path / "medloc.toml"
    toml.write_text("[project]\nmax_file_byte = 100\n", encoding="utf-8")
    assert main(["extract", str(SEED_HTML), "-p", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(toml) in err and "project.max_file_byte" in err


def test_console_script(tmp_path: Path) -> None:
    good = subprocess.run(
        [str(MEDLOC), "extract", str(SEED_HTML), "--json", "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["slug"] == "menopause-muscle-twitching"
    bad_file = tmp_path / "bad.txt"
    bad_file.write_bytes("Title\n\nna\u00efve\n".encode("cp1252"))
    bad = subprocess.run(
        [str(MEDLOC), "extract", str(bad_file), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 2
    assert f"{bad_file}:3:" in bad.stderr
    assert bad.stdout == ""
