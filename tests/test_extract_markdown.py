"""Markdown articles: front matter, block kinds, code left alone, lossless and translated rebuilds."""

from __future__ import annotations

from pathlib import Path

import pytest

from medloc.config import Settings
from medloc.extract import extract_article, rebuild
from medloc.model import Article, BlockKind, MedlocError
from paths import REPO, SHARED

K = BlockKind
SEED_MD = REPO / "source_articles" / "menopause-muscle-twitching.md"
SEED_TXT = SHARED / "seed" / "menopause-muscle-twitching.txt"


def extract(source: str, name: str = "article.md") -> Article:
    return extract_article(name, source.encode("utf-8"), Settings(), origin=f"source_articles/{name}")


def kinds_texts(article: Article) -> list[tuple[BlockKind, str]]:
    return [(s.kind, s.text) for s in article.segments]


def bracket_all(article: Article) -> dict[int, str]:
    return {s.index: f"[{s.text}]" for s in article.segments}


# --------------------------------------------------------------------------------------------
# The seed article as Markdown
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Article:
    return extract_article(
        SEED_MD.name, SEED_MD.read_bytes(), Settings(), origin="source_articles/menopause-muscle-twitching.md"
    )


def test_seed_front_matter_gives_slug_title_and_description(seed: Article) -> None:
    assert seed.slug == "menopause-muscle-twitching-md"  # from front matter, not the file name
    assert seed.format == "markdown"
    assert seed.title == "Reasons for menopausal muscle twitching"
    head = [(s.kind, s.text, s.element, s.line) for s in seed.segments[:2]]
    assert head == [
        (K.TITLE, "Reasons for menopausal muscle twitching", "front-matter:title", 2),
        (
            K.META_DESCRIPTION,
            "Menopausal muscle twitching may be related to hormonal fluctuations, autonomic "
            "nervous system dysfunction, calcium deficiency, psychological factors and medication "
            "side effects.",
            "front-matter:description",
            3,
        ),
    ]
    assert not any("menopause-muscle-twitching-md" in s.text for s in seed.segments)  # slug is not text
    assert not any("owns that slug" in s.text for s in seed.segments)  # YAML comment is not text


def test_seed_body_matches_the_plain_text_seed(seed: Article) -> None:
    blocks = [b.strip() for b in SEED_TXT.read_text(encoding="utf-8").split("\n\n")]
    reference = blocks[: blocks.index("Comments (0)")]
    body = kinds_texts(seed)[2:]
    assert body == list(zip([K.HEADING, K.PARAGRAPH] * 6, reference, strict=True))
    lines = SEED_MD.read_text(encoding="utf-8").split("\n")
    for segment in seed.segments[2:]:
        assert segment.text in lines[segment.line - 1], segment


def test_seed_identity_and_translated_rebuild(seed: Article) -> None:
    source = SEED_MD.read_text(encoding="utf-8")
    assert rebuild(seed, {}, None) == source
    assert rebuild(seed, {s.index: s.text for s in seed.segments}, None) == source
    translated = rebuild(seed, bracket_all(seed), "es")
    assert "\n# [Reasons for menopausal muscle twitching]\n" in translated
    assert "\n## [1. Fluctuations in hormone levels]\n" in translated
    assert 'title: "[Reasons for menopausal muscle twitching]"\n' in translated
    assert "slug: menopause-muscle-twitching-md\n" in translated
    again = extract(translated, SEED_MD.name)
    assert kinds_texts(again) == [(s.kind, f"[{s.text}]") for s in seed.segments]
    assert again.lang == "es"
    assert again.slug == seed.slug


# --------------------------------------------------------------------------------------------
# Every Markdown block
# --------------------------------------------------------------------------------------------

DOC = """---
title: Calcium and bones
description: "Why calcium matters: after menopause, bones thin."
slug: calcium-bones
lang: en
---

# Calcium and bones

Calcium keeps **bones** strong, see [the guide](https://example.org/guide "Guide").
It also helps *muscles* contract.

## Foods

- Milk and *yoghurt*
- Leafy greens
  - Kale
  - Broccoli

1. Eat well
2. Drink `water`

> Calcium is not enough on its own.

| Food | Calcium (mg) |
|------|--------------|
| Milk | 300 |
| Kale | 150 |

```python
dose = 1000  # a code fence is not text to translate
```

    indented code block with words

Last paragraph.
"""

DOC_EXPECTED = [
    (K.TITLE, "Calcium and bones"),
    (K.META_DESCRIPTION, "Why calcium matters: after menopause, bones thin."),
    (K.HEADING, "Calcium and bones"),
    (
        K.PARAGRAPH,
        'Calcium keeps **bones** strong, see [the guide](https://example.org/guide "Guide"). '
        "It also helps *muscles* contract.",
    ),
    (K.HEADING, "Foods"),
    (K.LIST_ITEM, "Milk and *yoghurt*"),
    (K.LIST_ITEM, "Leafy greens"),
    (K.LIST_ITEM, "Kale"),
    (K.LIST_ITEM, "Broccoli"),
    (K.LIST_ITEM, "Eat well"),
    (K.LIST_ITEM, "Drink `water`"),
    (K.BLOCKQUOTE, "Calcium is not enough on its own."),
    (K.TABLE_CELL, "Food"),
    (K.TABLE_CELL, "Calcium (mg)"),
    (K.TABLE_CELL, "Milk"),
    (K.TABLE_CELL, "300"),
    (K.TABLE_CELL, "Kale"),
    (K.TABLE_CELL, "150"),
    (K.PARAGRAPH, "Last paragraph."),
]


def test_markdown_blocks_and_kinds() -> None:
    article = extract(DOC)
    assert kinds_texts(article) == DOC_EXPECTED
    assert article.slug == "calcium-bones"
    assert article.lang == "en"
    lines = DOC.split("\n")
    assert [s.line for s in article.segments if s.text == "Kale"] == [
        lines.index("  - Kale") + 1,
        lines.index("| Kale | 150 |") + 1,
    ]
    assert (
        next(s.line for s in article.segments if s.kind is K.BLOCKQUOTE)
        == lines.index("> Calcium is not enough on its own.") + 1
    )


def test_code_is_not_extracted() -> None:
    texts = " ".join(s.text for s in extract(DOC).segments)
    assert "dose" not in texts
    assert "indented code block" not in texts


def test_spans_hold_the_raw_inline_text() -> None:
    article = extract(DOC)
    for segment in article.segments:
        if segment.attribute is None:
            assert " ".join(DOC[segment.start : segment.end].split()) == segment.text
    raw = {s.index: DOC[s.start : s.end] for s in article.segments if s.attribute is None}
    assert rebuild(article, raw, None) == DOC


def test_identity_rebuild() -> None:
    article = extract(DOC)
    assert rebuild(article, {}, None) == DOC
    assert rebuild(article, {s.index: s.text for s in article.segments}, None) == DOC


def test_translated_rebuild_keeps_markers_and_code() -> None:
    article = extract(DOC)
    out = rebuild(article, bracket_all(article), "es")
    for fragment in (
        'title: "[Calcium and bones]"\n',
        'description: "[Why calcium matters: after menopause, bones thin.]"\n',
        "slug: calcium-bones\n",
        "lang: es\n",
        "\n# [Calcium and bones]\n",
        "\n## [Foods]\n",
        "\n- [Milk and *yoghurt*]\n- [Leafy greens]\n  - [Kale]\n  - [Broccoli]\n",
        "\n1. [Eat well]\n2. [Drink `water`]\n",
        "\n> [Calcium is not enough on its own.]\n",
        "| [Food] | [Calcium (mg)] |\n|------|--------------|\n| [Milk] | [300] |\n| [Kale] | [150] |\n",
        "```python\ndose = 1000  # a code fence is not text to translate\n```\n",
        "\n    indented code block with words\n",
        "\n[Last paragraph.]\n",
    ):
        assert fragment in out, fragment
    assert "lang: en" not in out
    again = extract(out)
    assert kinds_texts(again) == [(k, f"[{t}]") for k, t in DOC_EXPECTED]
    assert again.lang == "es"


def test_translation_with_quotes_in_front_matter_stays_valid_yaml() -> None:
    article = extract(DOC)
    title = next(s for s in article.segments if s.kind is K.TITLE)
    out = rebuild(article, {title.index: 'Calcio: "huesos" y más'}, None)
    assert extract(out).segments[0].text == 'Calcio: "huesos" y más'


def test_lang_added_when_front_matter_has_none() -> None:
    source = "---\ntitle: Short note\n---\n\nA paragraph of text.\n"
    article = extract(source)
    assert article.lang == "en"
    out = rebuild(article, {}, "fr")
    assert out == "---\ntitle: Short note\nlang: fr\n---\n\nA paragraph of text.\n"
    assert extract(out).lang == "fr"
    assert rebuild(article, {}, None) == source


def test_multiline_blockquote_translates_as_one_segment() -> None:
    source = "Intro paragraph.\n\n> First quoted line\n> second quoted line.\n\nOutro paragraph.\n"
    article = extract(source)
    quote = next(s for s in article.segments if s.kind is K.BLOCKQUOTE)
    assert quote.text == "First quoted line second quoted line."
    out = rebuild(article, {quote.index: "Cita traducida."}, None)
    assert out == "Intro paragraph.\n\n> Cita traducida.\n\nOutro paragraph.\n"


def test_no_front_matter_slug_from_file_name() -> None:
    article = extract("# Heading\n\nBody text.\n", "calcium-guide.md")
    assert article.slug == "calcium-guide"
    assert kinds_texts(article) == [(K.HEADING, "Heading"), (K.PARAGRAPH, "Body text.")]
    assert article.title == "Heading"


def test_extraction_is_stable() -> None:
    assert extract(DOC).segments == extract(DOC).segments


# --------------------------------------------------------------------------------------------
# Malformed front matter and empty documents
# --------------------------------------------------------------------------------------------


def test_malformed_front_matter_names_file_and_line() -> None:
    source = "---\ntitle: Fine\n  bad: indentation\nslug: ok\n---\n\nBody.\n"
    with pytest.raises(MedlocError) as info:
        extract(source, "broken.md")
    assert info.value.path == "source_articles/broken.md"
    assert info.value.line == 3
    assert str(info.value).startswith("source_articles/broken.md:3: ")


# YAML that parses but cannot be built into a value: PyYAML raised a bare ValueError/KeyError/
# AttributeError (no line) for most of these, which escaped as a crash of the whole run.
FRONT_MATTER_THAT_DOES_NOT_CONSTRUCT = [
    ("a: !!int x", "'x' is not a valid !!int value"),
    ("b: !!float nope", "'nope' is not a valid !!float value"),
    ("c: !!timestamp 2024-13-45", "month must be in 1..12"),
    ("d: !!python/object:os.system {}", "could not determine a constructor"),  # safe loader refuses it
    ('e: !!binary "%%%"', "'%%%' is not a valid !!binary value"),  # PyYAML alone read it as b""
    ("f: !!bool maybe", "'maybe' is not a valid !!bool value"),  # a KeyError in PyYAML
    ("g: !!timestamp x", "'x' is not a valid !!timestamp value"),  # an AttributeError in PyYAML
    ("h: !!int 0b2", "not a valid !!int value"),
    ("i: 0b_", "'0b_' is not a valid !!int value"),  # no tag: resolved as an int, then int('', 2)
]


@pytest.mark.parametrize(("entry", "words"), FRONT_MATTER_THAT_DOES_NOT_CONSTRUCT)
def test_front_matter_value_that_does_not_construct_names_file_and_line(entry: str, words: str) -> None:
    source = f"---\ntitle: Fine\nslug: fine\n{entry}\nlang: en\n---\n\n# Heading\n\nBody text.\n"
    with pytest.raises(MedlocError) as info:
        extract(source, "typed.md")
    assert info.value.path == "source_articles/typed.md"
    assert info.value.line == 4  # the offending entry's line in the file, counting the opening `---`
    assert str(info.value).startswith("source_articles/typed.md:4: invalid YAML front matter: ")
    assert words in info.value.message


def test_front_matter_nested_past_the_recursion_limit_is_an_error() -> None:
    source = "---\ntitle: Fine\ndeep: " + "[" * 5000 + "\n---\n\nBody text.\n"
    with pytest.raises(MedlocError) as info:  # was a RecursionError from PyYAML's composer
        extract(source, "deep.md")
    assert info.value.line == 3
    assert str(info.value).startswith("source_articles/deep.md:3: invalid YAML front matter: nested too deep")


def test_front_matter_control_character_names_its_line() -> None:
    with pytest.raises(MedlocError) as info:  # the reader's error has an offset but no mark
        extract("---\ntitle: Fine\nnote: a\x01b\n---\n\nBody text.\n", "ctrl.md")
    assert info.value.line == 3 and "unacceptable character #x0001" in info.value.message


def test_front_matter_binary_that_is_base64_still_loads() -> None:
    source = '---\ntitle: Fine\nblob: !!binary "aGVs\n  bG8="\n---\n\nBody text.\n'
    assert extract(source, "blob.md").title == "Fine"


def test_front_matter_that_is_not_a_mapping() -> None:
    with pytest.raises(MedlocError) as info:
        extract("---\n- just\n- a list\n---\n\nBody text.\n", "list.md")
    assert "source_articles/list.md" in str(info.value)
    assert "mapping" in str(info.value)


@pytest.mark.parametrize("bad", ["../x", "a/b", "Calcium", "my slug", "-lead", ""])
def test_bad_front_matter_slug(bad: str) -> None:
    with pytest.raises(MedlocError) as info:
        extract(f'---\nslug: "{bad}"\n---\n\nBody text here.\n', "ok-name.md")
    message = str(info.value)
    assert "invalid slug" in message
    assert "front matter" in message
    assert message.startswith("source_articles/ok-name.md: ")


def test_only_front_matter_is_an_empty_article() -> None:
    with pytest.raises(MedlocError) as info:
        extract("---\ntitle: Only a title\n---\n", "empty.md")
    assert "source_articles/empty.md" in str(info.value)
    assert "empty" in str(info.value)


def test_only_code_is_an_empty_article(tmp_path: Path) -> None:
    with pytest.raises(MedlocError):
        extract("```\ncode only here\n```\n", "code.md")


def test_setext_heading_keeps_its_underline() -> None:
    source = "Calcium facts\n=============\n\nBody paragraph.\n"
    article = extract(source)
    assert kinds_texts(article) == [(K.HEADING, "Calcium facts"), (K.PARAGRAPH, "Body paragraph.")]
    out = rebuild(article, {0: "Datos del calcio"}, None)
    assert out == "Datos del calcio\n=============\n\nBody paragraph.\n"


def test_repeated_cell_text_on_one_line_maps_to_each_cell() -> None:
    source = "| Kale | Kale |\n|---|---|\n| a Kale | Kale |\n"
    article = extract(source)
    assert [s.text for s in article.segments] == ["Kale", "Kale", "a Kale", "Kale"]
    out = rebuild(article, {0: "Col rizada", 1: "Berza", 2: "una col", 3: "col"}, None)
    assert out == "| Col rizada | Berza |\n|---|---|\n| una col | col |\n"


def test_nested_list_in_blockquote_and_paren_ordered_list() -> None:
    source = "> - quoted item\n> - second\n\n1) one\n2) two\n"
    article = extract(source)
    assert kinds_texts(article) == [
        (K.LIST_ITEM, "quoted item"),
        (K.LIST_ITEM, "second"),
        (K.LIST_ITEM, "one"),
        (K.LIST_ITEM, "two"),
    ]
    out = rebuild(article, {s.index: f"[{s.text}]" for s in article.segments}, None)
    assert out == "> - [quoted item]\n> - [second]\n\n1) [one]\n2) [two]\n"
