"""Benchmark: update 1,000 articles × 4 locales after editing 10 % of their paragraphs.

medloc (`update_catalogs`: POT + 4 PO files per article, in-file fuzzy matching *and* the project
translation memory over all 4,000 catalogs) against GNU msgmerge (`msgmerge --previous` per PO
file, its own in-file fuzzy matching, no compendium) on the same files, in the same run.

Articles are built from real text of the shared corpus (NCI press-release paragraphs and TICO-19
sentences), 12–30 blocks each; translations are placeholders (their content does not change the
work). Edits: 70 % of the edited paragraphs get a changed number or word, 30 % are replaced with
another paragraph of the pool (new text the translation memory may know). msgmerge's time does not
include writing its POT files (medloc's does). Not a test: `make bench` or
`.venv/bin/python bench/catalogs.py [--articles N]`. Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from catalog_support import make_project

from medloc.catalog import po_path, template_entries, template_path, update_catalogs
from medloc.fsutil import project_lock
from medloc.model import Article, BlockKind, Segment
from medloc.po import dump, parse

LOCALES = ["es", "fr", "de", "zh_CN"]


def pool(corpus: Path) -> list[str]:
    texts: list[str] = []
    for path in sorted((corpus / "nci-press-releases-en-es" / "en").glob("*.html")):
        for m in re.finditer(r"<p[^>]*>(.*?)</p>", path.read_text(encoding="utf-8"), re.S):
            text = re.sub(r"\s+", " ", m.group(1)).strip()
            if len(text.split()) >= 4:
                texts.append(text)
    for path in sorted((corpus / "tico19-tm").glob("*.en-fr.*.tmx")):
        texts += [
            re.sub(r"\s+", " ", s).strip()
            for s in re.findall(
                r'<tuv xml:lang="en">\s*<seg>(.*?)</seg>', path.read_text(encoding="utf-8"), re.S
            )
        ]
    return list(dict.fromkeys(t for t in texts if t))


def article(slug: str, blocks: list[str]) -> Article:
    segs = tuple(
        Segment(
            i,
            BlockKind.HEADING if i == 0 else BlockKind.PARAGRAPH,
            t,
            1 + 2 * i,
            "h1" if i == 0 else "p",
            0,
            0,
        )
        for i, t in enumerate(blocks)
    )
    return Article(slug, f"source_articles/{slug}.html", "html", "", segs, title=blocks[0])


def edit(blocks: list[str], texts: list[str], rng: random.Random) -> list[str]:
    blocks = list(blocks)
    for i in rng.sample(range(len(blocks)), max(1, round(len(blocks) * 0.10))):
        if rng.random() < 0.7:
            words = blocks[i].split(" ")
            j = rng.randrange(len(words))
            words[j] = str(rng.randint(2, 999)) if rng.random() < 0.5 else words[j].upper()
            blocks[i] = " ".join(words)
        else:
            blocks[i] = rng.choice(texts)
    return blocks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument(
        "--corpus", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "corpus"
    )
    args = parser.parse_args()
    rng = random.Random(20240601)
    texts = pool(args.corpus)
    work = Path(tempfile.mkdtemp(prefix="medloc-bench-catalogs-"))
    try:
        settings = make_project(work, locales=LOCALES)
        v1 = {
            f"article-{n:04d}": [rng.choice(texts) for _ in range(rng.randint(12, 30))]
            for n in range(args.articles)
        }
        started = time.perf_counter()
        for slug, blocks in v1.items():  # set-up: catalogs with every entry translated (not timed)
            update_catalogs(article(slug, blocks), settings)
            for locale in LOCALES:
                path = po_path(settings, locale, slug)
                po = parse(path.read_text(encoding="utf-8"))
                for e in po.entries:
                    e.msgstr = f"[{locale}] {e.msgid}"
                path.write_text(dump(po), encoding="utf-8")
        setup = time.perf_counter() - started
        v2 = {slug: edit(blocks, texts, rng) for slug, blocks in v1.items()}
        gnu = work / "gnu"
        shutil.copytree(work / "locales", gnu)
        segments = sum(len(b) for b in v2.values())

        from medloc.projectmemory import _INSTANCES

        _INSTANCES.clear()  # medloc starts cold: the memory is loaded from the 4,000 files inside the timing
        started = time.perf_counter()
        fuzzy = 0
        with project_lock(settings.path(settings.project.state_dir)):  # one run, as the flow holds it
            for slug, blocks in v2.items():
                update = update_catalogs(article(slug, blocks), settings)
                fuzzy += sum(u.counts.fuzzy for u in update.locales if u.counts)
        medloc_seconds = time.perf_counter() - started

        for slug, blocks in v2.items():  # msgmerge's input: the same new templates
            pot = gnu / "templates" / f"{slug}.pot"
            pot.write_bytes(template_path(settings, slug).read_bytes())
            assert template_entries(article(slug, blocks))
        started = time.perf_counter()
        for slug in v2:
            pot = gnu / "templates" / f"{slug}.pot"
            for locale in LOCALES:
                po = gnu / locale / f"{slug}.po"
                subprocess.run(
                    ["msgmerge", "--quiet", "--previous", "-o", str(po), str(po), str(pot)], check=True
                )
        gnu_seconds = time.perf_counter() - started
        files = args.articles * len(LOCALES)
        print(
            f"pool: {len(texts)} real paragraphs/sentences; {args.articles} articles, {segments} segments, "
            f"{files} PO files (set-up {setup:.1f} s)"
        )
        print(
            f"medloc update_catalogs (POT + PO, TM on): {medloc_seconds:.2f} s  "
            f"({1000 * medloc_seconds / files:.2f} ms per PO file; {fuzzy} fuzzy entries offered)"
        )
        print(
            f"GNU msgmerge --previous:                 {gnu_seconds:.2f} s  "
            f"({1000 * gnu_seconds / files:.2f} ms per PO file)"
        )
        print(
            json.dumps(
                {
                    "bench": "catalogs",
                    "articles": args.articles,
                    "locales": len(LOCALES),
                    "po_files": files,
                    "medloc_seconds": round(medloc_seconds, 3),
                    "msgmerge_seconds": round(gnu_seconds, 3),
                    "ratio": round(medloc_seconds / gnu_seconds, 3),
                }
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
