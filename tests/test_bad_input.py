"""Bad input: each case is a clear MedlocError naming the file; one bad article never stops the others."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from medloc.config import Settings, load_settings
from medloc.extract import extract_article, rebuild
from medloc.model import BlockKind, MedlocError, SourceDocument
from medloc.pipeline import process_document
from medloc.sources.folder import scan_folder

GOOD_HTML = (
    "<html><body><article><h1>Calcium</h1><p>Calcium keeps bones strong.</p></article></body></html>\n"
)
SPANISH = "<html><body><article><h1>Café</h1><p>El azúcar y la niña, mañana.</p></article></body></html>\n"


def fails(name: str, data: bytes, settings: Settings | None = None, **kwargs: object) -> MedlocError:
    origin = f"source_articles/{name}"
    with pytest.raises(MedlocError) as info:
        extract_article(name, data, settings or Settings(), origin=origin, **kwargs)  # type: ignore[arg-type]
    error = info.value
    assert error.path == origin
    assert str(error).startswith(origin)
    return error


def texts(name: str, data: bytes, **kwargs: object) -> list[str]:
    article = extract_article(name, data, Settings(), **kwargs)  # type: ignore[arg-type]
    return [s.text for s in article.segments]


def settings_with(root: Path, toml: str) -> Settings:
    (root / "medloc.toml").write_text(toml, encoding="utf-8")
    return load_settings(root, env={})


# --------------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bad.html", "bad.md", "bad.txt"])
def test_undeclared_cp1252_names_file_and_line(name: str) -> None:
    data = "Caf\u00e9 title\n\nFirst line is ASCII.\nSecond: az\u00facar y ni\u00f1a.\n".encode("cp1252")
    if name.endswith(".html"):
        data = b"<html><body>\n" + data.replace(b"\n\n", b"\n") + b"</body></html>"
    error = fails(name, data)
    assert error.line == 2 if name.endswith(".html") else error.line == 1
    assert "0xe9" in str(error)
    assert "UTF-8" in str(error)


def test_undeclared_cp1252_error_points_at_the_first_bad_line() -> None:
    data = "Plain title\n\nplain paragraph\n\nsecond plain\n\nfifth line has \u2019 a curly quote\n".encode(
        "cp1252"
    )
    error = fails("quote.txt", data)
    assert error.line == 7
    assert str(error).startswith("source_articles/quote.txt:7: ")
    assert "0x92" in str(error)


def test_declared_cp1252_is_decoded() -> None:
    meta = SPANISH.replace("<html><body>", '<html><head><meta charset="windows-1252"></head><body>')
    assert texts("ok.html", meta.encode("cp1252")) == ["Café", "El azúcar y la niña, mañana."]
    http_equiv = SPANISH.replace(
        "<html><body>",
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>',
    )
    assert texts("ok.html", http_equiv.encode("latin-1")) == ["Café", "El azúcar y la niña, mañana."]
    assert texts("ok.html", SPANISH.encode("cp1252"), charset="cp1252") == [
        "Café",
        "El azúcar y la niña, mañana.",
    ]


def test_declared_encoding_that_does_not_match_the_bytes() -> None:
    page = SPANISH.replace("<html><body>", '<html><head><meta charset="utf-8"></head><body>')
    error = fails("liar.html", page.encode("cp1252"))
    assert "utf-8" in str(error).lower()
    assert error.line == 1


def test_unknown_declared_encoding() -> None:
    page = SPANISH.replace("<html><body>", '<html><head><meta charset="klingon-8"></head><body>')
    error = fails("odd.html", page.encode("utf-8"))
    assert "klingon-8" in str(error)


@pytest.mark.parametrize("codec", ["uu", "base64", "zlib", "rot13", "hex"])
def test_a_codec_that_is_no_text_encoding_is_a_clear_error(codec: str) -> None:
    """Python's codec registry knows these names (bytes to bytes); as a charset they made
    `bytes.decode` raise LookupError, which stopped the run (found by the extraction fuzz campaign)."""
    page = SPANISH.replace("<html><body>", f'<html>\n<head>\n<meta charset="{codec}"></head><body>')
    error = fails("odd.html", page.encode("utf-8"))
    assert f"{codec!r} declared by <meta charset> is not a text encoding" in str(error)
    assert error.line == 3 and error.path and error.path.endswith("odd.html")
    http = fails("remote.html", SPANISH.encode("utf-8"), charset=codec)
    assert "declared by HTTP Content-Type is not a text encoding" in str(http)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8"])
def test_bom_is_an_explicit_declaration(codec: str) -> None:
    bom = {
        "utf-16": b"",
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-8": codecs.BOM_UTF8,
    }[codec]
    data = bom + SPANISH.encode(codec)
    article = extract_article("bom.html", data, Settings())
    assert article.text == SPANISH  # decoded, without the BOM
    assert [s.text for s in article.segments] == ["Café", "El azúcar y la niña, mañana."]
    assert rebuild(article, {}, None) == SPANISH


def test_utf16_bom_markdown_and_text() -> None:
    md = "---\ntitle: Título\n---\n\n# Azúcar\n\nLa niña.\n"
    assert texts("bom.md", md.encode("utf-16")) == ["Título", "Azúcar", "La niña."]
    txt = "Título\n\nLa niña come azúcar.\n"
    assert texts("bom.txt", txt.encode("utf-16")) == ["Título", "La niña come azúcar."]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_an_error(codec: str) -> None:
    error = fails("nobom.html", SPANISH.encode(codec))
    assert "byte-order mark" in str(error)


# --------------------------------------------------------------------------------------------
# Empty articles and pages without text
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.html", "empty.md", "empty.txt"])
@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t \r\n  \n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n \n"],
    ids=["empty", "whitespace", "bom-only", "bom-whitespace"],
)
def test_empty_and_whitespace_only(name: str, data: bytes) -> None:
    error = fails(name, data)
    assert "empty" in str(error)


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>Only a title here</title></head></html>",
        '<html><head><title>Title</title><meta name="description" content="Only metadata here"></head>'
        "<body></body></html>",
        "<html><body>   </body></html>",
        "<html><body><script>var words = 'not content';</script><style>p{}</style></body></html>",
        '<html><body><nav><a href="/">Home page</a> <a href="/x">Other page</a></nav>'
        "<footer><p>Copyright notice of the site</p></footer></body></html>",
        "<!-- just a comment with words -->",
    ],
    ids=["head-only", "metas-only", "blank-body", "script-style", "chrome-only", "comment"],
)
def test_html_without_article_text(page: str) -> None:
    error = fails("nobody.html", page.encode())
    assert "no article text" in str(error)


def test_text_with_only_chrome_is_empty() -> None:
    # A title followed only by site chrome: nothing to translate.
    fails("chrome.txt", b"Comments (0)\n\nLeave a Comment\n")


# --------------------------------------------------------------------------------------------
# Size limit
# --------------------------------------------------------------------------------------------


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, "[project]\nmax_file_bytes = 200\n")
    page = GOOD_HTML.encode()
    padded = page + b" " * (201 - len(page))
    error = fails("big.html", padded, settings)
    assert "200" in str(error) and "max_file_bytes" in str(error)
    exact = page + b" " * (200 - len(page))
    assert len(extract_article("big.html", exact, settings).segments) == 2  # at the limit is fine


def test_default_size_limit_is_5_mb() -> None:
    big = GOOD_HTML.encode() + b"<!--" + b"x" * 5_000_000 + b"-->"
    error = fails("huge.html", big)
    assert "5,000,000" in str(error)


# --------------------------------------------------------------------------------------------
# Slugs and file types
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "My File.html",
        "Guide.html",
        "calcium_guide.txt",
        "über.md",
        "-dash.html",
        "a.b.html",
        "x" * 121 + ".html",
    ],
)
def test_bad_file_name_slug(name: str) -> None:
    data = GOOD_HTML.encode() if name.endswith(".html") else b"Title\n\nBody text.\n"
    error = fails(name, data)
    assert "invalid slug" in str(error)
    assert "file name" in str(error)


@pytest.mark.parametrize("slug", ["../x", "../../etc/passwd", "a/b", "/abs", "Upper", "x.y"])
def test_bad_slug_from_front_matter(slug: str) -> None:
    data = f"---\nslug: {slug}\n---\n\n# Heading\n\nBody text.\n".encode()
    error = fails("fine-name.md", data)
    assert "invalid slug" in str(error) and "front matter" in str(error)


def test_bad_slug_given_by_a_source() -> None:
    error = fails("page.html", GOOD_HTML.encode(), slug="../escape")
    assert "invalid slug" in str(error)


def test_good_slugs() -> None:
    assert extract_article("a1-b2.html", GOOD_HTML.encode(), Settings()).slug == "a1-b2"
    assert extract_article("x.html", GOOD_HTML.encode(), Settings(), slug="from-source").slug == "from-source"


def test_bad_front_matter_slug_never_becomes_a_path(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, env={})
    data = b"---\nslug: ../../escaped\n---\n\n# Heading\n\nBody text.\n"
    result = process_document(
        SourceDocument(name="fine.md", origin="source_articles/fine.md", data=data), settings
    )
    assert not result.ok
    assert result.error is not None and "invalid slug" in result.error
    assert result.outputs == []
    assert list(tmp_path.parent.glob("escaped*")) == [] and list(tmp_path.rglob("escaped*")) == []


def test_unsupported_file_type() -> None:
    error = fails("article.pdf", b"%PDF-1.4 words")
    assert ".pdf" in str(error)


# --------------------------------------------------------------------------------------------
# Unreadable files in the source folder, and one bad article among good ones
# --------------------------------------------------------------------------------------------


def make_project(root: Path, toml: str = "") -> Path:
    folder = root / "source_articles"
    folder.mkdir()
    if toml:
        (root / "medloc.toml").write_text(toml, encoding="utf-8")
    return folder


def scan(root: Path):
    return scan_folder(load_settings(root, env={}))


def test_dangling_symlink_is_reported_by_name(tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    (folder / "good.html").write_text(GOOD_HTML, encoding="utf-8")
    (folder / "gone.html").symlink_to(tmp_path / "does-not-exist.html")
    result = scan(tmp_path)
    assert [d.origin for d in result.documents] == ["source_articles/good.html"]
    assert [e.path for e in result.errors] == ["source_articles/gone.html"]
    assert "cannot read" in str(result.errors[0])


def test_symlink_loop_is_reported_not_raised(tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    (folder / "good.html").write_text(GOOD_HTML, encoding="utf-8")
    (folder / "loop-a.html").symlink_to(folder / "loop-b.html")
    (folder / "loop-b.html").symlink_to(folder / "loop-a.html")
    result = scan(tmp_path)  # must not raise: one bad file never stops the others
    assert [d.origin for d in result.documents] == ["source_articles/good.html"]
    assert sorted(e.path or "" for e in result.errors) == [
        "source_articles/loop-a.html",
        "source_articles/loop-b.html",
    ]


def test_symlink_escaping_the_folder_is_refused(tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("Secret title\n\nSecret body.\n", encoding="utf-8")
    (folder / "leak.txt").symlink_to(secret)
    (folder / "inside.txt").symlink_to(folder / "real.txt")
    (folder / "real.txt").write_text("Real title\n\nReal body.\n", encoding="utf-8")
    result = scan(tmp_path)
    assert [d.origin for d in result.documents] == ["source_articles/inside.txt", "source_articles/real.txt"]
    assert [e.path for e in result.errors] == ["source_articles/leak.txt"]
    assert "outside the source folder" in str(result.errors[0])
    assert not any(b"Secret" in d.data for d in result.documents)


def test_directory_named_like_an_article_is_not_read(tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    (folder / "x.html").mkdir()
    (folder / "x.html" / "inner.html").write_text(GOOD_HTML, encoding="utf-8")
    result = scan(tmp_path)
    assert [d.origin for d in result.documents] == ["source_articles/x.html/inner.html"]
    assert result.errors == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_chmod_000_is_reported(tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    locked = folder / "locked.html"
    locked.write_text(GOOD_HTML, encoding="utf-8")
    locked.chmod(0)
    try:
        result = scan(tmp_path)
    finally:
        locked.chmod(0o644)
    assert [e.path for e in result.errors] == ["source_articles/locked.html"]


def test_oversized_file_reported_by_scan(tmp_path: Path) -> None:
    folder = make_project(tmp_path, "[project]\nmax_file_bytes = 300\n")
    (folder / "small.html").write_text(GOOD_HTML, encoding="utf-8")
    (folder / "big.html").write_text(GOOD_HTML + "<!--" + "x" * 400 + "-->", encoding="utf-8")
    result = scan(tmp_path)
    assert [d.origin for d in result.documents] == ["source_articles/small.html"]
    assert [e.path for e in result.errors] == ["source_articles/big.html"]
    assert "max_file_bytes" in str(result.errors[0])


def test_missing_source_folder(tmp_path: Path) -> None:
    result = scan(tmp_path)
    assert result.documents == []
    assert len(result.errors) == 1 and "does not exist" in str(result.errors[0])


def test_one_bad_article_among_good_ones(tmp_path: Path) -> None:
    folder = make_project(tmp_path)
    (folder / "good-page.html").write_text(GOOD_HTML, encoding="utf-8")
    (folder / "good-note.md").write_text("---\ntitle: Note\n---\n\n# Note\n\nA note.\n", encoding="utf-8")
    (folder / "good-text.txt").write_text("Title\n\n1. Heading\n\nBody.\n", encoding="utf-8")
    (folder / "bad-cp1252.txt").write_bytes("Title\n\nCaf\u00e9\n".encode("cp1252"))
    (folder / "empty.html").write_bytes(b"")
    (folder / "Bad Name.html").write_text(GOOD_HTML, encoding="utf-8")
    (folder / "nobody.html").write_text("<html><head><title>T</title></head></html>", encoding="utf-8")
    (folder / "gone.md").symlink_to(tmp_path / "nowhere.md")
    (folder / "notes.docx").write_bytes(b"ignored: not an article type")
    (folder / ".hidden.html").write_text(GOOD_HTML, encoding="utf-8")

    settings = load_settings(tmp_path, env={})
    found = scan_folder(settings)
    assert [e.path for e in found.errors] == ["source_articles/gone.md"]
    results = {d.origin: process_document(d, settings) for d in found.documents}
    assert sorted(results) == sorted(
        f"source_articles/{n}"
        for n in [
            "Bad Name.html",
            "bad-cp1252.txt",
            "empty.html",
            "good-note.md",
            "good-page.html",
            "good-text.txt",
            "nobody.html",
        ]
    )

    good = {o: r for o, r in results.items() if r.ok}
    assert {r.slug for r in good.values()} == {"good-page", "good-note", "good-text"}
    assert {o: (r.format, r.segments) for o, r in good.items()} == {
        "source_articles/good-page.html": ("html", 2),
        "source_articles/good-note.md": ("markdown", 3),
        "source_articles/good-text.txt": ("text", 3),
    }
    for result in good.values():
        assert f"out/segments/{result.slug}.json" in result.outputs
        for output in result.outputs:
            assert (tmp_path / output).is_file()
            assert not Path(output).is_absolute() and ".." not in Path(output).parts

    bad = {o: r.error for o, r in results.items() if not r.ok}
    assert set(bad) == {
        "source_articles/Bad Name.html",
        "source_articles/bad-cp1252.txt",
        "source_articles/empty.html",
        "source_articles/nobody.html",
    }
    for origin, error in bad.items():
        assert error is not None and error.startswith(origin), error
        assert "internal error" not in error
    assert "source_articles/bad-cp1252.txt:3:" in bad["source_articles/bad-cp1252.txt"]


def test_front_matter_that_does_not_construct_stops_only_its_article(tmp_path: Path) -> None:
    """What `medloc run` does up to the QA stage, without Prefect: `collect_sources` (which reads each
    Markdown file's front matter for its slug) and `process_document` per article. A front-matter
    value PyYAML parsed but could not build (`!!timestamp 2024-13-45`) raised a bare ValueError in
    `collect_sources` and stopped the whole run before any article was processed."""
    from flows.localize import collect_sources

    folder = make_project(tmp_path)
    (folder / "good-page.html").write_text(GOOD_HTML, encoding="utf-8")
    (folder / "good-note.md").write_text("---\ntitle: Note\n---\n\n# Note\n\nA note.\n", encoding="utf-8")
    bad = {
        "bad-int.md": "a: !!int x",
        "bad-float.md": "b: !!float nope",
        "bad-date.md": "c: !!timestamp 2024-13-45",
        "bad-object.md": "d: !!python/object:os.system {}",
        "bad-binary.md": 'e: !!binary "%%%"',
    }
    for name, entry in bad.items():
        (folder / name).write_text(f"---\ntitle: Bad\n{entry}\n---\n\n# Bad\n\nBody.\n", encoding="utf-8")

    settings = load_settings(tmp_path, env={})
    documents, errors, _, _ = collect_sources.fn(settings)
    assert errors == []
    results = {d.origin: process_document(d, settings) for d in documents}
    assert len(results) == 7

    good = {o: r for o, r in results.items() if r.ok}
    assert {r.slug for r in good.values()} == {"good-page", "good-note"}
    for result in good.values():
        assert (tmp_path / f"out/segments/{result.slug}.json").is_file()
    failed = {o: r.error for o, r in results.items() if not r.ok}
    assert set(failed) == {f"source_articles/{name}" for name in bad}
    for origin, error in failed.items():
        assert error is not None and error.startswith(f"{origin}:3: invalid YAML front matter: "), error
        assert "internal error" not in error


def test_process_document_never_raises_on_garbage(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, env={})  # outputs, if any, land in tmp_path
    for data in (b"\x00\x01\x02\xff" * 50, b"<" * 1000, b"\xff" * 100, b"<html" * 300, b"\xef\xbb\xbf\xff"):
        document = SourceDocument(name="junk.html", origin="source_articles/junk.html", data=data)
        result = process_document(document, settings)  # must not raise
        if not result.ok:
            assert result.error is not None and result.error.startswith("source_articles/junk.html")
            assert "internal error" not in result.error
    for data in (b"\x00\x01\x02\xff" * 50, b"<" * 1000, b"\xff" * 100):
        document = SourceDocument(name="junk.html", origin="source_articles/junk.html", data=data)
        assert not process_document(document, settings).ok, data[:8]


def test_heading_kinds_unaffected_by_bom() -> None:
    article = extract_article("k.html", codecs.BOM_UTF8 + GOOD_HTML.encode(), Settings())
    assert [s.kind for s in article.segments] == [BlockKind.HEADING, BlockKind.PARAGRAPH]
