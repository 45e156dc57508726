"""Translation-check throughput: medloc's checks vs translate-toolkit's StandardChecker (pofilter).

Same units, same run: every translated unit of the 27 Django PO files plus the aligned NCI
English/Spanish paragraphs. Ours = every registered translation check except the engine-backed
ones (spelling, grammar: reported apart by their owner), plus the project-wide consistency pass;
the glossary is loaded once before timing (as a run does). Peer = StandardChecker.run_filters on
translate-toolkit units built before timing. Best of `--repeat` runs each; caches are cleared
between our runs so the figure is a cold pass over the data.

    .venv/bin/python bench/qa.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import checks_corpus as cc

from medloc.checks import numbers as numbers_mod
from medloc.checks import quantities, text
from medloc.checks.base import Check, CheckContext, ProjectCheck
from medloc.checks.registry import CHECKS
from medloc.config import load_settings
from medloc.glossary import load_terminology
from paths import REPO

ENGINE_CHECKS = {"spelling", "grammar", "source-spelling", "source-grammar"}


def _clear_caches() -> None:
    for fn in (text.visible, text.prose, quantities.numbers, numbers_mod._word_values):
        fn.cache_clear()


def ours(units, context: CheckContext) -> float:
    checks = [c() for c in CHECKS if c.scope == "translation" and c.id not in ENGINE_CHECKS]
    per_unit = [c for c in checks if isinstance(c, Check)]
    project = [c for c in checks if isinstance(c, ProjectCheck)]
    _clear_caches()
    start = time.perf_counter()
    found = 0
    for unit in units:
        for check in per_unit:
            for _ in check.run(unit, context):
                found += 1
    for check in project:
        found += sum(1 for _ in check.run_all(units, context))
    elapsed = time.perf_counter() - start
    ours.found = found  # type: ignore[attr-defined]
    return elapsed


def peer(units) -> float:
    from translate.filters.checks import CheckerConfig, StandardChecker
    from translate.storage import po

    checkers: dict[str, StandardChecker] = {}
    prepared = []
    for u in units:
        tt = po.pounit(u.source)
        tt.target = u.target
        checker = checkers.get(u.locale) or checkers.setdefault(
            u.locale, StandardChecker(CheckerConfig(targetlanguage=u.locale))
        )
        prepared.append((checker, tt))
    start = time.perf_counter()
    found = 0
    for checker, tt in prepared:
        found += len(checker.run_filters(tt))
    elapsed = time.perf_counter() - start
    peer.found = found  # type: ignore[attr-defined]
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    units = list(cc.django_units()) + cc.nci_units()
    context = CheckContext(terminology=load_terminology(load_settings(REPO)))
    t_ours = min(ours(units, context) for _ in range(args.repeat))
    t_peer = min(peer(units) for _ in range(args.repeat))
    n = len(units)
    ours_rate, peer_rate = n / t_ours, n / t_peer
    print(f"units: {n} (Django {len(cc.django_units())}, NCI {n - len(cc.django_units())})")
    print(
        f"medloc checks:             {t_ours * 1000:8.1f} ms  {ours_rate:9.0f} units/s  {ours.found} findings"
    )  # type: ignore[attr-defined]
    print(
        f"translate-toolkit pofilter:{t_peer * 1000:8.1f} ms  {peer_rate:9.0f} units/s  {peer.found} failures"
    )  # type: ignore[attr-defined]
    print(
        json.dumps(
            {
                "bench": "qa",
                "units": n,
                "ours_units_per_s": round(ours_rate),
                "peer_units_per_s": round(peer_rate),
                "ratio": round(ours_rate / peer_rate, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
