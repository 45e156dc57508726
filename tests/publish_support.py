"""A small project on disk for the publish tests: one HTML article, PO files written by hand, and
QA decisions passed in (the gate's verdicts are the QA tests' business; here they are inputs)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from medloc.catalog import po_path, segment_keys
from medloc.config import Settings, load_settings
from medloc.extract import extract_article
from medloc.model import Article
from medloc.publish import Decision

SLUG = "aspirin"
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Aspirin and cancer</title>
<meta name="description" content="What aspirin does to cancer risk.">
<link rel="canonical" href="https://www.cancer.gov/news/aspirin">
<link rel="alternate" hreflang="de" href="https://example.de/aspirin">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
</head>
<body>
<main>
<h1>Aspirin and cancer</h1>
<p>Read the <a href="https://www.cancer.gov/about-cancer/aspirin">NCI summary</a> on
<strong>aspirin</strong>.</p>
<p>Daily aspirin lowered the risk. <img src="/images/chart.png" alt="Chart of risk"></p>
<p>Ask your doctor before taking it.</p>
</main>
</body>
</html>
"""
TOML = """[project]
locales = ["es", "fr", "ar"]

[glossary]
fix_source = false

[publish.link_rewrites.es]
"https://www.cancer.gov/" = "https://www.cancer.gov/espanol/"
"""
LINKED = ('Read the <a href="https://www.cancer.gov/about-cancer/aspirin">NCI summary</a> on '
          "<strong>aspirin</strong>.")
SPANISH = {
    "Aspirin and cancer": "La aspirina y el cáncer",
    "What aspirin does to cancer risk.": "Qué hace la aspirina con el riesgo de cáncer.",
    LINKED:
        'Lea el <a href="https://www.cancer.gov/about-cancer/aspirin">resumen del NCI</a> sobre la '
        "<strong>aspirina</strong>.",
    'Daily aspirin lowered the risk. <img src="/images/chart.png" alt="Chart of risk">':
        'La aspirina diaria redujo el riesgo. <img src="/images/chart.png" alt="Chart of risk">',
    "Chart of risk": "Gráfico del riesgo",
    "Ask your doctor before taking it.": "Consulte a su médico antes de tomarla.",
}


def make_project(root: Path, page: str = PAGE, toml: str = TOML) -> Settings:
    (root / "source_articles").mkdir(parents=True, exist_ok=True)
    (root / "source_articles" / f"{SLUG}.html").write_text(page, encoding="utf-8")
    (root / "medloc.toml").write_text(toml, encoding="utf-8")
    return load_settings(root, env={})


def article(settings: Settings, slug: str = SLUG) -> Article:
    path = settings.path(settings.project.source_dir) / f"{slug}.html"
    return extract_article(path.name, path.read_bytes(), settings)


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def write_po(settings: Settings, locale: str, translate: Mapping[str, str] | Callable[[str], str],
             fuzzy: frozenset[str] = frozenset(), slug: str = SLUG) -> Path:
    """A PO file for `locale`: msgstr from `translate` (msgid → msgstr); msgids in `fuzzy` are fuzzy."""
    lookup = translate if callable(translate) else (lambda text: translate.get(text, ""))
    lines = ['msgid ""', 'msgstr ""', _q("Content-Type: text/plain; charset=UTF-8\n"),
             _q(f"Language: {locale}\n"), ""]
    seen: set[tuple[str | None, str]] = set()
    for key in segment_keys(article(settings, slug)):
        if key is None or key in seen:
            continue
        seen.add(key)
        context, msgid = key
        if msgid in fuzzy:
            lines.append("#, fuzzy")
        if context:
            lines.append(f"msgctxt {_q(context)}")
        lines += [f"msgid {_q(msgid)}", f"msgstr {_q(lookup(msgid))}", ""]
    path = po_path(settings, locale, slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def decisions(passing: Mapping[str, bool], slug: str = SLUG) -> list[Decision]:
    return [Decision(slug, loc, "publish" if ok else "blocked", 99.0 if ok else 40.0,
                     () if ok else (f"{loc}: 2 critical findings (numbers): any critical finding blocks.",))
            for loc, ok in passing.items()]
