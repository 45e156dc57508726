"""Fill the sample translations into the project's PO files (run after `make run` made them).

- the seed article (HTML and Markdown versions): es, fr, de and zh_CN from tools/seed_translations.py;
- the NCI press releases: Spanish from their real professional translations in the shared corpus,
  only where the paragraphs align (same block kind, the same numbers, the same number of links and
  a plausible length ratio, in a difflib alignment of the two block sequences); everything else is
  left untranslated for a translator.

Only empty, active entries are filled; existing translations are never touched, so running this
again changes nothing. Writes go through medloc's PO writer (atomic, byte-stable).

    .venv/bin/python tools/sample_translations.py [--project .] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import re
import sys
from pathlib import Path

from seed_translations import SEED

from medloc.catalog import po_path, read_catalog
from medloc.config import load_settings
from medloc.extract import extract_article
from medloc.fsutil import atomic_write_text
from medloc.memory import number_values, numbers
from medloc.po import dump

_TAG = re.compile(r"<[^>]*>")
_PAIR = re.compile(r"\b(pr\d\d) of \S*nci-press-releases-en-es")


def visible(text: str) -> str:
    return re.sub(r"\s+", " ", _TAG.sub("", text)).strip().replace("&quot;", '"')


def seed_translation(msgid: str, locale: str) -> str | None:
    text = visible(msgid)
    keys = [k for k in SEED if text.startswith(k) or text == k]
    if not keys:
        return None
    return SEED[max(keys, key=len)].get(locale)


def signature(kind: str, text: str) -> tuple[object, ...]:
    return (kind, tuple(sorted(number_values(numbers(text)).elements())), text.count("<a "))


def align(en: list[tuple[str, str]], es: list[tuple[str, str]]) -> dict[str, str]:
    """English segment text -> Spanish, for blocks that align with confidence."""
    a = [signature(k, t) for k, t in en]
    b = [signature(k, t) for k, t in es]
    pairs: dict[str, str] = {}
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for block in matcher.get_matching_blocks():
        for i in range(block.size):
            (_, src), (_, tgt) = en[block.a + i], es[block.b + i]
            ratio = len(visible(tgt)) / max(1, len(visible(src)))
            if 0.8 <= ratio <= 1.9 and visible(src) and visible(tgt):
                pairs[src] = tgt
    return pairs


def nci_pairs(settings, corpus: Path, source: Path) -> dict[str, str]:
    found = _PAIR.search(source.read_text(encoding="utf-8", errors="replace"))
    if not found:
        return {}
    pr = found.group(1)
    nci = corpus / "nci-press-releases-en-es"

    def segments(path: Path) -> list[tuple[str, str]]:
        article = extract_article(path.name, path.read_bytes(), settings, origin=str(path))
        return [(s.kind.value, s.text) for s in article.segments]

    pairs = align(segments(nci / "en" / f"{pr}.html"), segments(nci / "es" / f"{pr}.html"))
    with (nci / "pairs.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["pair_id"] == pr:
                en_title, es_title = row["en_title"].strip(), row["es_title"].strip()
                pairs[en_title] = es_title
                pairs[f"{en_title} - NCI"] = f"{es_title} - NCI"
    return pairs


def fill(path: Path, lookup) -> int:
    if not path.is_file():
        return 0
    po = read_catalog(path)
    filled = 0
    for entry in po.entries:
        if entry.obsolete or entry.msgstr or entry.msgid_plural is not None:
            continue
        target = lookup(entry.msgid)
        if target:
            entry.msgstr = target
            entry.set_flag("fuzzy", False)
            filled += 1
    if filled:
        atomic_write_text(path, dump(po))
    return filled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=Path("."))
    parser.add_argument("--corpus", type=Path, default=None)
    args = parser.parse_args(argv)
    settings = load_settings(args.project)
    corpus = args.corpus or settings.root.parent / "shared" / "corpus"
    templates = settings.path(settings.project.locales_dir) / "templates"
    sources = {p.stem: p for p in settings.path(settings.project.source_dir).glob("*.html")}
    for pot in sorted(templates.glob("*.pot")):
        slug = pot.stem
        if slug.startswith("menopause-muscle-twitching"):
            for locale in settings.project.locales:
                n = fill(po_path(settings, locale, slug), lambda m, loc=locale: seed_translation(m, loc))
                print(f"{slug} {locale}: {n} filled")
        elif slug in sources:
            pairs = nci_pairs(settings, corpus, sources[slug])
            n = fill(po_path(settings, "es", slug), pairs.get)
            total = len(read_catalog(pot).entries)
            print(f"{slug} es: {n} of {total} filled from the professional translation")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    sys.exit(main())
