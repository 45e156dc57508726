"""HTML extraction and rebuild: the seed page, the shared NCI pages, block kinds, inline markup,
untranslatable content, CSS selectors, RTL, stability and entity handling.

Every expectation below is written from the HTML source by eye (the seed text file in ../shared/seed
is the reference for the seed page's body), not copied from a run of the code.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from medloc.config import Settings, load_settings
from medloc.extract import extract_article, rebuild
from medloc.extract.inline import normalize_inline
from medloc.model import Article, BlockKind, MedlocError
from paths import NCI, REPO, SHARED

SEED_HTML = REPO / "source_articles" / "menopause-muscle-twitching.html"
SEED_TXT = SHARED / "seed" / "menopause-muscle-twitching.txt"
NCI_PAGES = sorted((NCI / "en").glob("*.html")) + sorted((NCI / "es").glob("*.html"))
HEAD_KINDS = {BlockKind.TITLE, BlockKind.META_DESCRIPTION, BlockKind.OG_TITLE, BlockKind.OG_DESCRIPTION}

K = BlockKind


def extract(source: str, name: str = "page.html", settings: Settings | None = None) -> Article:
    return extract_article(name, source.encode("utf-8"), settings or Settings())


def kinds_texts(article: Article) -> list[tuple[BlockKind, str]]:
    return [(s.kind, s.text) for s in article.segments]


def bracket_all(article: Article) -> dict[int, str]:
    return {s.index: f"[{s.text}]" for s in article.segments}


def html_start_tag(page: str) -> str:
    match = re.search(r"<html\b[^>]*>", page)
    assert match, "no <html> start tag"
    return match.group()


def page(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html>\n<html lang="en">\n<head>{head}</head>\n<body>\n{body}\n</body>\n</html>\n'


# --------------------------------------------------------------------------------------------
# The seed page
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Article:
    return extract_article(
        SEED_HTML.name,
        SEED_HTML.read_bytes(),
        Settings(),
        origin="source_articles/menopause-muscle-twitching.html",
    )


def seed_reference() -> list[str]:
    """Title + body blocks of the seed article, from the shared plain-text seed, chrome tail cut."""
    blocks = [b.strip() for b in SEED_TXT.read_text(encoding="utf-8").split("\n\n")]
    end = blocks.index("Comments (0)")
    return blocks[:end]


def test_seed_body_is_h1_then_five_numbered_sections_in_order(seed: Article) -> None:
    reference = seed_reference()
    assert len(reference) == 12  # title, intro, 5 x (heading, paragraph)
    body = [(s.kind, s.text) for s in seed.segments if s.kind not in HEAD_KINDS and s.kind is not K.IMAGE_ALT]
    expected_kinds = [K.HEADING, K.PARAGRAPH] + [K.HEADING, K.PARAGRAPH] * 5
    assert body == list(zip(expected_kinds, reference, strict=True))
    headings = [t for k, t in body if k is K.HEADING]
    assert headings[1:] == [
        "1. Fluctuations in hormone levels",
        "2. Autonomic dysfunction",
        "3. Calcium deficiency",
        "4. Psychological factors",
        "5. Drug side effects",
    ]


def test_seed_head_segments(seed: Article) -> None:
    head = [(s.kind, s.text, s.element) for s in seed.segments if s.kind in HEAD_KINDS]
    assert head == [
        (K.TITLE, "Reasons for menopausal muscle twitching | Women's Health Matters", "title"),
        (
            K.META_DESCRIPTION,
            "Menopausal muscle twitching may be related to hormonal fluctuations, autonomic "
            "nervous system dysfunction, calcium deficiency, psychological factors and medication "
            "side effects.",
            "meta@content",
        ),
        (K.OG_TITLE, "Reasons for menopausal muscle twitching", "meta@content"),
        (
            K.OG_DESCRIPTION,
            "Why muscles twitch during menopause, and what helps: hormones, the autonomic "
            "nervous system, calcium, stress and medication.",
            "meta@content",
        ),
    ]
    assert seed.title == "Reasons for menopausal muscle twitching | Women's Health Matters"
    assert seed.slug == "menopause-muscle-twitching"
    assert seed.lang == "en-US"
    assert seed.format == "html"


def test_seed_article_image_alt_but_not_the_logo(seed: Article) -> None:
    alts = [s.text for s in seed.segments if s.kind is K.IMAGE_ALT]
    assert alts == ["A woman in her fifties massaging her calf after a muscle twitch"]


SEED_CHROME = [
    "Skip to content",
    "We use cookies",
    "Cookie Settings",
    "Accept All",  # skip link, cookie banner
    "Straight answers",
    "Pregnancy",
    "Mental Health",
    "About Us",
    "Search",  # masthead, nav, search
    "trail-item",
    "Home",  # breadcrumb
    "Senior Expert",
    "4 min read",
    "March 12, 2024",  # byline
    "Share this",
    "Facebook",
    "Pinterest",
    "Click to share",  # share bar (incl. link titles)
    "Tagged",
    "sleep</a>",  # tags
    "Post navigation",
    "Previous",
    "Night sweats",
    "Joint pain",  # post navigation
    "Comments (0)",
    "Leave a Comment",
    "Comments are moderated",
    "No comments yet",
    "Be the first",
    "Name*",
    "Post Comment",
    "About the Author",
    "Contributing Writer",
    "Related Posts",
    "Hot flashes at night",
    "calcium-rich foods",
    "Categories",  # sidebar
    "Stay Updated",
    "Subscribe to our newsletter",
    "Your email address",
    "for information only",
    "Privacy Policy",
    "Terms of Use",
    "Copyright",
    "All rights reserved",  # footer
    "index, follow",
    "summary_large_image",
    "WordPress",  # other metas
]


@pytest.mark.parametrize("chrome", SEED_CHROME)
def test_seed_chrome_never_reaches_a_segment(seed: Article, chrome: str) -> None:
    offenders = [s.text for s in seed.segments if chrome.lower() in s.text.lower()]
    assert offenders == []


def test_seed_site_name_meta_is_not_a_segment(seed: Article) -> None:
    assert "Women's Health Matters" not in [s.text for s in seed.segments]


def test_seed_segment_lines_and_spans_point_at_the_source(seed: Article) -> None:
    text = seed.text
    for segment in seed.segments:
        raw = text[segment.start : segment.end]
        if segment.attribute is None:
            assert normalize_inline(raw) == segment.text
        else:
            assert " ".join(html.unescape(raw).split()) == segment.text
        assert segment.line == text.count("\n", 0, segment.start) + 1
    h1 = next(s for s in seed.segments if s.kind is K.HEADING)
    assert h1.element == "h1"
    assert h1.line == text.count("\n", 0, text.index('itemprop="headline">Reasons')) + 1
    assert [s.index for s in seed.segments] == list(range(len(seed.segments)))


def test_seed_identity_and_translated_round_trip(seed: Article) -> None:
    assert rebuild(seed, {}, None) == seed.text
    assert seed.text == SEED_HTML.read_text(encoding="utf-8")
    translated = rebuild(seed, bracket_all(seed), "es")
    assert html_start_tag(translated) == '<html lang="es" class="no-js">'
    again = extract(translated, SEED_HTML.name)
    assert kinds_texts(again) == [(s.kind, f"[{s.text}]") for s in seed.segments]
    assert again.lang == "es"
    # everything outside the segments is untouched: chrome is still on the page
    assert '<h3 class="comments-title">Comments (0)</h3>' in translated
    assert translated.count("<script") == seed.text.count("<script")


# --------------------------------------------------------------------------------------------
# The shared NCI pages (real CMS fragments, EN and ES)
# --------------------------------------------------------------------------------------------


def test_the_shared_corpus_is_there() -> None:
    assert len(NCI_PAGES) == 34


@pytest.mark.parametrize("path", NCI_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_nci_identity_rebuild_is_lossless(path: Path) -> None:
    data = path.read_bytes()
    article = extract_article(path.name, data, Settings())
    assert article.text == data.decode("utf-8")
    assert len(article.segments) >= 3
    assert rebuild(article, {}, None) == article.text
    assert rebuild(article, {s.index: s.text for s in article.segments}, None) == article.text
    assert rebuild(article, lambda s: None, None) == article.text
    for segment in article.segments:  # every span holds its msgid
        raw = article.text[segment.start : segment.end]
        if segment.attribute is None:
            assert normalize_inline(raw) == segment.text
        else:
            assert " ".join(html.unescape(raw).split()) == segment.text


@pytest.mark.parametrize("path", NCI_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_nci_translated_round_trip(path: Path) -> None:
    article = extract_article(path.name, path.read_bytes(), Settings())
    translated = rebuild(article, bracket_all(article), "es")
    again = extract(translated, path.name)
    assert len(again.segments) == len(article.segments)
    assert kinds_texts(again) == [(s.kind, f"[{s.text}]") for s in article.segments]
    assert again.lang == "es"
    assert 'lang="es"' in translated


def test_nci_pages_keep_inline_markup_in_segments() -> None:
    # pr01 (en) links to cancer.gov inside its paragraphs: the <a> stays inside the paragraph segment.
    linked = [
        s
        for p in NCI_PAGES
        for s in extract_article(p.name, p.read_bytes(), Settings()).segments
        if "<a " in s.text
    ]
    assert linked, "the corpus has links inside paragraphs"
    for segment in linked:
        assert segment.text.count("<a ") == segment.text.count("</a>")


# --------------------------------------------------------------------------------------------
# Blocks and their kinds
# --------------------------------------------------------------------------------------------

BLOCKS_PAGE = page(
    head=(
        "<title>Aspirin and ovarian cancer</title>\n"
        '<meta name="description" content="Daily aspirin may lower the risk.">\n'
        '<meta property="og:title" content="Aspirin and risk">\n'
        '<meta property="og:description" content="What a new study found.">\n'
        '<meta property="og:site_name" content="Cancer Site">\n'
    ),
    body="""<article>
<h1>Main heading</h1>
<h2>Second level</h2>
<h3>Third level</h3>
<h4>Fourth level</h4>
<h5>Fifth level</h5>
<h6>Sixth level</h6>
<p>A plain paragraph of text.</p>
<p>See <a href="/faq" title="Frequently asked questions">the FAQ</a> today.</p>
<ul>
  <li>Outer item
    <ul>
      <li>Inner item</li>
    </ul>
  </li>
  <li>Second outer item</li>
</ul>
<ol><li>First step</li><li>Second step</li></ol>
<table>
  <caption>Table 1. Doses</caption>
  <thead><tr><th>Drug</th><th>Dose</th></tr></thead>
  <tbody><tr><td>Aspirin</td><td>81 mg daily</td></tr></tbody>
</table>
<figure>
  <img src="chart.png" alt="Chart of doses">
  <figcaption>Figure 1. Doses over time</figcaption>
</figure>
<blockquote>Aspirin is not for everyone.</blockquote>
<dl>
  <dt>Estrogen</dt>
  <dd>A hormone made mainly in the ovaries.</dd>
</dl>
</article>""",
)


def test_every_block_kind() -> None:
    article = extract(BLOCKS_PAGE)
    assert kinds_texts(article) == [
        (K.TITLE, "Aspirin and ovarian cancer"),
        (K.META_DESCRIPTION, "Daily aspirin may lower the risk."),
        (K.OG_TITLE, "Aspirin and risk"),
        (K.OG_DESCRIPTION, "What a new study found."),
        (K.HEADING, "Main heading"),
        (K.HEADING, "Second level"),
        (K.HEADING, "Third level"),
        (K.HEADING, "Fourth level"),
        (K.HEADING, "Fifth level"),
        (K.HEADING, "Sixth level"),
        (K.PARAGRAPH, "A plain paragraph of text."),
        (K.PARAGRAPH, 'See <a href="/faq" title="Frequently asked questions">the FAQ</a> today.'),
        (K.LINK_TITLE, "Frequently asked questions"),
        (K.LIST_ITEM, "Outer item"),
        (K.LIST_ITEM, "Inner item"),
        (K.LIST_ITEM, "Second outer item"),
        (K.LIST_ITEM, "First step"),
        (K.LIST_ITEM, "Second step"),
        (K.CAPTION, "Table 1. Doses"),
        (K.TABLE_CELL, "Drug"),
        (K.TABLE_CELL, "Dose"),
        (K.TABLE_CELL, "Aspirin"),
        (K.TABLE_CELL, "81 mg daily"),
        (K.IMAGE_ALT, "Chart of doses"),
        (K.FIGCAPTION, "Figure 1. Doses over time"),
        (K.BLOCKQUOTE, "Aspirin is not for everyone."),
        (K.TERM, "Estrogen"),
        (K.DEFINITION, "A hormone made mainly in the ovaries."),
    ]
    elements = {s.text: s.element for s in article.segments}
    assert elements["Sixth level"] == "h6"
    assert elements["Inner item"] == "li"
    assert elements["Drug"] == "th"
    assert elements["81 mg daily"] == "td"
    assert elements["Chart of doses"] == "img@alt"
    assert elements["Frequently asked questions"] == "a@title"
    assert elements["Daily aspirin may lower the risk."] == "meta@content"
    attributes = {s.text: s.attribute for s in article.segments}
    assert attributes["Main heading"] is None
    assert attributes["Chart of doses"] == "dq"


def test_block_kinds_translated_rebuild_keeps_structure() -> None:
    article = extract(BLOCKS_PAGE)
    translated = rebuild(article, bracket_all(article), "es")
    assert "<li>[Outer item]\n    <ul>\n      <li>[Inner item]</li>" in translated
    assert "<th>[Drug]</th><th>[Dose]</th>" in translated
    assert '<img src="chart.png" alt="[Chart of doses]">' in translated
    assert '<p>[See <a href="/faq" title="[Frequently asked questions]">the FAQ</a> today.]</p>' in translated
    assert '<meta property="og:site_name" content="Cancer Site">' in translated


def test_link_title_translation_survives_a_translated_paragraph() -> None:
    # The <a title> is its own segment (LINK_TITLE) and also sits, raw, inside the paragraph's msgid.
    # A translator translates both entries; the published page must carry both translations.
    article = extract(page('<article><p>See <a href="/faq" title="Questions">the FAQ</a> now.</p></article>'))
    para = next(s for s in article.segments if s.kind is K.PARAGRAPH)
    link = next(s for s in article.segments if s.kind is K.LINK_TITLE)
    only_title = rebuild(article, {link.index: "Preguntas frecuentes"}, None)
    assert '<p>See <a href="/faq" title="Preguntas frecuentes">the FAQ</a> now.</p>' in only_title
    both = rebuild(
        article,
        {
            para.index: 'Vea <a href="/faq" title="Questions">las preguntas</a> ahora.',
            link.index: "Preguntas frecuentes",
        },
        None,
    )
    assert "las preguntas" in both
    assert 'title="Preguntas frecuentes"' in both


def test_image_alt_translation_survives_a_translated_paragraph() -> None:
    article = extract(page('<article><p>Take one <img alt="A white pill" src="p.png"> daily.</p></article>'))
    para = next(s for s in article.segments if s.kind is K.PARAGRAPH)
    alt = next(s for s in article.segments if s.kind is K.IMAGE_ALT)
    assert para.text == 'Take one <img alt="A white pill" src="p.png"> daily.'
    out = rebuild(
        article,
        {
            para.index: 'Tome una <img alt="A white pill" src="p.png"> al día.',
            alt.index: "Una pastilla blanca",
        },
        None,
    )
    assert "Tome una" in out
    assert 'alt="Una pastilla blanca"' in out


# --------------------------------------------------------------------------------------------
# Inline markup stays inside its segment
# --------------------------------------------------------------------------------------------

INLINE = (
    'Take <a href="/aspirin">aspirin</a> with <strong>food</strong>, <em>not</em> <b>alone</b> '
    "<i>ever</i>: H<sub>2</sub>O, 10<sup>3</sup> cells, <code>dose()</code> and "
    '<span class="drug">ibuprofen</span><br>on a new line.'
)


def test_inline_markup_stays_inside_one_segment() -> None:
    article = extract(page(f"<article>\n<p>{INLINE}</p>\n</article>"))
    body = [s for s in article.segments if s.kind not in HEAD_KINDS]
    assert [(s.kind, s.text) for s in body] == [(K.PARAGRAPH, INLINE)]
    translated = INLINE.replace("Take", "Tome").replace("food", "comida")
    out = rebuild(article, {body[0].index: translated}, None)
    assert out == article.text.replace(INLINE, translated)


def test_br_in_the_middle_is_kept_but_edges_are_trimmed() -> None:
    source = page("<article><p>&nbsp;<br>First line<br/>second line<br />&nbsp; </p></article>")
    article = extract(source)
    (segment,) = [s for s in article.segments if s.kind is K.PARAGRAPH]
    assert segment.text == "First line<br/>second line"
    out = rebuild(article, {segment.index: "Primera<br/>segunda"}, None)
    assert "<p>&nbsp;<br>Primera<br/>segunda<br />&nbsp; </p>" in out


def test_whitespace_collapses_and_comments_drop_from_msgid() -> None:
    source = page("<article><p>\n   Many   spaces\n\tand <!-- editor note --> tabs\n  here.  </p></article>")
    (segment,) = [s for s in extract(source).segments if s.kind is K.PARAGRAPH]
    assert segment.text == "Many spaces and tabs here."


def test_text_between_nested_blocks_is_its_own_segment() -> None:
    source = page(
        "<article><div>Lead text before the list.<ul><li>One item</li></ul>Text after it.</div></article>"
    )
    body = [(s.kind, s.text) for s in extract(source).segments if s.kind not in HEAD_KINDS]
    assert body == [
        (K.PARAGRAPH, "Lead text before the list."),
        (K.LIST_ITEM, "One item"),
        (K.PARAGRAPH, "Text after it."),
    ]


# --------------------------------------------------------------------------------------------
# Content that is kept but not extracted
# --------------------------------------------------------------------------------------------

KEPT_BLOCKS = [
    '<p translate="no">KEEPONE brand name text</p>',
    '<p class="note notranslate">KEEPTWO product text</p>',
    "<pre>KEEPTHREE preformatted\n    text  with   spaces</pre>",
    "<div><code>KEEPFOUR_call(dose=1)</code></div>",
    '<script>var KEEPFIVE = "some words here";</script>',
    '<style>.x::after { content: "KEEPSIX words"; }</style>',
    "<noscript>KEEPSEVEN enable javascript</noscript>",
    '<div translate="no"><p>KEEPEIGHT nested paragraph</p></div>',
    '<p><span class="notranslate">KEEPNINE only untranslatable</span></p>',
]


def test_untranslatable_content_is_never_extracted_but_kept_byte_identical() -> None:
    source = page(
        "<article>\n<h1>Visible heading</h1>\n<p>Visible paragraph of text.</p>\n"
        + "\n".join(KEPT_BLOCKS)
        + "\n<p>Closing paragraph.</p>\n</article>"
    )
    article = extract(source)
    texts = [s.text for s in article.segments]
    assert texts == ["Visible heading", "Visible paragraph of text.", "Closing paragraph."]
    assert not any("KEEP" in t for t in texts)
    assert rebuild(article, {}, None) == source
    translated = rebuild(article, bracket_all(article), "fr")
    for block in KEPT_BLOCKS:
        assert block in translated
    assert "<p>[Visible paragraph of text.]</p>" in translated


def test_inline_notranslate_stays_raw_inside_its_paragraph() -> None:
    source = page('<article><p>Take <span translate="no">Brandex</span> twice a day.</p></article>')
    (segment,) = [s for s in extract(source).segments if s.kind is K.PARAGRAPH]
    assert segment.text == 'Take <span translate="no">Brandex</span> twice a day.'


def test_notranslate_image_alt_is_not_extracted() -> None:
    source = page(
        '<article><p>Text with a logo <img alt="Brandex logo" class="notranslate" src="l.png"> '
        'and <img alt="A pill" src="p.png">.</p></article>'
    )
    alts = [s.text for s in extract(source).segments if s.kind is K.IMAGE_ALT]
    assert alts == ["A pill"]


# --------------------------------------------------------------------------------------------
# Include / exclude CSS selectors from settings
# --------------------------------------------------------------------------------------------

SELECTOR_PAGE = page("""<div id="layout">
<div id="story">
<p>Story paragraph one, with the real content of the article.</p>
<div class="callout"><p>Callout box text that the site wants left out.</p></div>
<p>Story paragraph two, still the real content.</p>
</div>
<div id="notes"><p>Editorial notes that live outside the story container.</p></div>
</div>""")


def settings_with(tmp_path: Path, toml: str) -> Settings:
    (tmp_path / "medloc.toml").write_text(toml, encoding="utf-8")
    return load_settings(tmp_path, env={})


def body_texts(article: Article) -> list[str]:
    return [s.text for s in article.segments if s.kind not in HEAD_KINDS]


def test_include_selector_picks_the_body(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, '[extract]\ninclude = ["#notes"]\n')
    assert settings.extract.include == ["#notes"]
    assert body_texts(extract(SELECTOR_PAGE, settings=settings)) == [
        "Editorial notes that live outside the story container."
    ]


def test_several_include_selectors_in_document_order(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, '[extract]\ninclude = ["#notes", "div#story > p:first-child"]\n')
    assert body_texts(extract(SELECTOR_PAGE, settings=settings)) == [
        "Story paragraph one, with the real content of the article.",
        "Editorial notes that live outside the story container.",
    ]


def test_exclude_selector_drops_a_box(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, '[extract]\ninclude = ["#story"]\nexclude = ["div.callout"]\n')
    assert body_texts(extract(SELECTOR_PAGE, settings=settings)) == [
        "Story paragraph one, with the real content of the article.",
        "Story paragraph two, still the real content.",
    ]
    without = settings_with(tmp_path, '[extract]\ninclude = ["#story"]\n')
    assert "Callout box text that the site wants left out." in body_texts(
        extract(SELECTOR_PAGE, settings=without)
    )


def test_exclude_selector_with_automatic_body(tmp_path: Path) -> None:
    source = page(
        "<article><h1>Heading here</h1><p>Body text of the article.</p>"
        '<p data-kind="promo-x">Buy our vitamins today.</p></article>'
    )
    assert "Buy our vitamins today." in body_texts(extract(source))
    settings = settings_with(tmp_path, "[extract]\nexclude = ['p[data-kind^=\"promo\"]']\n")
    assert body_texts(extract(source, settings=settings)) == ["Heading here", "Body text of the article."]


def test_include_selector_matching_nothing_is_an_error(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, '[extract]\ninclude = ["#missing"]\n')
    with pytest.raises(MedlocError) as info:
        extract_article("page.html", SELECTOR_PAGE.encode(), settings, origin="source_articles/page.html")
    assert "#missing" in str(info.value)
    assert "source_articles/page.html" in str(info.value)


def test_invalid_selector_is_an_error(tmp_path: Path) -> None:
    settings = settings_with(tmp_path, '[extract]\nexclude = ["div[[["]\n')
    with pytest.raises(MedlocError) as info:
        extract(SELECTOR_PAGE, settings=settings)
    assert "div[[[" in str(info.value)


# --------------------------------------------------------------------------------------------
# Pages without semantic markup
# --------------------------------------------------------------------------------------------

PARAS = [
    "Hot flashes are sudden feelings of warmth, usually most intense over the face, neck and chest, "
    "and they can last from a few seconds to several minutes.",
    "Night sweats are hot flashes that happen during sleep, and they can wake a person, soak the "
    "bedding and leave her tired the next day.",
    "Keeping the bedroom cool, dressing in layers, avoiding spicy food and alcohol, and paced breathing "
    "can help, and a doctor can discuss hormone therapy.",
]

DIVS_ONLY = f"""<!DOCTYPE html>
<html><head><title>Hot flashes</title></head>
<body>
<div class="wrap">
  <div class="top"><a href="/">Home page link</a> | <a href="/a">About this site</a> |
    <a href="/c">Contact us</a></div>
  <div class="left">
    <div class="box"><a href="/x">Popular link one</a><br><a href="/y">Popular link two</a></div>
  </div>
  <div class="c1">
    <div class="headline">Hot flashes and night sweats</div>
    <p>{PARAS[0]}</p>
    <p>{PARAS[1]}</p>
    <p>{PARAS[2]}</p>
  </div>
  <div class="bottom"><p><a href="/p">Privacy</a> <a href="/t">Terms</a></p></div>
</div>
</body></html>
"""


def test_page_of_divs_still_finds_the_article() -> None:
    article = extract(DIVS_ONLY)
    body = body_texts(article)
    assert body[-3:] == PARAS
    for chrome in ("Home page link", "About this site", "Popular link", "Privacy", "Terms"):
        assert not any(chrome in t for t in body), chrome
    assert rebuild(article, {}, None) == DIVS_ONLY


# --------------------------------------------------------------------------------------------
# lang / dir
# --------------------------------------------------------------------------------------------


def test_rtl_locale_sets_dir(seed: Article) -> None:
    tag = html_start_tag(rebuild(seed, {}, "ar"))
    assert 'lang="ar"' in tag and 'dir="rtl"' in tag and "en-US" not in tag
    for locale, lang in (("he", "he"), ("fa", "fa"), ("ar_EG", "ar-EG")):
        tag = html_start_tag(rebuild(seed, {}, locale))
        assert f'lang="{lang}"' in tag and 'dir="rtl"' in tag, locale
    for locale in ("es", "fr", "zh_CN"):
        tag = html_start_tag(rebuild(seed, {}, locale))
        assert "dir=" not in tag, locale
    assert 'lang="zh-CN"' in html_start_tag(rebuild(seed, {}, "zh_CN"))


def test_rtl_rebuilt_page_re_extracts_with_new_lang(seed: Article) -> None:
    again = extract(rebuild(seed, {}, "ar"))
    assert again.lang == "ar"
    assert kinds_texts(again) == kinds_texts(seed)


def test_lang_on_first_element_of_a_fragment() -> None:
    source = '<div class="body"><p>A short fragment of text.</p></div>\n'
    article = extract(source)
    assert (
        rebuild(article, {}, "es") == '<div class="body" lang="es"><p>A short fragment of text.</p></div>\n'
    )
    assert rebuild(article, {}, "he") == (
        '<div class="body" lang="he" dir="rtl"><p>A short fragment of text.</p></div>\n'
    )
    assert rebuild(article, {}, None) == source


def test_html_without_lang_gets_one() -> None:
    source = "<html><body><p>Text of the page here.</p></body></html>"
    assert rebuild(extract(source), {}, "de").startswith('<html lang="de"><body>')


def test_existing_dir_is_replaced_for_rtl() -> None:
    source = '<html lang="en" dir="ltr"><body><p>Text of the page here.</p></body></html>'
    tag = html_start_tag(rebuild(extract(source), {}, "ar"))
    assert tag == '<html lang="ar" dir="rtl">'


def test_rtl_source_translated_to_ltr_locale_is_not_left_rtl() -> None:
    # An Arabic page translated into Spanish must not keep dir="rtl" (it would render right-to-left).
    source = '<html lang="ar" dir="rtl"><body><p>نص الصفحة هنا.</p></body></html>'
    tag = html_start_tag(rebuild(extract(source), {}, "es"))
    assert 'lang="es"' in tag
    assert 'dir="rtl"' not in tag


# --------------------------------------------------------------------------------------------
# Stability, entities, attribute escaping
# --------------------------------------------------------------------------------------------


def test_extraction_is_stable(seed: Article) -> None:
    data = SEED_HTML.read_bytes()
    again = extract_article(
        SEED_HTML.name, data, Settings(), origin="source_articles/menopause-muscle-twitching.html"
    )
    assert again.segments == seed.segments
    for path in NCI_PAGES[:4]:
        first = extract_article(path.name, path.read_bytes(), Settings())
        second = extract_article(path.name, path.read_bytes(), Settings())
        assert first.segments == second.segments


def test_entities_decoded_except_markup_ones() -> None:
    source = page(
        "<article><p>La dosis m&#225;xima es 4&nbsp;g &amp; no m&aacute;s de &lt;5&gt; "
        "d&#xED;as &quot;seguidos&quot; &#8212; O&#039;Brien.</p></article>"
    )
    (segment,) = [s for s in extract(source).segments if s.kind is K.PARAGRAPH]
    assert segment.text == 'La dosis máxima es 4\u00a0g &amp; no más de &lt;5&gt; días "seguidos" — O\'Brien.'


def test_entity_in_attribute_decoded_and_escaped_back() -> None:
    source = page('<article><p>Text <img alt="Caf&#233; &amp; t&eacute;" src="c.png"> here.</p></article>')
    article = extract(source)
    alt = next(s for s in article.segments if s.kind is K.IMAGE_ALT)
    assert alt.text == "Café & té"
    out = rebuild(article, {alt.index: 'Café "fuerte" & <té>'}, None)
    assert 'alt="Café &quot;fuerte&quot; &amp; &lt;té&gt;"' in out
    again = next(s for s in extract(out).segments if s.kind is K.IMAGE_ALT)
    assert again.text == 'Café "fuerte" & <té>'


def test_unquoted_and_single_quoted_attributes_rebuild_as_valid_html() -> None:
    source = page(
        "<article><p>A <img alt=Chart src=c.png> and <img alt='Pie chart' src=p.png> here.</p></article>"
    )
    article = extract(source)
    alts = {s.text: s for s in article.segments if s.kind is K.IMAGE_ALT}
    assert set(alts) == {"Chart", "Pie chart"}
    out = rebuild(
        article,
        {alts["Chart"].index: "Gráfico de barras", alts["Pie chart"].index: "Gráfico 'circular'"},
        None,
    )
    assert '<img alt="Gráfico de barras" src=c.png>' in out
    assert "<img alt='Gráfico &#x27;circular&#x27;' src=p.png>" in out
    assert {s.text for s in extract(out).segments if s.kind is K.IMAGE_ALT} == {
        "Gráfico de barras",
        "Gráfico 'circular'",
    }


def test_partial_translation_falls_back_to_source() -> None:
    source = page("<article><h1>Title one</h1><p>First paragraph.</p><p>Second paragraph.</p></article>")
    article = extract(source)
    first = next(s for s in article.segments if s.text == "First paragraph.")
    out = rebuild(article, {first.index: "Primer párrafo."}, None)
    assert out == source.replace("First paragraph.", "Primer párrafo.")
    by_function = rebuild(article, lambda s: "Primer párrafo." if s.index == first.index else None, None)
    assert by_function == out


# --------------------------------------------------------------------------------------------
# Fragments and pages without <body>
# --------------------------------------------------------------------------------------------


def test_fragment_without_wrapper_element() -> None:
    # A CMS body export or Markdown-rendered HTML: top-level blocks, no <div>, no <body>.
    source = (
        "<h1>Calcium</h1>\n<p>Calcium keeps bones strong, and most adults need about 1000 mg a day.</p>\n"
        "<p>Dairy, tofu and leafy greens are good sources.</p>\n"
    )
    article = extract(source)
    assert kinds_texts(article) == [
        (K.HEADING, "Calcium"),
        (K.PARAGRAPH, "Calcium keeps bones strong, and most adults need about 1000 mg a day."),
        (K.PARAGRAPH, "Dairy, tofu and leafy greens are good sources."),
    ]
    assert rebuild(article, {}, None) == source
    assert rebuild(article, {}, "es").startswith('<h1 lang="es">Calcium</h1>')


def test_fragment_with_one_short_paragraph() -> None:
    assert kinds_texts(extract("<p>Short note.</p>")) == [(K.PARAGRAPH, "Short note.")]


def test_page_without_body_tag_does_not_repeat_the_title() -> None:
    # The <body> start tag is optional in HTML; the <title> is a TITLE segment once, never a paragraph.
    source = "<html><head><title>Calcium facts</title></head><p>Calcium keeps bones strong.</p></html>"
    assert kinds_texts(extract(source)) == [
        (K.TITLE, "Calcium facts"),
        (K.PARAGRAPH, "Calcium keeps bones strong."),
    ]


def test_valueless_lang_attribute_is_replaced_not_duplicated() -> None:
    source = "<html lang><body><p>Some text here.</p></body></html>"
    assert html_start_tag(rebuild(extract(source), {}, "es")) == '<html lang="es">'
    assert html_start_tag(rebuild(extract(source), {}, "ar")) == '<html lang="ar" dir="rtl">'
