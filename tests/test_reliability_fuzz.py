"""Fuzzing (issue 7, part 1): every parser medloc feeds with outside input, on generated and mutated files.

Property for every target: a result, or `MedlocError` naming the input file (and a line inside it
when the parser knows one) — never another exception. On top of that, per target:
- extraction: the identity rebuild gives the decoded source back exactly, and a translated rebuild
  re-extracts to the same number of segments;
- PO: what `po.dump` writes parses again to the same entries (no translation lost);
- glossary, TBX, TMX, settings: a loaded result can be used (glossary compiled, TBX exported again).

Each test runs a fixed-size, derandomised campaign inside `make test`; the `@pytest.mark.fuzz` twins run
MEDLOC_FUZZ_SCALE (default 20) times more random examples: `pytest -m fuzz tests/test_reliability_fuzz.py`.
Case counts and outcomes go to the reliability record (tests/reliability.py) and docs/reliability.md.
"""

from __future__ import annotations

import dataclasses
import tempfile
import typing
from pathlib import Path

import pytest
import yaml
from fuzz_support import (
    article_seeds,
    attempt,
    campaign,
    mutated,
    po_seeds,
    seed_files,
    tmx_seeds,
    violated,
)
from hypothesis import given
from hypothesis import strategies as st
from reliability import Recorder, Tally

from medloc import po
from medloc.catalog import read_catalog
from medloc.config import SETTINGS_FILE, Settings, load_settings
from medloc.extract import extract_article, rebuild
from medloc.glossary.load import load_glossary
from medloc.glossary.tbx import export_tbx, parse_tbx
from medloc.glossary.terminology import Terminology
from medloc.tmx import read_tmx
from paths import REPO

ARTICLES = article_seeds()
SEED_BYTES = {data for _, data in ARTICLES}
POS = po_seeds()
GLOSSARY_SEEDS = seed_files((REPO / "glossary", "*.yaml"))
TMX_SEEDS = tmx_seeds()
SETTINGS_SEEDS = [("medloc.toml", (REPO / "medloc.toml").read_bytes())]
SETTINGS = Settings()
FORMAT_NAME = {"html": "page.html", "markdown": "page.md", "text": "page.txt"}

# ---------------------------------------------------------------- generated documents

_words = st.sampled_from(
    [
        "Calcium",
        "keeps",
        "bones",
        "strong",
        "500 mg",
        "dose",
        "niña",
        "café",
        "&amp;",
        "&nbsp;",
        "&#233;",
        "<b>bold</b>",
        '<a href="/x">link</a>',
        "x<y",
        "Dr.",
        "50%",
        "—",
        "\u200b",
        "日本語",
        "مرحبا",
        "",
        " ",
        "\t",
    ]
)
_text = st.lists(_words, min_size=0, max_size=8).map(" ".join)
_tags = st.sampled_from(
    [
        "p",
        "div",
        "h1",
        "h2",
        "li",
        "ul",
        "td",
        "tr",
        "table",
        "article",
        "main",
        "nav",
        "footer",
        "aside",
        "section",
        "blockquote",
        "figcaption",
        "span",
        "b",
        "script",
        "style",
        "template",
        "noscript",
        "pre",
        "code",
        "header",
        "form",
        "button",
    ]
)
_attrs = st.sampled_from(
    [
        "",
        ' class="content"',
        ' id="main"',
        ' role="main"',
        " hidden",
        ' class="sidebar"',
        ' itemprop="articleBody"',
        ' alt="An image"',
        ' style="display:none"',
        ' lang="es"',
        ' aria-hidden="true"',
        " class='share-bar'",
        ' title="t"',
    ]
)


def _html_tree(depth: int) -> st.SearchStrategy[str]:
    leaf = _text
    if depth == 0:
        return leaf
    child = _html_tree(depth - 1)
    element = st.tuples(_tags, _attrs, st.lists(child, max_size=4), st.booleans()).map(
        lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}" + (f"</{t[0]}>" if t[3] else "")
    )
    return st.one_of(leaf, element, st.just('<img alt="Figure 1: dose" src="a.png">'), st.just("<!-- c -->"))


generated_html = st.tuples(
    st.sampled_from(["", "<!DOCTYPE html>", '<?xml version="1.0"?>']),
    st.sampled_from(["<html>", '<html lang="en">', ""]),
    st.sampled_from(
        [
            "",
            '<head><title>Title here</title><meta name="description" content="About it"></head>',
            '<head><meta charset="utf-8"><meta property="og:title" content="OG"></head>',
        ]
    ),
    _html_tree(3),
    st.sampled_from(["", "</html>", "</body></html>"]),
).map(lambda parts: "".join(parts))

_md_block = st.one_of(
    _text.map(lambda t: f"# {t}"),
    _text.map(lambda t: f"## {t}"),
    _text,
    st.lists(_text, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.lists(_text, min_size=1, max_size=3).map(
        lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))
    ),
    _text.map(lambda t: f"> {t}"),
    _text.map(lambda t: f"```\n{t}\n```"),
    _text.map(lambda t: f"| a | b |\n|---|---|\n| {t} | x |"),
    _text.map(lambda t: f"![{t}](img.png)"),
    _text.map(lambda t: f"<div>{t}</div>"),
)
_front_value = st.one_of(
    _text,
    st.integers(),
    st.none(),
    st.booleans(),
    st.lists(_text, max_size=2),
    st.dictionaries(st.text(max_size=5), _text, max_size=2),
)
generated_markdown = st.tuples(
    st.one_of(
        st.just(""),
        st.dictionaries(
            st.sampled_from(["title", "description", "slug", "lang", "tags", "date"]),
            _front_value,
            max_size=5,
        ).map(lambda d: "---\n" + yaml.safe_dump(d, allow_unicode=True) + "---\n"),
    ),
    st.lists(_md_block, min_size=0, max_size=8).map("\n\n".join),
).map(lambda parts: parts[0] + parts[1] + "\n")

generated_text = st.lists(
    st.one_of(
        _text,
        _text.map(lambda t: f"1. {t}"),
        st.sampled_from(["Comments (0)", "Leave a Comment", "About the Author"]),
    ),
    min_size=0,
    max_size=10,
).map(lambda lines: "\n".join(line if i % 3 else line + "\n" for i, line in enumerate(lines)))


def _documents() -> st.SearchStrategy[tuple[str, bytes]]:
    return st.one_of(
        mutated(ARTICLES, "html"),
        mutated([s for s in ARTICLES if s[0].endswith(".md")] or ARTICLES, "markdown"),
        mutated([s for s in ARTICLES if s[0].endswith(".txt")] or ARTICLES, "text"),
        generated_html.map(lambda t: ("page.html", t.encode("utf-8"))),
        generated_markdown.map(lambda t: ("page.md", t.encode("utf-8"))),
        generated_text.map(lambda t: ("page.txt", t.encode("utf-8"))),
    )


# ---------------------------------------------------------------- extraction and rebuild


def _extract_case(tally: Tally, seed: str, data: bytes) -> None:
    suffix = Path(seed).suffix if Path(seed).suffix in (".html", ".md", ".txt") else ".html"
    name = "page" + suffix
    origin = f"source_articles/{name}"
    what = f"extract {seed} ({len(data)} bytes)"
    article = attempt(tally, what, origin, data, lambda: extract_article(name, data, SETTINGS, origin=origin))
    if article is None:
        return
    if rebuild(article, {}, None) != article.text:
        violated(tally, what, "identity rebuild differs from the decoded source")
    if seed not in FORMAT_NAME.values() and data not in SEED_BYTES:
        # A mutated page is not a valid input: body detection may legitimately judge the translated page
        # differently (a sidebar heading no longer reads as chrome), so only the identity rebuild is held.
        return
    translated = rebuild(article, {s.index: "Ẍ " + s.text for s in article.segments}, "es")
    try:
        again = extract_article(name, translated.encode("utf-8"), SETTINGS, origin=origin, charset="utf-8")
    except Exception as exc:  # counted as a broken property: the rebuilt page must extract again
        violated(tally, what, f"translated rebuild does not extract again: {type(exc).__name__}: {exc}")
        return
    if len(again.segments) != len(article.segments):
        violated(
            tally,
            what,
            f"translated rebuild has {len(again.segments)} segments, source {len(article.segments)}",
        )


def _run_extract(reliability: Recorder, examples: int, long: bool) -> None:
    tally = reliability.tally(
        "fuzzing",
        "Extraction + rebuild (HTML, Markdown, text): mutated real pages and generated documents",
        "result or MedlocError naming file/line; identity rebuild == source; "
        "translated rebuild re-extracts to the same segment count (generated and "
        "unmutated documents)",
    )

    @campaign(examples, long=long)
    @given(_documents())
    def run(case: tuple[str, bytes]) -> None:
        _extract_case(tally, *case)

    run()


def test_fuzz_extract(reliability: Recorder) -> None:
    _run_extract(reliability, 500, long=False)


@pytest.mark.fuzz
def test_fuzz_extract_long(reliability: Recorder) -> None:
    _run_extract(reliability, 500, long=True)


# ---------------------------------------------------------------- PO files


def _po_case(tally: Tally, seed: str, data: bytes) -> None:
    path = Path("locales/es/fuzzed.po")
    what = f"PO {seed} ({len(data)} bytes)"
    parsed = attempt(tally, what, str(path), data, lambda: read_catalog(path, data=data))
    if parsed is None:
        return
    written = po.dump(parsed)
    try:
        again = po.parse(written)
    except po.POSyntaxError as exc:
        violated(tally, what, f"po.dump wrote a file that does not parse: {exc}")
        return

    def content(f: po.POFile) -> list[tuple[object, ...]]:
        return [
            (e.msgctxt, e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items())), e.obsolete)
            for e in f.entries
        ]

    if content(again) != content(parsed):
        violated(tally, what, "dump → parse changed the entries (a translation would be lost)")


def _run_po(reliability: Recorder, examples: int, long: bool) -> None:
    tally = reliability.tally(
        "fuzzing",
        "PO parsing: mutated Django and project catalogs (cut, binary, bad "
        "escapes, duplicates, mixed encodings)",
        "result or MedlocError with file and line; dump → parse keeps every entry",
    )

    @campaign(examples, long=long)
    @given(mutated(POS, "po", max_edits=5))
    def run(case: tuple[str, bytes]) -> None:
        _po_case(tally, *case)

    run()


def test_fuzz_po(reliability: Recorder) -> None:
    _run_po(reliability, 400, long=False)


@pytest.mark.fuzz
def test_fuzz_po_long(reliability: Recorder) -> None:
    _run_po(reliability, 400, long=True)


# ---------------------------------------------------------------- glossary YAML, TBX, TMX

_term = st.one_of(
    st.sampled_from(
        [
            "muscle twitching",
            "flesh jumping",
            "hot flash",
            "x",
            "",
            " ",
            "a.b",
            "Ω",
            "(",
            "[a-z]+",
            "\\b",
            "niño",
            "mg",
        ]
    ),
    st.text(max_size=12),
)
_yaml_value = st.recursive(
    st.one_of(_term, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=True)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["preferred", "allowed", "forbidden", "note", "wrong", "right", "x"]),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=8,
)
_entry = st.dictionaries(
    st.sampled_from(
        [
            "id",
            "term",
            "pos",
            "allowed",
            "forbidden",
            "dnt",
            "note",
            "source",
            "examples",
            "es",
            "fr",
            "de",
            "zh_CN",
            "EN",
            "bad key",
        ]
    ),
    _yaml_value,
    max_size=7,
)
generated_glossary = st.lists(_entry, max_size=4).map(
    lambda entries: yaml.safe_dump(entries, allow_unicode=True)
)


def _glossary_case(tally: Tally, seed: str, data: bytes, folder: Path) -> None:
    path = folder / "10-fuzzed.yaml"
    path.write_bytes(data)
    what = f"glossary {seed} ({len(data)} bytes)"
    glossary = attempt(tally, what, str(path), data, lambda: load_glossary(folder))
    if glossary is None or not glossary.concepts:
        return
    try:
        Terminology(glossary).prepare()
    except Exception as exc:
        violated(tally, what, f"a glossary that loads does not compile: {type(exc).__name__}: {exc}")


def _run_glossary(reliability: Recorder, examples: int, long: bool) -> None:
    tally = reliability.tally(
        "fuzzing",
        "Glossary YAML: mutated project glossary files and generated entries",
        "result or MedlocError with file and line; a loaded glossary compiles",
    )
    folder = Path(tempfile.mkdtemp(prefix="medloc-fuzz-glossary-"))

    @campaign(examples, long=long)
    @given(
        st.one_of(
            mutated(GLOSSARY_SEEDS, "yaml", max_edits=3),
            generated_glossary.map(lambda t: ("generated.yaml", t.encode("utf-8"))),
        )
    )
    def run(case: tuple[str, bytes]) -> None:
        _glossary_case(tally, *case, folder)

    run()


def test_fuzz_glossary(reliability: Recorder) -> None:
    _run_glossary(reliability, 150, long=False)


@pytest.mark.fuzz
def test_fuzz_glossary_long(reliability: Recorder) -> None:
    _run_glossary(reliability, 150, long=True)


def _tbx_seed() -> bytes:
    """A TBX export of the first concepts of the project glossary (small, but every element kind)."""
    glossary = load_glossary(REPO / "glossary")
    head = dataclasses.replace(glossary, concepts=glossary.concepts[:12])
    return export_tbx(head).encode("utf-8")


def _run_tbx(reliability: Recorder, examples: int, long: bool) -> None:
    tally = reliability.tally(
        "fuzzing",
        "TBX import: mutated TBX exports of the project glossary",
        "result or MedlocError naming the file; what imports exports again",
    )
    seeds = [("glossary.tbx", _tbx_seed())]

    @campaign(examples, long=long)
    @given(mutated(seeds, "xml", max_edits=4))
    def run(case: tuple[str, bytes]) -> None:
        seed, data = case
        name = "glossary/fuzzed.tbx"
        what = f"TBX {seed} ({len(data)} bytes)"
        glossary = attempt(tally, what, name, data, lambda: parse_tbx(data, name))
        if glossary is not None:
            try:
                export_tbx(glossary)
            except Exception as exc:
                violated(tally, what, f"an imported TBX does not export: {type(exc).__name__}: {exc}")

    run()


def test_fuzz_tbx(reliability: Recorder) -> None:
    _run_tbx(reliability, 200, long=False)


@pytest.mark.fuzz
def test_fuzz_tbx_long(reliability: Recorder) -> None:
    _run_tbx(reliability, 200, long=True)


def _run_tmx(reliability: Recorder, examples: int, long: bool) -> None:
    tally = reliability.tally(
        "fuzzing",
        "TMX import: mutated heads of the TICO-19 translation memories",
        "result or MedlocError naming the file (and line for XML errors)",
    )
    path = Path(tempfile.mkdtemp(prefix="medloc-fuzz-tmx-")) / "fuzzed.tmx"

    @campaign(examples, long=long)
    @given(mutated(TMX_SEEDS, "xml", max_edits=4))
    def run(case: tuple[str, bytes]) -> None:
        seed, data = case
        path.write_bytes(data)
        attempt(tally, f"TMX {seed} ({len(data)} bytes)", str(path), data, lambda: read_tmx(path))

    run()


def test_fuzz_tmx(reliability: Recorder) -> None:
    _run_tmx(reliability, 200, long=False)


@pytest.mark.fuzz
def test_fuzz_tmx_long(reliability: Recorder) -> None:
    _run_tmx(reliability, 200, long=True)


# ---------------------------------------------------------------- settings


def _known_keys() -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for name, cls in typing.get_type_hints(Settings).items():
        if dataclasses.is_dataclass(cls):
            out[name] = dict(typing.get_type_hints(cls))
    return out


KNOWN = _known_keys()
_toml_scalar = st.one_of(
    st.text(max_size=10).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True).map(lambda f: repr(f).replace("inf", "inf")),
    st.sampled_from(
        [
            "true",
            "false",
            "1979-05-27",
            "07:32:00",
            "nan",
            "-inf",
            "[]",
            "{}",
            '["es", "fr"]',
            '["es", 1]',
            '{ es = "x" }',
            '{ es = { "https://a/" = "https://b/" } }',
            "'lit'",
        ]
    ),
)


@st.composite
def generated_toml(draw: st.DrawFn) -> str:
    lines: list[str] = []
    sections = draw(st.lists(st.sampled_from([*KNOWN, "bogus", "tool"]), max_size=4, unique=True))
    for section in sections:
        lines.append(f"[{section}]")
        keys = [*KNOWN.get(section, {}), "unknown_key"]
        for key in draw(st.lists(st.sampled_from(keys), max_size=5, unique=True)):
            lines.append(f"{key} = {draw(_toml_scalar)}")
    return "\n".join(lines) + "\n"


def _run_settings(reliability: Recorder, examples: int, long: bool) -> None:
    tally = reliability.tally(
        "fuzzing",
        "Settings: generated and mutated medloc.toml, random environment overrides",
        "Settings or MedlocError naming the file (and line for TOML syntax) or variable",
    )
    root = Path(tempfile.mkdtemp(prefix="medloc-fuzz-settings-"))
    path = root / SETTINGS_FILE
    env_key = st.sampled_from(
        [f"MEDLOC_{s.upper()}__{k.upper()}" for s in KNOWN for k in KNOWN[s]]
        + ["MEDLOC_BOGUS__X", "MEDLOC_PROJECT__NOPE", "MEDLOC_X"]
    )

    @campaign(examples, long=long)
    @given(
        st.one_of(
            mutated(SETTINGS_SEEDS, "toml", max_edits=4),
            generated_toml().map(lambda t: ("generated.toml", t.encode("utf-8"))),
        ),
        st.dictionaries(env_key, st.text(max_size=8), max_size=2),
    )
    def run(case: tuple[str, bytes], env: dict[str, str]) -> None:
        seed, data = case
        path.write_bytes(data)
        what = f"settings {seed} ({len(data)} bytes) env={sorted(env)}"
        attempt(tally, what, {str(path), "(environment)", *env}, data, lambda: load_settings(root, env=env))

    run()


def test_fuzz_settings(reliability: Recorder) -> None:
    _run_settings(reliability, 300, long=False)


@pytest.mark.fuzz
def test_fuzz_settings_long(reliability: Recorder) -> None:
    _run_settings(reliability, 300, long=True)


# ---------------------------------------------------------------- regressions found by the campaigns


def test_fuzz_regressions(reliability: Recorder, tmp_path: Path) -> None:
    """Inputs that once escaped as unhandled exceptions or broke a round trip; each now behaves."""
    tally = reliability.tally(
        "fuzzing",
        "Regressions: inputs the campaigns once broke on (kept as fixed cases)",
        "MedlocError with file and line, or a clean round trip",
    )
    # po.py: `\x` with no hex digits raised ValueError.
    data = b'msgid "\\x"\nmsgstr ""\n'
    error = attempt(
        tally, "PO \\x", "locales/es/x.po", data, lambda: read_catalog(Path("locales/es/x.po"), data=data)
    )
    assert error is None and tally.rejected == 1
    # tmx.py / tbx: an unknown declared XML encoding raised LookupError.
    bogus = b'<?xml version="1.0" encoding="TF-8"?>\n<tmx version="1.4"><header srclang="en"/><body/></tmx>'
    tmx = tmp_path / "bogus.tmx"
    tmx.write_bytes(bogus)
    attempt(tally, "TMX encoding", str(tmx), bogus, lambda: read_tmx(tmx))
    attempt(tally, "TBX encoding", "g.tbx", bogus, lambda: parse_tbx(bogus, "g.tbx"))
    # config.py: a medloc.toml that is not UTF-8 raised UnicodeDecodeError.
    (tmp_path / SETTINGS_FILE).write_bytes(b"# caf\xe9\n[project]\n")
    attempt(
        tally, "TOML latin-1", str(tmp_path / SETTINGS_FILE), b"", lambda: load_settings(tmp_path, env={})
    )
    assert tally.rejected == 4 and tally.bad == 0, tally.examples
    # markdown.py: a title quoted over two lines, a flow-mapping front matter: translated rebuild broke.
    for text in (
        '---\ntitle: "Reason\n  for twitching"\n---\n# Heading\n\nBody.\n',
        "---\n{}\n---\n# Calcium\n",
        "---\n{title: Calcium}\n---\n# Calcium\n",
        "---\ndescription: |\n  Two\n  lines\n---\n# H\n\nB.\n",
    ):
        _extract_case(tally, "page.md", text.encode("utf-8"))
    assert tally.bad == 0, tally.examples
