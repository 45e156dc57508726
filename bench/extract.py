"""Extraction throughput: medloc's HTML extractor vs translate-toolkit's HTML reader.

Both read the same 34 real CMS pages (../shared/corpus/nci-press-releases-en-es, English and
Spanish) from memory, in the same process, each repeated until it has worked for `--seconds`.
A failure is an exception on a page (counted once per page); failing pages stay in the timed loop,
so both tools are timed on the same work. Not a test: run `python bench/extract.py`.
The last line is JSON, for scripts that track the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from translate.storage.html import htmlfile

from medloc.config import Settings
from medloc.extract import extract_article

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "nci-press-releases-en-es"


def load_pages(corpus: Path) -> list[tuple[str, bytes]]:
    pages = [(f"{p.parent.name}-{p.stem}.html", p.read_bytes()) for p in sorted(corpus.glob("*/*.html"))]
    if not pages:
        raise SystemExit(f"no pages under {corpus}")
    return pages


def ours(settings: Settings) -> Callable[[str, bytes], int]:
    def run(name: str, data: bytes) -> int:
        return len(extract_article(name, data, settings).segments)

    return run


def peer(name: str, data: bytes) -> int:
    return len(htmlfile(inputfile=io.BytesIO(data)).units)


@dataclass
class Measured:
    rate: float
    failures: dict[str, str]
    seconds_by_page: dict[str, float]
    passes: int

    def rate_on(self, names: set[str]) -> float:
        """Pages per second counting only `names` (e.g. the pages both tools read)."""
        return len(names) * self.passes / sum(self.seconds_by_page[name] for name in names)


def measure(
    label: str, run: Callable[[str, bytes], int], pages: list[tuple[str, bytes]], seconds: float
) -> Measured:
    """Pages per second over whole passes of the page set, failing pages, and time spent per page."""
    failures: dict[str, str] = {}
    units = 0
    for name, data in pages:  # warm-up pass, also collects failures and unit counts
        try:
            units += run(name, data)
        except Exception as exc:  # any exception is a failure we count
            failures[name] = f"{exc.__class__.__name__}: {exc}"
    spent = dict.fromkeys((name for name, _ in pages), 0.0)
    passes = 0
    clock = time.perf_counter
    start = clock()
    while clock() - start < seconds:
        for name, data in pages:
            began = clock()
            with contextlib.suppress(Exception):
                run(name, data)
            spent[name] += clock() - began
        passes += 1
    elapsed = clock() - start
    rate = passes * len(pages) / elapsed
    print(
        f"{label:18} {rate:8.1f} pages/s  ({passes * len(pages)} pages in {elapsed:.2f} s; "
        f"{units} segments per pass; {len(failures)} failing page{'s' if len(failures) != 1 else ''})"
    )
    for name, message in sorted(failures.items()):
        print(f"{'':18} fails on {name}: {message[:100]}")
    return Measured(rate, failures, spent, passes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="timed work per tool (default 3)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    pages = load_pages(args.corpus)
    print(f"{len(pages)} pages, {sum(len(d) for _, d in pages):,} bytes, {args.seconds:g} s per tool")
    mine = measure("medloc", ours(Settings()), pages, args.seconds)
    theirs = measure("translate-toolkit", peer, pages, args.seconds)
    # The peer gives up early on the pages it fails, which flatters its rate: show the rate on the
    # pages both read as well (the JSON keeps the all-pages figures, the same work for both).
    both = {name for name, _ in pages} - set(mine.failures) - set(theirs.failures)
    common_ratio = None
    if both:
        common_ours, common_peer = mine.rate_on(both), theirs.rate_on(both)
        print(
            f"on the {len(both)} pages both read: medloc {common_ours:.1f} pages/s, "
            f"translate-toolkit {common_peer:.1f} pages/s, ratio {common_ours / common_peer:.2f}"
        )
        common_ratio = round(common_ours / common_peer, 2)
    ours_rate, ours_failures = mine.rate, len(mine.failures)
    peer_rate, peer_failures = theirs.rate, len(theirs.failures)
    print(
        json.dumps(
            {
                "bench": "extract",
                "ours_pages_per_s": round(ours_rate, 1),
                "peer_pages_per_s": round(peer_rate, 1),
                "ratio": round(ours_rate / peer_rate, 2),
                "ours_failures": ours_failures,
                "peer_failures": peer_failures,
                "ratio_on_pages_both_read": common_ratio,
            }
        )
    )


if __name__ == "__main__":
    main()
