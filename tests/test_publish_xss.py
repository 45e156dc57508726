"""A translator's msgstr cannot inject anything into a published page.

OWASP XSS filter-evasion vectors go into every msgstr of the Spanish catalog (one published page per
vector). The page is parsed twice (Python's html.parser and libxml2 via lxml) and must contain no
element or attribute the English page lacks, no event handler and no javascript:/data: URL; the
vector's text must still be visible (escaped, not dropped). Then every page is opened in headless
Chromium: no payload ran (no alert, the globals the payloads set stay unset) and the live DOM holds
only the source's elements and attributes.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import headless_chromium
from bs4 import BeautifulSoup
from publish_support import SLUG, decisions, make_project, write_po

from medloc.publish import publish_project
from medloc.sanitize import sanitize

ALT = "Chart of risk"
LINK = '<a href="https://www.cancer.gov/about-cancer/aspirin">NCI</a>'
VECTORS = [
    "<script>window.__pwned=1;alert(1)</script>",
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    '<IMG SRC="javascript:window.__pwned=2">',
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    '<img src=x onerror="window.__pwned=3;alert(3)">',
    "<svg/onload=window.__pwned=4>",
    "<svg><script>window.__pwned=5</script></svg>",
    '<a href="jav&#x09;ascript:window.__pwned=6">click</a>',
    '<a href="jav\tascript:window.__pwned=6">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;window.__pwned=7">x</a>',
    '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
    '<a href="  javascript:window.__pwned=8">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<iframe src="javascript:parent.__pwned=9"></iframe>',
    '<iframe srcdoc="<script>parent.__pwned=10</script>"></iframe>',
    '<div style="background-image: url(javascript:alert(1))">x</div>',
    '<span style="width: expression(alert(1))">x</span>',
    "<body onload=window.__pwned=11>",
    '<a href="https://www.cancer.gov/about-cancer/aspirin" onmouseover="window.__pwned=12">NCI</a>',
    '<strong onclick="window.__pwned=13">aspirina</strong>',
    '<a href="https://www.cancer.gov/about-cancer/aspirin">enlace sin cerrar',
    '<strong>negrita sin cerrar <a href="https://www.cancer.gov/about-cancer/aspirin">y enlace',
    '<img src="/images/chart.png" alt="x" onerror="window.__pwned=14"',
    "<<SCRIPT>window.__pwned=15;//<</SCRIPT>",
    '<IMG """><SCRIPT>window.__pwned=16</SCRIPT>">',
    '<object data="javascript:window.__pwned=17"></object><embed src="javascript:alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=18>",
    '<noscript><p title="</noscript><img src=x onerror=window.__pwned=19>">',
    "<input autofocus onfocus=window.__pwned=20>",
    "<details open ontoggle=window.__pwned=21>",
    "<!--<img src=x onerror=window.__pwned=22>-->",
    "<![CDATA[<script>window.__pwned=23</script>]]>",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=24">',
    '<base href="javascript:alert(1)//">',
    "<link rel=import href=data:text/html,<script>alert(1)</script>>",
    "&lt;script&gt;window.__pwned=25&lt;/script&gt;",
    f"{LINK}</a></strong></p><script>window.__pwned=26</script>",
    f'<img src="/images/chart.png" alt="{ALT}" src="javascript:window.__pwned=27">',
    "<style>@import 'javascript:alert(1)';</style>",
    "<textarea><script>window.__pwned=28</script></textarea>",
    "<sCrIpT>window.__pwned=29</ScRiPt>",
    '"><script>window.__pwned=30</script>',
    "' onmouseover='window.__pwned=31",
    '<a href="https://www.cancer.gov/about-cancer/aspirin" style="position:fixed;inset:0">NCI</a>',
    "<form action=javascript:alert(1)><button>x</button></form>",
]
URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "srcdoc", "background"}
BAD_URL = re.compile(r"^\s*(javascript|data|vbscript)\s*:", re.IGNORECASE)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path, Path]]:
    """(vector, published es page, published en page) for every vector."""
    out = []
    for number, vector in enumerate(VECTORS):
        settings = make_project(tmp_path_factory.mktemp(f"xss{number}"))
        write_po(settings, "es", lambda _s, v=vector: f"Texto {v} fin")
        result = publish_project(settings, decisions=decisions({"en": True, "es": True}))
        assert not result.errors and len(result.published) == 2, result
        out.append((vector, settings.root / "publish" / "es" / f"{SLUG}.html",
                    settings.root / "publish" / "en" / f"{SLUG}.html"))
    return out


def _shape(path: Path, parser: str) -> tuple[set[tuple[str, str]], set[str], set[str]]:
    """(element, attribute) pairs (attribute "" for the element itself), the URLs in the article body
    (<main>: head links differ by language on purpose), and every URL of the page."""
    document = BeautifulSoup(path.read_text(encoding="utf-8"), parser)
    pairs: set[tuple[str, str]] = set()
    urls: set[str] = set()
    body: set[str] = set()
    for element in document.find_all(True):
        pairs.add((element.name, ""))
        for name, value in element.attrs.items():
            pairs.add((element.name, name))
            if name in URL_ATTRS:
                url = value if isinstance(value, str) else " ".join(value)
                urls.add(url)
                if element.find_parent("main") is not None:
                    body.add(url)
    return pairs, body, urls


@pytest.mark.parametrize("parser", ["html.parser", "lxml"])
def test_no_vector_survives_parsing(pages, parser: str) -> None:
    for vector, es, en in pages:
        pairs, urls, everywhere = _shape(es, parser)
        allowed, allowed_urls, _ = _shape(en, parser)
        allowed_urls |= {u.replace("https://www.cancer.gov/", "https://www.cancer.gov/espanol/")
                         for u in allowed_urls}
        assert pairs <= allowed, (vector, pairs - allowed)
        assert urls <= allowed_urls, (vector, urls - allowed_urls)
        assert not any(BAD_URL.match(u) for u in everywhere), vector
        assert not any(name.startswith("on") for _, name in pairs), vector


def test_hostile_text_stays_visible(pages) -> None:
    for vector, es, _ in pages:
        text = BeautifulSoup(es.read_text(encoding="utf-8"), "html.parser").find("main").get_text()
        if vector.startswith(("<a href=\"https://www.cancer.gov/about-cancer/aspirin\">", "<strong>")):
            continue  # allowed markup: rendered as markup, its words stay
        visible = BeautifulSoup(vector, "html.parser").get_text() if vector.startswith("&") else vector
        if "&" not in vector:
            assert vector.split(">")[0].strip() in text, vector  # the refused tag is shown as written
        else:
            assert visible.split(";")[0][:6] in text or vector[:6] in text, vector


def test_attribute_segments_with_hostile_text_are_escaped(tmp_path: Path) -> None:
    settings = make_project(tmp_path)
    hostile = '"><script>window.__pwned=40</script><img src=x onerror=alert(1) alt="'
    write_po(settings, "es", lambda s: hostile if s in (ALT, "What aspirin does to cancer risk.") else s)
    publish_project(settings, decisions=decisions({"es": True}))
    page = BeautifulSoup((tmp_path / "publish" / "es" / f"{SLUG}.html").read_text(encoding="utf-8"), "lxml")
    assert page.find("script") is None and len(page.find_all("img")) == 1
    assert page.find("img")["alt"] == hostile
    assert page.find("meta", attrs={"name": "description"})["content"] == hostile


def test_allowed_markup_keeps_working() -> None:
    source = 'See <a href="https://www.cancer.gov/x">this</a> <em>now</em>'
    assert sanitize('Vea <em>ya</em> <a href="https://www.cancer.gov/x">esto</a>', source).html == \
        'Vea <em>ya</em> <a href="https://www.cancer.gov/x">esto</a>'
    unclosed = sanitize('Vea <a href="https://www.cancer.gov/x">esto', source)
    assert unclosed.html == 'Vea <a href="https://www.cancer.gov/x">esto</a>'  # closed inside the segment
    stray = sanitize("Vea </em> esto", source)
    assert stray.html == "Vea &lt;/em&gt; esto" and stray.escaped == ("</em>",)


# ---------------------------------------------------------------- headless Chromium
DOM_SHAPE = """
const pairs = [];
for (const el of document.querySelectorAll('*')) {
  pairs.push(el.localName + '|');
  for (const a of el.attributes) pairs.push(el.localName + '|' + a.name);
}
return pairs;
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with headless_chromium("1200,900") as driver:
        yield driver


def test_no_payload_runs_in_chromium(browser, pages, tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    driver = browser
    for vector, es, en in pages:
        driver.get(en.as_uri())
        allowed = set(driver.execute_script(DOM_SHAPE))
        driver.get(es.as_uri())
        try:
            alert = driver.switch_to.alert
            text = alert.text
            alert.dismiss()
            pytest.fail(f"an alert ran ({text!r}) for {vector!r}")
        except NoAlertPresentException:
            pass
        for element in driver.find_elements("css selector", "main *"):  # hover/focus handlers too
            try:
                element.click()
            except Exception:  # hidden or covered elements: the click is best-effort
                continue
            break
        if driver.current_url != es.as_uri():  # a link navigated away: back to the page
            driver.get(es.as_uri())
        assert driver.execute_script("return typeof window.__pwned") == "undefined", vector
        assert driver.execute_script("return document.title").startswith("Texto "), vector  # escaped text
        shape = set(driver.execute_script(DOM_SHAPE))
        assert shape <= allowed, (vector, shape - allowed)
    driver.get(pages[0][1].as_uri())
    driver.save_screenshot(str(tmp_path / "xss-page.png"))
    shutil.copy(tmp_path / "xss-page.png", Path(tempfile.gettempdir()) / "medloc-publish-xss.png")
