"""Helpers for the catalog tests: articles built from paragraph lists, a project in tmp_path, msgfmt."""

from __future__ import annotations

import subprocess
from pathlib import Path

from medloc.config import Settings, load_settings
from medloc.model import Article, BlockKind, Segment


def make_article(
    slug: str, paragraphs: list[str], *, title: str | None = None, path: str | None = None
) -> Article:
    """An article whose first block is a heading (the title) and the rest paragraphs, one per line."""
    blocks: list[tuple[BlockKind, str]] = []
    if title is not None:
        blocks.append((BlockKind.HEADING, title))
    blocks += [(BlockKind.PARAGRAPH, p) for p in paragraphs]
    text = "\n\n".join(t for _, t in blocks)
    segments = []
    offset = 0
    for i, (kind, t) in enumerate(blocks):
        segments.append(
            Segment(
                i, kind, t, 1 + 2 * i, "h1" if kind is BlockKind.HEADING else "p", offset, offset + len(t)
            )
        )
        offset += len(t) + 2
    return Article(
        slug=slug,
        path=path or f"source_articles/{slug}.txt",
        format="text",
        text=text,
        segments=tuple(segments),
        title=title or "",
    )


def make_project(root: Path, locales: list[str] | None = None, **catalog: object) -> Settings:
    lines = [
        "[project]",
        f"locales = {locales or ['es', 'fr', 'de', 'zh_CN']!r}".replace("'", '"'),
        "[catalog]",
    ]
    for key, value in catalog.items():
        lines.append(f"{key} = {str(value).lower() if isinstance(value, bool) else repr(value)}")
    (root / "medloc.toml").write_text("\n".join(lines) + "\n")
    return load_settings(root, env={})


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    """`msgfmt -c` the file; returns the completed process (stderr has the messages)."""
    return subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
