"""Publishing: the gate, hreflang/canonical/x-default, the manifest, stale pages, fuzzy entries, link
rewriting, RTL, idempotence, the source language with glossary fixes, Markdown pages. Pages are
checked by parsing them (bs4), not by string matching."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from publish_support import LINKED, SLUG, SPANISH, decisions, make_project, write_po

from medloc.catalog import translations_for
from medloc.config import load_settings
from medloc.publish import publish_project

REPO = Path(__file__).resolve().parents[1]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def manifest(root: Path) -> dict[str, dict]:
    data = json.loads((root / "publish" / "manifest.json").read_text(encoding="utf-8"))
    assert data["schema"] == "medloc.publish-manifest/1"
    return {f"{e['locale']}/{e['slug']}": e for e in data["entries"]}


@pytest.fixture
def project(tmp_path: Path):
    settings = make_project(tmp_path)
    write_po(settings, "es", SPANISH)
    write_po(settings, "fr", lambda s: "FR " + s)
    write_po(settings, "ar", lambda s: "AR " + s)
    return settings


def test_failing_pair_is_not_published_and_the_result_says_why(project) -> None:
    result = publish_project(project, decisions=decisions({"en": True, "es": True, "fr": False, "ar": True}))
    root = project.root / "publish"
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*.html")) == [
        f"ar/{SLUG}.html", f"en/{SLUG}.html", f"es/{SLUG}.html"]
    assert [s["page"] for s in result.skipped] == [f"fr/{SLUG}"]
    assert "critical" in result.skipped[0]["reason"]
    assert f"fr/{SLUG}" not in manifest(project.root)


def test_hreflang_canonical_and_x_default_point_at_every_published_language(project) -> None:
    publish_project(project, decisions=decisions({"en": True, "es": True, "fr": False, "ar": True}))
    for locale in ("en", "es", "ar"):
        page = soup(project.root / "publish" / locale / f"{SLUG}.html")
        canonical = page.find_all("link", rel="canonical")
        assert [c["href"] for c in canonical] == [f"{SLUG}.html"]  # the CMS's canonical replaced
        alternates = {a["hreflang"]: a["href"] for a in page.find_all("link", hreflang=True)}
        expected = {loc: (f"{SLUG}.html" if loc == locale else f"../{loc}/{SLUG}.html")
                    for loc in ("ar", "en", "es")}
        assert alternates == {**expected, "x-default": expected["en"]}  # the CMS's de link removed
        assert page.find("link", type="application/rss+xml") is not None  # other alternates stay
        assert all(link.parent.name == "head" for link in page.find_all("link"))


def test_base_url_makes_links_absolute_and_x_default_follows_the_setting(tmp_path: Path) -> None:
    toml = '[project]\nlocales = ["es"]\n[glossary]\nfix_source = false\n' \
           '[publish]\nbase_url = "https://health.example.org/"\nx_default = "es"\n'
    settings = make_project(tmp_path, toml=toml)
    write_po(settings, "es", SPANISH)
    publish_project(settings, decisions=decisions({"en": True, "es": True}))
    page = soup(tmp_path / "publish" / "en" / f"{SLUG}.html")
    assert page.find("link", rel="canonical")["href"] == f"https://health.example.org/en/{SLUG}.html"
    assert page.find("link", hreflang="x-default")["href"] == f"https://health.example.org/es/{SLUG}.html"
    assert manifest(tmp_path)[f"es/{SLUG}"]["url"] == f"https://health.example.org/es/{SLUG}.html"


def test_translated_page_has_lang_title_description_links_rewritten(project) -> None:
    publish_project(project, decisions=decisions({"en": True, "es": True}))
    page = soup(project.root / "publish" / "es" / f"{SLUG}.html")
    assert page.html["lang"] == "es" and page.html.get("dir") in (None, "ltr")
    assert page.title.string == "La aspirina y el cáncer"
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description == SPANISH["What aspirin does to cancer risk."]
    link = page.find("main").find("a")
    assert link["href"] == "https://www.cancer.gov/espanol/about-cancer/aspirin"
    assert link.get_text() == "resumen del NCI"
    assert page.find("img")["alt"] == "Gráfico del riesgo"
    english = soup(project.root / "publish" / "en" / f"{SLUG}.html")
    assert english.find("main").find("a")["href"] == "https://www.cancer.gov/about-cancer/aspirin"


def test_translator_may_write_the_rewritten_link_but_not_another(project) -> None:
    source = LINKED
    write_po(project, "es", {**SPANISH, source: SPANISH[source].replace(
        "https://www.cancer.gov/", "https://www.cancer.gov/espanol/")})
    write_po(project, "fr", {source: 'Lisez le <a href="https://www.cancer.gov/espanol/x">résumé</a>.'})
    publish_project(project, decisions=decisions({"es": True, "fr": True}))
    es = soup(project.root / "publish" / "es" / f"{SLUG}.html").find("main").find("a")
    assert es["href"] == "https://www.cancer.gov/espanol/about-cancer/aspirin"
    fr = soup(project.root / "publish" / "fr" / f"{SLUG}.html").find("main")
    assert fr.find("a") is None  # fr has no rewriting: another href is escaped, visible as text
    assert '<a href="https://www.cancer.gov/espanol/x">' in fr.get_text()


def test_rtl_page_gets_dir_rtl(project) -> None:
    publish_project(project, decisions=decisions({"ar": True}))
    page = soup(project.root / "publish" / "ar" / f"{SLUG}.html")
    assert page.html["lang"] == "ar" and page.html["dir"] == "rtl"


def test_fuzzy_entries_are_never_published(project) -> None:
    fuzzy = "Ask your doctor before taking it."
    write_po(project, "es", {**SPANISH, fuzzy: "TRADUCCIÓN DUDOSA"}, fuzzy=frozenset({fuzzy}))
    from publish_support import article

    assert fuzzy not in {article(project).segments[i].text for i in translations_for(article(project), "es",
                                                                                      project)}
    publish_project(project, decisions=decisions({"es": True}))
    text = (project.root / "publish" / "es" / f"{SLUG}.html").read_text(encoding="utf-8")
    assert "TRADUCCIÓN DUDOSA" not in text and fuzzy in text


def test_manifest_fields(project) -> None:
    publish_project(project, decisions=decisions({"en": True, "es": True}), now="2030-01-02T03:04:05+00:00")
    entry = manifest(project.root)[f"es/{SLUG}"]
    for name in ("slug", "locale", "source_hash", "po_hash", "page_hash", "score", "decision", "time",
                 "report", "stale", "path", "url"):
        assert name in entry
    assert (entry["slug"], entry["locale"], entry["decision"]) == (SLUG, "es", "publish")
    assert entry["stale"] is False
    assert entry["time"] == "2030-01-02T03:04:05+00:00" and entry["score"] == 99.0
    assert len(entry["source_hash"]) == len(entry["po_hash"]) == 64
    assert entry["report"].endswith(f"reports/articles/{SLUG}.html")
    assert manifest(project.root)[f"en/{SLUG}"]["po_hash"] is None


def test_failing_new_version_keeps_last_good_page_marked_stale(project) -> None:
    publish_project(project, decisions=decisions({"en": True, "es": True, "fr": True}))
    page = project.root / "publish" / "es" / f"{SLUG}.html"
    good = page.read_bytes()
    write_po(project, "es", {k: "500 mg" for k in SPANISH})  # a new, bad version
    result = publish_project(project, decisions=decisions({"en": True, "es": False, "fr": False}))
    assert page.read_bytes() == good
    entry = manifest(project.root)[f"es/{SLUG}"]
    assert entry["stale"] is True and "critical" in entry["reason"]
    assert {s["page"] for s in result.stale} == {f"es/{SLUG}", f"fr/{SLUG}"}
    # a stale page is still published: the others keep linking to it
    english = soup(project.root / "publish" / "en" / f"{SLUG}.html")
    assert {a["hreflang"] for a in english.find_all("link", hreflang=True)} == {"en", "es", "fr", "x-default"}
    publish_project(project, decisions=decisions({"en": True, "es": True, "fr": True}))
    assert manifest(project.root)[f"es/{SLUG}"]["stale"] is False and page.read_bytes() != good


def test_second_publish_rewrites_nothing(project) -> None:
    passing = decisions({"en": True, "es": True, "fr": True, "ar": True})
    publish_project(project, decisions=passing, now="2030-01-01T00:00:00+00:00")
    files = sorted((project.root / "publish").rglob("*"))
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files if p.is_file()}
    result = publish_project(project, decisions=passing, now="2031-01-01T00:00:00+00:00")
    assert result.published == [] and len(result.unchanged) == 4
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files if p.is_file()}
    assert after == before
    assert {e["time"] for e in manifest(project.root).values()} == {"2030-01-01T00:00:00+00:00"}
    write_po(project, "fr", lambda s: "FR2 " + s)  # one change: one page and its manifest entry
    result = publish_project(project, decisions=passing, now="2031-01-01T00:00:00+00:00")
    assert result.published == [f"fr/{SLUG}"]
    assert manifest(project.root)[f"fr/{SLUG}"]["time"] == "2031-01-01T00:00:00+00:00"
    assert manifest(project.root)[f"es/{SLUG}"]["time"] == "2030-01-01T00:00:00+00:00"


def test_a_glossary_edit_renders_every_page_again(project, repo_root: Path) -> None:
    """The glossary enters each page's fingerprint through the run's salt (computed once per run):
    after a glossary change every page is rendered again (its manifest fingerprint changes; the file
    is rewritten only if its bytes do), after no change none is."""
    passing = decisions({"en": True, "es": True, "fr": True, "ar": True})
    publish_project(project, decisions=passing)
    first = {k: e["fingerprint"] for k, e in manifest(project.root).items()}
    publish_project(project, decisions=passing)
    assert {k: e["fingerprint"] for k, e in manifest(project.root).items()} == first
    (project.root / "glossary").mkdir(exist_ok=True)
    shutil.copy(repo_root / "glossary" / "10-menopause-seed.yaml", project.root / "glossary" / "seed.yaml")
    publish_project(project, decisions=passing)
    after = {k: e["fingerprint"] for k, e in manifest(project.root).items()}
    assert after.keys() == first.keys() and all(after[k] != first[k] for k in first)


def test_po_saved_after_qa_is_not_published_until_checked(project) -> None:
    po = project.root / "locales" / "es" / f"{SLUG}.po"
    result = publish_project(project, decisions=decisions({"es": True}), checked_at=po.stat().st_mtime - 10)
    assert result.skipped and "changed after QA" in result.skipped[0]["reason"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory):
    """The bundled sample project (seed article with "flesh jumping" in its source, Markdown too)."""
    root = tmp_path_factory.mktemp("sample")
    for name in ("source_articles", "glossary", "locales"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "medloc.toml", root / "medloc.toml")
    settings = load_settings(root, env={})
    slugs = ("menopause-muscle-twitching", "menopause-muscle-twitching-md")
    rows = [d for slug in slugs for d in decisions({"en": True, "es": True}, slug=slug)]
    publish_project(settings, decisions=rows)
    return root


def test_source_language_is_published_with_the_glossary_fixes(sample: Path) -> None:
    assert "flesh jump" in (sample / "source_articles" / "menopause-muscle-twitching.html").read_text()
    for name in ("menopause-muscle-twitching.html", "menopause-muscle-twitching-md.html"):
        text = soup(sample / "publish" / "en" / name).get_text().lower()
        assert "flesh jump" not in text and "muscle twitching" in text


def test_markdown_article_is_published_as_html(sample: Path) -> None:
    page = soup(sample / "publish" / "es" / "menopause-muscle-twitching-md.html")
    assert page.html["lang"] == "es"
    assert page.title.string and page.find("meta", attrs={"name": "description"})["content"]
    assert page.find("h1") is not None and len(page.find_all("h2")) >= 3
    assert "medlocsegment" not in page.decode()  # every placeholder was filled
    assert {a["hreflang"] for a in page.find_all("link", hreflang=True)} == {"en", "es", "x-default"}
