"""Hostile input (issue 7, part 5): what an attacker or a careless upload can put in front of medloc.

- slugs and front matter that try to leave their folder (`../`, absolute paths, NUL, look-alikes);
- symbolic links in source_articles/ (outside files, directories, loops, dangling);
- XML entity bombs and external entities in TBX, TMX, sitemaps and feeds (a local HTTP server
  proves no external entity is ever fetched);
- oversized source, PO, glossary and TMX files;
- the reviewer's HTML report with script in every field a finding, score, fix or waiver carries, and
  published pages fed a hostile msgstr in every segment.
Each case must be refused with our error naming the file, or rendered inert; every HTML output is
parsed (bs4, two parsers) and may hold no foreign script element, event handler or javascript: URL.
Counts go to the reliability record (tests/reliability.py).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from publish_support import SLUG, decisions, make_project, write_po
from reliability import Recorder, Tally

from medloc.catalog import read_catalog
from medloc.config import Settings, load_settings
from medloc.extract import extract_article
from medloc.glossary.load import MAX_FILE_BYTES as GLOSSARY_MAX
from medloc.glossary.load import load_glossary
from medloc.glossary.tbx import parse_tbx
from medloc.model import Finding, MedlocError, Severity, SourceDocument
from medloc.pipeline import process_document
from medloc.publish import publish_project
from medloc.report.html import JS, html_chunks, render_html
from medloc.report.model import Report, ReportFinding
from medloc.scoring import Gate, Score
from medloc.sources.feeds import parse_listing
from medloc.sources.folder import scan_folder
from medloc.tmx import read_tmx


def refused(tally: Tally, path: str, call: object, *args: object, **kwargs: object) -> MedlocError:
    """Call; it must raise MedlocError naming `path`. Counts the case (as rejected, or as failed)."""
    try:
        call(*args, **kwargs)  # type: ignore[operator]
    except MedlocError as exc:
        if exc.path != path:
            tally.add(failed=1)
            tally.example(f"error names {exc.path!r}, expected {path!r}: {exc}")
            raise AssertionError(f"error names {exc.path!r}, expected {path!r}") from exc
        tally.add(rejected=1)
        return exc
    except Exception as exc:
        tally.add(unhandled=1)
        tally.example(f"{type(exc).__name__}: {exc}")
        raise
    tally.add(failed=1)
    tally.example(f"accepted: {args[:2]!r:.200} {kwargs!r:.200}")
    raise AssertionError(f"accepted hostile input {args[:2]!r:.200} {kwargs!r:.200}")


# ---------------------------------------------------------------- slugs and front matter

HOSTILE_SLUGS = [
    "../../etc/x",
    "../x",
    "..",
    ".",
    "/etc/passwd",
    "/tmp/x",
    "a/b",
    "a\\b",
    "C:\\Windows\\x",
    "a\x00b",
    "x\x00",
    "ａｂｃ",
    "ѕlug",
    "slug\u200b",
    "sl\u0131ug",
    "Slug",
    "-x",
    "x y",
    "x\n",
    "%2e%2e%2fx",
    "~root",
    "x" * 121,
    "",
    "café",
    "x.html",
    "x/../../y",
    "\u202ex",
    "CON",
    "x;rm -rf /",
]


def test_hostile_slugs_are_refused(reliability: Recorder, tmp_path: Path) -> None:
    tally = reliability.tally(
        "hostile",
        "Slugs from file names, front matter and sources that try to leave "
        "their folder (../, absolute, NUL, look-alikes, 30 forms × 3 ways)",
        "refused with MedlocError naming the file; no file written outside the project",
    )
    settings = Settings()
    for slug in HOSTILE_SLUGS:
        origin = "source_articles/article.md"
        front = "---\nslug: " + json.dumps(slug) + "\ntitle: T\n---\n# Heading\n\nText.\n"
        refused(tally, origin, extract_article, "article.md", front.encode(), settings, origin=origin)
        if slug:  # slug="" means "none given": the file name's stem is used
            refused(
                tally,
                origin,
                extract_article,
                "article.html",
                b"<p>Text here.</p>",
                settings,
                origin=origin,
                slug=slug,
            )
        if "/" not in slug and "\x00" not in slug and slug not in ("", ".", ".."):
            name = f"{slug}.txt"
            refused(
                tally,
                f"source_articles/{name}",
                extract_article,
                name,
                b"Title\n\nText.\n",
                settings,
                origin=f"source_articles/{name}",
            )
        else:
            tally.add(rejected=1)  # cannot even be a file name: the file system refuses it first
    # Through the whole per-article pipeline, in a project folder: nothing appears outside it.
    project = tmp_path / "project"
    (project / "source_articles").mkdir(parents=True)
    (project / "medloc.toml").write_text('[project]\nlocales = ["es"]\n', encoding="utf-8")
    settings = load_settings(project, env={})
    before = set(tmp_path.rglob("*"))
    for slug in HOSTILE_SLUGS[:10]:
        front = "---\nslug: " + json.dumps(slug) + "\n---\n# Heading\n\nText.\n"
        result = process_document(SourceDocument("a.md", "source_articles/a.md", front.encode()), settings)
        ok = result.error is not None and "invalid slug" in result.error and not result.outputs
        tally.add(rejected=int(ok), failed=int(not ok))
    outside = {p for p in set(tmp_path.rglob("*")) - before if not p.is_relative_to(project)}
    tally.add(corrupted=len(outside))
    assert tally.bad == 0, tally.examples
    assert not outside


def test_front_matter_billion_laughs(reliability: Recorder) -> None:
    """Regression: `slug: *bomb` made str() expand 9^9 list items and hang the run."""
    tally = reliability.tally(
        "hostile",
        "YAML alias bombs (billion laughs) in Markdown front matter and glossary files",
        "refused or loaded in bounded time (< 2 s each)",
    )
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        levels.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]")
    for key in ("slug", "title", "description", "lang"):
        text = "---\n" + "\n".join(levels) + f"\n{key}: *i\n---\n# Title\n\nBody text.\n"
        started = time.perf_counter()
        error = refused(tally, "x.md", extract_article, "x.md", text.encode(), Settings())
        assert time.perf_counter() - started < 2 and error.line == 11, error
    # Glossary: YAML is composed into nodes (aliases shared, never expanded); a nested list is refused.
    chain = ["&a [" + ",".join(["lol"] * 9) + "]"]
    chain += [f"&{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]" for i in range(1, 9)]
    glossary = "- id: bomb\n  term: bomb\n  allowed: [" + ", ".join(chain) + "]\n"
    started = time.perf_counter()
    refused(tally, "glossary/bomb.yaml", load_glossary_text, glossary)
    assert time.perf_counter() - started < 2


def load_glossary_text(text: str) -> object:
    from medloc.glossary.load import parse_text

    return parse_text(text, "glossary/bomb.yaml")


# ---------------------------------------------------------------- symbolic links


def test_symlinks_in_source_articles(reliability: Recorder, tmp_path: Path) -> None:
    tally = reliability.tally(
        "hostile",
        "Symbolic links in source_articles/ (outside file, outside folder, "
        "folder loop, self loop, dangling, link to /etc/passwd)",
        "reported by name, never read; good articles still found; the scan ends",
    )
    project = tmp_path / "project"
    src = project / "source_articles"
    src.mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET\n\nDo not read.\n", encoding="utf-8")
    outside_dir = tmp_path / "outside"
    outside_dir.mkdir()
    (outside_dir / "leak.txt").write_text("LEAK\n\nOutside text.\n", encoding="utf-8")
    (src / "good.txt").write_text("Good title\n\nGood text.\n", encoding="utf-8")
    links = {
        "outside-file.txt": secret,
        "passwd.txt": Path("/etc/passwd"),
        "dangling.txt": tmp_path / "nope.txt",
        "outside-dir": outside_dir,
        "loop-dir": src,
        "self.txt": src / "self.txt",
        "ping.txt": src / "pong.txt",
        "pong.txt": src / "ping.txt",
    }
    for name, target in links.items():
        os.symlink(target, src / name)
    os.symlink(project, src / "parent-loop")
    settings = load_settings(project, env={})
    started = time.perf_counter()
    scan = scan_folder(settings)
    elapsed = time.perf_counter() - started
    read = b"".join(d.data for d in scan.documents)
    names = [d.origin for d in scan.documents]
    reported = " ".join(str(e) for e in scan.errors)
    leaked = int(b"SECRET" in read) + int(b"LEAK" in read) + int(b"root:" in read)
    expected_reports = ["outside-file.txt", "passwd.txt", "dangling.txt", "self.txt", "ping.txt", "pong.txt"]
    missing = [n for n in expected_reports if n not in reported]
    tally.add(n=len(links) + 1, rejected=len(expected_reports) - len(missing), failed=len(missing) + leaked)
    if missing or leaked:
        tally.example(f"not reported: {missing}; leaked: {leaked}; read: {names}")
    assert "source_articles/good.txt" in names
    assert not leaked, names
    assert not missing, reported
    assert elapsed < 10


# ---------------------------------------------------------------- XML: bombs and external entities

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
"""
QUADRATIC = '<?xml version="1.0"?>\n<!DOCTYPE q [<!ENTITY a "' + "a" * 50_000 + '">]>\n'


def _xml_attacks(url: str) -> dict[str, str]:
    """Prologue (DTD) per attack; the document's text uses `&x;` where the attack needs a reference."""
    return {
        "billion-laughs": BILLION_LAUGHS.replace("lol9", "x"),
        "quadratic-blowup": QUADRATIC.replace("ENTITY a", "ENTITY x"),
        "external-file": '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n',
        "external-http": f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "{url}/entity">]>\n',
        "external-dtd": f'<?xml version="1.0"?>\n<!DOCTYPE d SYSTEM "{url}/dtd">\n',
        "parameter-entity": f'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY % p SYSTEM "{url}/param"> %p;]>\n',
        "xinclude": "",
        "unknown-encoding": '<?xml version="1.0" encoding="TF-8"?>\n',  # was a LookupError (fuzzing)
        # Known codecs expat cannot use: were a bare ValueError ("multi-byte encodings are not supported")
        # and UnicodeError (the codec fails as it decodes), past every caller's `except XmlSyntaxError`.
        "multi-byte-encoding": '<?xml version="1.0" encoding="Shift_JIS"?>\n',
        "failing-codec": '<?xml version="1.0" encoding="idna"?>\n',
    }


def _documents(prologue: str, attack: str, url: str) -> dict[str, tuple[str, bytes]]:
    """The same attack in a TBX, a TMX, a sitemap, an RSS feed and an Atom feed."""
    ref = "&x;" if prologue and "ENTITY x" in prologue else "text"
    inc = (
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{url}/xinclude" parse="text"/>'
        if attack == "xinclude"
        else ""
    )
    docs = {
        "tbx": f'{prologue}<tbx type="TBX-Basic" xml:lang="en"><text><body><conceptEntry id="c1">'
        f'<langSec xml:lang="en"><termSec><term>{ref}{inc}</term></termSec></langSec>'
        f'<langSec xml:lang="es"><termSec><term>t</term></termSec></langSec></conceptEntry></body>'
        f"</text></tbx>",
        "tmx": f'{prologue}<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en">'
        f"<seg>{ref}{inc}"
        f'</seg></tuv><tuv xml:lang="es"><seg>t</seg></tuv></tu></body></tmx>',
        "sitemap": f'{prologue}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
        f"https://example.org/{ref}{inc}</loc></url></urlset>",
        "rss": f'{prologue}<rss version="2.0"><channel><item><link>https://example.org/{ref}{inc}</link></item>'
        f"</channel></rss>",
        "atom": f'{prologue}<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://example.org/a"/>'
        f"<title>{ref}{inc}</title></entry></feed>",
    }
    return {kind: (kind, text.encode("utf-8")) for kind, text in docs.items()}


@pytest.fixture
def canary(httpserver: object) -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request: an external entity must never reach it."""
    from werkzeug import Request, Response

    hits: list[str] = []

    def handler(request: Request) -> Response:
        hits.append(request.path)
        return Response("LEAKED-CANARY", content_type="text/plain")

    httpserver.expect_request(re.compile(".*")).respond_with_handler(handler)  # type: ignore[attr-defined]
    yield httpserver.url_for("").rstrip("/"), hits  # type: ignore[attr-defined]


def test_xml_bombs_and_external_entities(
    reliability: Recorder, tmp_path: Path, canary: tuple[str, list[str]]
) -> None:
    url, hits = canary
    tally = reliability.tally(
        "hostile",
        "XML attacks × formats: billion laughs, quadratic blow-up, external "
        "file/HTTP entity, external DTD, parameter entity, XInclude, unknown or unusable encoding × "
        "TBX, TMX, sitemap, RSS, Atom",
        "refused with MedlocError naming the file (or parsed "
        "without expansion); nothing fetched; no file content leaks; < 2 s each",
    )
    for attack, prologue in _xml_attacks(url).items():
        for kind, (_, data) in _documents(prologue, attack, url).items():
            what = f"{attack} in {kind}"
            started = time.perf_counter()
            path = tmp_path / f"{attack}.{kind}"
            path.write_bytes(data)
            result: object = None
            try:
                if kind == "tbx":
                    result = parse_tbx(data, str(path))
                elif kind == "tmx":
                    result = read_tmx(path)
                else:
                    result = parse_listing(data, f"https://example.org/{kind}.xml", max_bytes=10_000_000)
            except MedlocError as exc:
                if exc.path not in (str(path), f"https://example.org/{kind}.xml"):
                    tally.add(failed=1)
                    tally.example(f"{what}: error names {exc.path}")
                else:
                    tally.add(rejected=1)
            except Exception as exc:
                tally.add(unhandled=1)
                tally.example(f"{what}: {type(exc).__name__}: {exc}")
            else:
                leaked = any(s in repr(result) for s in ("root:", "LEAKED-CANARY", "lollollol"))
                tally.add(failed=int(leaked))
                if leaked:
                    tally.example(f"{what}: expanded into the result")
            if time.perf_counter() - started > 2:
                tally.add(n=0, failed=1)
                tally.example(f"{what}: took {time.perf_counter() - started:.1f} s")
    tally.add(n=0, failed=len(hits))
    if hits:
        tally.example(f"external entity fetched: {hits}")
    assert not hits, hits
    assert tally.bad == 0, tally.examples


def test_xml_text_the_parser_cannot_take_is_a_syntax_error() -> None:
    """A `str` with a lone surrogate (a UnicodeEncodeError as expat's input is encoded) and a declared
    encoding expat cannot use (a ValueError) are `XmlSyntaxError`s with a line, like any other."""
    from medloc import xmlsafe

    with pytest.raises(xmlsafe.XmlSyntaxError) as info:
        xmlsafe.parse("<a>\n<b>fine</b>\n<b>\ud800</b>\n</a>")
    assert info.value.line == 3
    with pytest.raises(xmlsafe.XmlSyntaxError) as info:
        xmlsafe.parse(b'<?xml version="1.0" encoding="gb18030"?>\n<a/>')
    assert info.value.line == 1 and "multi-byte encodings are not supported" in str(info.value)


# ---------------------------------------------------------------- oversized files


def test_oversized_files(reliability: Recorder, tmp_path: Path) -> None:
    tally = reliability.tally(
        "hostile",
        "Oversized files: source article (HTML/MD/TXT), glossary YAML, "
        "PO catalog and TMX over 5 MB (66,000 and 33,000 entries)",
        "sources and glossary refused by size with "
        "their file named; PO and TMX parsed in linear time (< 15 s) or refused",
    )
    big = 5_000_001
    settings = Settings()
    for name, chunk in (("a.html", b"<p>word</p>\n"), ("a.md", b"word word\n\n"), ("a.txt", b"word\n\n")):
        data = chunk * (big // len(chunk) + 1)
        refused(
            tally,
            f"source_articles/{name}",
            extract_article,
            name,
            data,
            settings,
            origin=f"source_articles/{name}",
        )
    gloss = tmp_path / "glossary"
    gloss.mkdir()
    (gloss / "big.yaml").write_bytes(b"- id: x\n  term: x\n" + b"# pad\n" * (GLOSSARY_MAX // 6 + 1))
    refused(tally, str(gloss / "big.yaml"), load_glossary, gloss)
    # A PO file and a TMX of ~5.3 MB each: bounded time, no exception.
    entry = 'msgid "Take {n} mg of the medicine twice a day with water and food."\nmsgstr "Tome {n} mg."\n\n'
    po_data = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        + "".join(entry.format(n=i) for i in range(66_000))
    ).encode()
    started = time.perf_counter()
    parsed = read_catalog(tmp_path / "big.po", data=po_data)
    po_seconds = time.perf_counter() - started
    tally.add(failed=int(len(parsed.entries) != 66_000 or po_seconds > 15))
    unit = (
        '<tu><tuv xml:lang="en"><seg>Take {n} mg of the medicine twice a day.</seg></tuv>'
        '<tuv xml:lang="es"><seg>Tome {n} mg del medicamento dos veces al día.</seg></tuv></tu>\n'
    )
    tmx = tmp_path / "big.tmx"
    tmx.write_text(
        '<tmx version="1.4"><header srclang="en"/><body>\n'
        + "".join(unit.format(n=i) for i in range(33_000))
        + "</body></tmx>\n",
        encoding="utf-8",
    )
    started = time.perf_counter()
    units = read_tmx(tmx)
    tmx_seconds = time.perf_counter() - started
    tally.add(failed=int(len(units) != 33_000 or tmx_seconds > 15))
    tally.note(
        f"{len(po_data) / 1e6:.1f} MB PO parsed in {po_seconds:.1f} s; "
        f"{tmx.stat().st_size / 1e6:.1f} MB TMX in {tmx_seconds:.1f} s"
    )
    assert tally.bad == 0, tally.examples


# ---------------------------------------------------------------- HTML outputs: no script survives

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    '"><svg onload=window.__pwned=3>',
    "'><a href='javascript:window.__pwned=4'>x</a>",
    "</textarea></title></style><script>window.__pwned=5</script>",
    "<iframe srcdoc='<script>parent.__pwned=6</script>'></iframe>",
    "javascript:window.__pwned=7",
    "&lt;script&gt;window.__pwned=8&lt;/script&gt;",
    "]]><!--<script>window.__pwned=9</script>-->",
]


def foreign_markup(html: str, allowed_scripts: set[str]) -> list[str]:
    """Scripts other than `allowed_scripts`, on* handlers and javascript:/data:text URLs, in two parsers."""
    problems: list[str] = []
    for parser in ("html.parser", "lxml"):
        soup = BeautifulSoup(html, parser)
        for script in soup.find_all("script"):
            if script.string is None or script.string.strip() not in allowed_scripts:
                problems.append(f"{parser}: script element {str(script)[:80]}")
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                text = value if isinstance(value, str) else " ".join(value)
                if name.lower().startswith("on"):
                    problems.append(f"{parser}: handler {element.name}[{name}]")
                if re.match(r"\s*(javascript|vbscript|data:text)", text, re.IGNORECASE) and name in (
                    "href",
                    "src",
                    "action",
                    "formaction",
                    "srcdoc",
                    "data",
                    "content",
                    "poster",
                ):
                    problems.append(f"{parser}: URL {element.name}[{name}]={text[:60]}")
                if name == "srcdoc":
                    problems.append(f"{parser}: srcdoc on {element.name}")
        for tag in ("iframe", "svg", "object", "embed", "base"):
            if soup.find(tag) is not None:
                problems.append(f"{parser}: <{tag}> element")
    return problems


def _hostile_report(payload: str) -> Report:
    from medloc.engines.status import EngineStatus, State
    from medloc.history import Previous
    from medloc.waivers import Waiver

    finding = Finding(
        check=f"numbers{payload}",
        severity=Severity.CRITICAL,
        message=f"changed {payload}",
        category=f"accuracy{payload}",
        article=f"art{payload}",
        locale=f"es{payload}",
        source=f"Take 500 mg {payload}",
        target=f"Tome 50 mg {payload}",
        span=(0, 12),
        suggestion=f"Tome 500 mg {payload}",
        extra={"line": f"7{payload}", "reference": f"ref{payload}", "msgctxt": payload, "glossary": payload},
    )
    waived = Finding(
        check="terms",
        severity=Severity.MAJOR,
        message=payload,
        article=payload,
        locale="fr",
        source=payload,
        target=payload,
        span=(3, 1),
        in_target=False,
        suggestion=payload,
    )
    score = Score(
        article=f"art{payload}",
        locale=f"es{payload}",
        path=payload,
        words=10,
        completion=50.0,
        severities={"critical": 1, "major": 0, "minor": 0, "info": 0},
        reasons=[payload, f"why {payload}"],
        error=payload,
    )
    return Report(
        scope="project",
        source_locale="en",
        gate=Gate(),
        fail_on=Severity.CRITICAL,
        findings=[
            ReportFinding(f"fp{payload}", "new", finding),
            ReportFinding("abc", "waived", waived, Waiver("abc", payload, payload, payload)),
        ],
        rows=[score],
        engines=[EngineStatus("grammar", f"es{payload}", State.UNAVAILABLE, payload, payload)],
        locales=["es", payload],
        fixed=[Previous(payload, payload, "critical", payload, payload, payload)],
        first_run=False,
        glossary_fixes=[
            {
                "article": payload,
                "line": payload,
                "block": payload,
                "before": f"flesh {payload}",
                "after": f"muscle {payload}",
                "concept": payload,
            }
        ],
        stale_waivers=[Waiver(payload, payload)],
        checks=[{"id": payload, "name": payload, "severity": payload, "category": payload}],
        generated=payload,
    )


def test_html_report_escapes_every_field(reliability: Recorder, tmp_path: Path) -> None:
    tally = reliability.tally(
        "hostile",
        "QA report (one page, the index qa.html, an article's page) with script in every field: "
        "check, message, category, article, locale, msgid, msgstr, suggestion, PO line/reference, "
        "reasons, engine notes, glossary fixes, waivers, fixed list, check list",
        "no foreign script element, event handler or javascript: URL (html.parser "
        "and lxml); the payload stays visible as text",
    )
    for payload in PAYLOADS:
        report = _hostile_report(payload)
        # The one-page report, the project's index and an article's page (the slug in its title).
        for html in (render_html(report), "".join(html_chunks(report, index=True)),
                     "".join(html_chunks(report, article=payload))):
            problems = foreign_markup(html, {JS.strip()})
            text = BeautifulSoup(html, "html.parser").get_text()
            hidden = payload not in text
            tally.add(unescaped=len(problems), failed=int(hidden))
            if hidden:
                tally.example(f"{payload!r}: not shown as text")
            for problem in problems[:2]:
                tally.example(f"{payload!r}: {problem}")
    assert tally.bad == 0, tally.examples


def test_published_pages_escape_hostile_msgstr(reliability: Recorder, tmp_path: Path) -> None:
    """Every segment of the Spanish page (title, meta description, alt, links, body) gets each payload."""
    tally = reliability.tally(
        "hostile",
        "Published pages (publish/<locale>/<slug>.html): hostile msgstr in "
        "every segment, incl. title, meta description and image alt",
        "no foreign script element, event handler or javascript: URL (html.parser "
        "and lxml); manifest lists the page",
    )
    for number, payload in enumerate(PAYLOADS):
        settings = make_project(tmp_path / f"p{number}")
        write_po(settings, "es", lambda _s, p=payload: f"Texto {p} fin")
        result = publish_project(settings, decisions=decisions({"en": True, "es": True}))
        page = settings.root / "publish" / "es" / f"{SLUG}.html"
        if result.errors or not page.exists():
            tally.add(failed=1)
            tally.example(f"{payload!r}: not published: {result.errors}")
            continue
        problems = foreign_markup(page.read_text(encoding="utf-8"), set())
        manifest = (settings.root / "publish" / "manifest.json").read_text(encoding="utf-8")
        tally.add(unescaped=len(problems), failed=int(f"es/{SLUG}.html" not in manifest))
        for problem in problems[:2]:
            tally.example(f"{payload!r}: {problem}")
    assert tally.bad == 0, tally.examples
