"""Reliability records: how tests feed the table in docs/reliability.md (issue 7, section 6).

Why records instead of parsing pytest output: the table must say, per hardening area, *how many*
cases ran and how many ended as a clean rejection, an unhandled exception, a lost translation, a
corrupted file or unescaped script. Only the test knows those numbers, so it counts them here and
the plugin writes them to `out/reliability/records/<test>.json` when the test ends, together with
the test's outcome. `python -m tools.reliability` (see the README) clears that folder, runs every
`tests/test_*.py` that calls `reliability.tally(`, and renders the records into docs/reliability.md.

How to record from a test: ask for the `reliability` fixture and call `reliability.tally(` in the
test file (that string is how the tool finds the file; any name works, `tests/test_reliability_<section>.py`
is the convention). Keep each file's non-fuzz tests fast: the tool and `make test` run them all::

    def test_sigkill_during_run(reliability: Recorder) -> None:
        tally = reliability.tally(
            "crash",                                  # section: one of SECTIONS below
            "SIGKILL at a random point of medloc run",  # row: what is exercised
            "rerun completes; no partial file; no translation lost; manifest consistent",  # property
        )
        for trial in range(10):
            ...
            tally.add(lost=lost_count, corrupted=partial_files)   # one case each call
        assert tally.lost == 0 and tally.corrupted == 0

- `tally.add(n=1, **counters)` counts `n` cases and adds to the counters: `rejected` (refused with
  our clear error — a good outcome, shown for information), `unhandled` (an exception that was not
  ours), `lost` (translations lost), `corrupted` (files partially written / inconsistent),
  `unescaped` (script, event handler or javascript: URL that survived into HTML), `failed` (any
  other property violation). Every counter except `rejected` must end at zero for the row to pass.
- `tally.note("...")` adds a short remark shown under the table (e.g. "1,200 requests, 3 retries max").
- Several tests may add to the same (section, row): the table sums them. The same test may record
  several rows.
- Record before asserting: a test that fails still writes its record (its outcome is `failed`),
  so the table shows the failure instead of silently dropping the row. A test that asks for the
  fixture and fails before recording anything appears as a failed row named after the test.

The plugin is registered in tests/conftest.py (`pytest_plugins = ["reliability"]`); records are only
written for tests that request the `reliability` fixture, so the rest of the suite is unaffected.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pytest

from paths import REPO

RECORD_DIR = REPO / "out" / "reliability" / "records"
SECTIONS: dict[str, str] = {
    "fuzzing": "1. Fuzzing",
    "crash": "2. Crash safety",
    "concurrency": "3. Concurrency",
    "faults": "4. Faults in engines and sources",
    "hostile": "5. Hostile input",
}
BAD_COUNTERS = ("unhandled", "lost", "corrupted", "unescaped", "failed")
_OUTCOME = pytest.StashKey[dict[str, str]]()


@dataclass
class Tally:
    """Counts for one row of the table: cases run and how they ended."""

    section: str
    row: str
    property: str
    cases: int = 0
    rejected: int = 0
    unhandled: int = 0
    lost: int = 0
    corrupted: int = 0
    unescaped: int = 0
    failed: int = 0
    notes: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # first few offending inputs, for the record

    def add(self, n: int = 1, **counters: int) -> None:
        """Count `n` cases; keyword counters (rejected, unhandled, lost, ...) are added as given."""
        self.cases += n
        for name, value in counters.items():
            if name not in ("rejected", *BAD_COUNTERS):
                raise ValueError(f"unknown reliability counter {name!r}")
            setattr(self, name, getattr(self, name) + value)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def example(self, text: str) -> None:
        """Keep a short description of an offending case (at most five per row)."""
        if len(self.examples) < 5:
            self.examples.append(text[:300])

    @property
    def bad(self) -> int:
        return sum(getattr(self, name) for name in BAD_COUNTERS)


class Recorder:
    """The fixture's object: the tallies one test records."""

    def __init__(self, test: str) -> None:
        self.test = test
        self.tallies: dict[tuple[str, str], Tally] = {}

    def tally(self, section: str, row: str, property: str = "") -> Tally:
        """The tally for (section, row), created on first use; `property` says what must hold."""
        if section not in SECTIONS:
            raise ValueError(f"unknown reliability section {section!r}: use one of {list(SECTIONS)}")
        key = (section, row)
        if key not in self.tallies:
            self.tallies[key] = Tally(section, row, property)
        elif property and not self.tallies[key].property:
            self.tallies[key].property = property
        return self.tallies[key]


def _section_of(path: Path) -> str:
    """`test_reliability_crash.py` → "crash": where a test that recorded nothing is listed."""
    name = path.stem.removeprefix("test_reliability_")
    aliases = {"fuzz": "fuzzing", "fault": "faults", "lock": "concurrency", "kill": "crash"}
    name = aliases.get(name, name)
    return name if name in SECTIONS else "fuzzing"


def record_path(test: str) -> Path:
    """One file per test id, so running a subset of tests replaces only those records."""
    return RECORD_DIR / (re.sub(r"[^A-Za-z0-9._-]+", "_", test).strip("_")[:180] + ".json")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Remember each phase's outcome so the fixture's teardown knows whether the test passed."""
    outcome = yield
    report = outcome.get_result()
    item.stash.setdefault(_OUTCOME, {})[report.when] = report.outcome


@pytest.fixture
def reliability(request: pytest.FixtureRequest) -> Iterator[Recorder]:
    """A Recorder whose tallies are written to out/reliability/records/ when the test ends."""
    recorder = Recorder(request.node.nodeid)
    started = time.perf_counter()
    yield recorder
    phases = request.node.stash.get(_OUTCOME, {})
    outcome = phases.get("call", phases.get("setup", "failed"))
    tallies = list(recorder.tallies.values())
    if not tallies:
        tallies = [Tally(_section_of(request.node.path), recorder.test, "(the test recorded nothing)")]
    RECORD_DIR.mkdir(parents=True, exist_ok=True)
    payload = {
        "test": recorder.test,
        "outcome": outcome,
        "seconds": round(time.perf_counter() - started, 2),
        "tallies": [asdict(t) for t in tallies],
    }
    path = record_path(recorder.test)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
