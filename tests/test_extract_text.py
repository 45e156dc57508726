"""Plain-text articles: first line title, numbered headings, paragraphs, chrome tail left alone."""

from __future__ import annotations

import pytest

from medloc.config import Settings
from medloc.extract import extract_article, rebuild
from medloc.model import Article, BlockKind, MedlocError
from paths import SHARED

K = BlockKind
SEED_TXT = SHARED / "seed" / "menopause-muscle-twitching.txt"


def extract(source: str, name: str = "note.txt") -> Article:
    return extract_article(name, source.encode("utf-8"), Settings(), origin=f"source_articles/{name}")


@pytest.fixture(scope="module")
def seed() -> Article:
    return extract_article(SEED_TXT.name, SEED_TXT.read_bytes(), Settings(), origin="seed/" + SEED_TXT.name)


def test_seed_title_headings_paragraphs(seed: Article) -> None:
    source = SEED_TXT.read_text(encoding="utf-8")
    assert seed.format == "text"
    assert seed.slug == "menopause-muscle-twitching"
    assert seed.title == "Reasons for menopausal muscle twitching"
    kinds = [s.kind for s in seed.segments]
    assert kinds == [K.TITLE, K.PARAGRAPH] + [K.HEADING, K.PARAGRAPH] * 5
    assert [s.text for s in seed.segments if s.kind is K.HEADING] == [
        "1. Fluctuations in hormone levels",
        "2. Autonomic dysfunction",
        "3. Calcium deficiency",
        "4. Psychological factors",
        "5. Drug side effects",
    ]
    assert seed.segments[1].text.startswith("Menopausal muscle twitching may be related")
    assert seed.segments[-1].text.endswith("under the guidance of doctors.")
    lines = source.split("\n")
    for segment in seed.segments:
        assert lines[segment.line - 1] == segment.text  # one line per block in the seed
        assert source[segment.start : segment.end] == segment.text


@pytest.mark.parametrize(
    "chrome",
    [
        "Comments (0)",
        "Leave a Comment",
        "Comments are moderated",
        "No comments yet",
        "Be the first",
        "About the Author",
        "Senior Expert",
        "Contributing Writer",
        "Stay Updated",
        "Subscribe to our newsletter",
    ],
)
def test_seed_chrome_tail_is_not_extracted(seed: Article, chrome: str) -> None:
    assert not any(chrome in s.text for s in seed.segments)


def test_seed_identity_rebuild_keeps_the_tail(seed: Article) -> None:
    source = SEED_TXT.read_text(encoding="utf-8")
    assert rebuild(seed, {}, None) == source
    assert rebuild(seed, {s.index: s.text for s in seed.segments}, None) == source


def test_seed_translated_rebuild(seed: Article) -> None:
    # A pseudo-translation that keeps each block's shape (a numbered heading stays a numbered heading).
    source = SEED_TXT.read_text(encoding="utf-8")
    out = rebuild(seed, {s.index: s.text.upper() for s in seed.segments}, "es")
    assert out.startswith("REASONS FOR MENOPAUSAL MUSCLE TWITCHING\n\nMENOPAUSAL MUSCLE")
    assert "\n\n1. FLUCTUATIONS IN HORMONE LEVELS\n\n" in out
    tail = source[source.index("Comments (0)") :]
    assert out.endswith("GUIDANCE OF DOCTORS.\n\n" + tail)
    again = extract_article(SEED_TXT.name, out.encode(), Settings())
    assert [(s.kind, s.text) for s in again.segments] == [(s.kind, s.text.upper()) for s in seed.segments]


def test_lines_of_a_paragraph_join_and_rebuild_replaces_the_block() -> None:
    source = "Title line\n\nFirst line of a paragraph\nsecond line of it.\n\nAnother paragraph.\n"
    article = extract(source)
    assert [(s.kind, s.text, s.line) for s in article.segments] == [
        (K.TITLE, "Title line", 1),
        (K.PARAGRAPH, "First line of a paragraph second line of it.", 3),
        (K.PARAGRAPH, "Another paragraph.", 6),
    ]
    out = rebuild(article, {1: "Un párrafo traducido."}, None)
    assert out == "Title line\n\nUn párrafo traducido.\n\nAnother paragraph.\n"


def test_heading_rules() -> None:
    source = (
        "Guide title\n\n1. Short heading\n\nBody one.\n\n2. Take one tablet daily.\n\n"
        "A) Lettered heading\n\nIII. Roman heading\n\n12. Two digits\n\nBody two.\n"
    )
    kinds = {s.text: s.kind for s in extract(source).segments}
    assert kinds["1. Short heading"] is K.HEADING
    assert kinds["2. Take one tablet daily."] is K.PARAGRAPH  # closing punctuation: a sentence
    assert kinds["A) Lettered heading"] is K.HEADING
    assert kinds["III. Roman heading"] is K.HEADING
    assert kinds["12. Two digits"] is K.HEADING
    assert kinds["Body one."] is K.PARAGRAPH


def test_crlf_file_rebuilds_losslessly() -> None:
    source = (
        "Title here\r\n\r\n1. A heading\r\n\r\nA paragraph\r\nover two lines.\r\n\r\n"
        "Comments (0)\r\nBy me\r\n"
    )
    article = extract(source)
    assert [(s.kind, s.text) for s in article.segments] == [
        (K.TITLE, "Title here"),
        (K.HEADING, "1. A heading"),
        (K.PARAGRAPH, "A paragraph over two lines."),
    ]
    assert rebuild(article, {}, None) == source
    out = rebuild(article, {2: "Traducido."}, None)
    assert out == "Title here\r\n\r\n1. A heading\r\n\r\nTraducido.\r\n\r\nComments (0)\r\nBy me\r\n"


def test_title_only_is_an_empty_article() -> None:
    with pytest.raises(MedlocError) as info:
        extract("Just a title\n", "lonely.txt")
    assert "source_articles/lonely.txt" in str(info.value)


def test_extraction_is_stable(seed: Article) -> None:
    again = extract_article(SEED_TXT.name, SEED_TXT.read_bytes(), Settings(), origin="seed/" + SEED_TXT.name)
    assert again.segments == seed.segments
