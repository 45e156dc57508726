"""Crash safety (issue 7, part 2): `medloc run` killed with SIGKILL at random points, then rerun.

Why SIGKILL and a real subprocess: a scheduled run dies the hard way (OOM killer, a reboot, a
container stopped) — no `finally`, no atexit, half of a write in flight. What must hold anyway, after
every kill and after the rerun: every PO file parses and passes `msgfmt -c`, every JSON file parses,
no translation present before the trials is missing (active, fuzzy or obsolete), and once a run
completes there is no leftover temporary file and the publish manifest matches the pages on disk.

Each trial first changes a few articles and a translator's PO file, so the killed run has real
merging, QA and publishing to do; the kill comes after a random delay spanning a full run (measured
during set-up). The seed is printed; `MEDLOC_CRASH_SEED=<n>` replays a campaign and
`MEDLOC_CRASH_TRIALS=<n>` sizes it. All runs share one Prefect API server (hardening_support), so a
trial costs its own work rather than Prefect's start-up. The fuzz-marked campaign runs 40 trials.
"""

from __future__ import annotations

import os
import random
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hardening_support import (
    edit_sources,
    inspect_project,
    kill_group,
    lost_translations,
    make_project,
    prefect_env,
    pseudo_translation,
    run_to_end,
    shared_prefect_api,
    start_run,
    translate_po_files,
    translations,
)
from reliability import Recorder

from medloc.catalog import read_catalog
from medloc.po import dump


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shared_prefect_api(tmp_path_factory) as url:
        yield url

ROW = "SIGKILL at a random point of `medloc run` (34 articles × es, fr), then rerun"
PROPERTY = ("after each kill: PO files valid (msgfmt -c), JSON parses, no translation lost; "
            "after the rerun: it completes, no temporary file left, manifest matches pages")


def _translator_saves(project: Path, rng: random.Random) -> str:
    """A translator fills one empty entry of a random PO file (between runs, as Poedit would)."""
    files = sorted((project / "locales").glob("[!t]*/*.po"))
    for path in rng.sample(files, len(files)):
        po = read_catalog(path)
        empty = [e for e in po.entries if not e.obsolete and not e.msgstr and e.msgid_plural is None]
        if empty:
            entry = rng.choice(empty)
            entry.msgstr = pseudo_translation(entry.msgid, path.parent.name)
            path.write_text(dump(po), encoding="utf-8")
            return str(path.relative_to(project))
    return ""


def campaign(tmp_path: Path, api_url: str, reliability: Recorder, trials: int, seed: int) -> None:
    print(f"crash campaign: seed {seed} (MEDLOC_CRASH_SEED={seed} replays it), {trials} trials")
    rng = random.Random(seed)
    tally = reliability.tally("crash", ROW, PROPERTY)
    project = make_project(tmp_path / "project")
    env = prefect_env(tmp_path / "client", api_url)
    log = tmp_path / "runs.log"
    assert run_to_end(project, env, log) == 0, log.read_text()[-3000:]
    translate_po_files(project, share=0.8)
    translate_po_files(project, share=1.0, every_nth_article=2)
    started = time.monotonic()
    assert run_to_end(project, env, log) == 0, log.read_text()[-3000:]
    full_run = time.monotonic() - started  # every article redone (every PO file changed)
    before = translations(project)
    assert sum(map(len, before.values())) > 500
    baseline = inspect_project(project)
    assert not baseline.problems, baseline.problems
    tally.note(f"seed {seed}; kill delays uniform in 0.2–{full_run:.0f} s (one full run)")
    killed = completed = temp_seen = 0
    for trial in range(trials):
        edit_sources(project, rng, 6)
        saved = _translator_saves(project, rng)
        before = translations(project)  # includes the translator's new msgstr
        delay = rng.uniform(0.2, full_run)
        proc = start_run(project, env, log)
        try:
            proc.wait(timeout=delay)
            completed += 1
            outcome = f"finished before the kill (rc {proc.returncode})"
        except subprocess.TimeoutExpired:
            killed += 1
            outcome = "killed"
        finally:
            kill_group(proc)
        seen = inspect_project(project, allow_temp_files=True)
        po_problems = [p for p in seen.problems if ".po" in p or "JSON" in p]
        lost = lost_translations(before, translations(project))
        temp_seen += len(seen.temp_files)
        print(f"trial {trial}: delay {delay:.2f} s, {outcome}; translator saved {saved}; "
              f"{len(seen.temp_files)} temp file(s); problems {seen.problems[:3]}; lost {len(lost)}")
        tally.add(lost=len(lost), corrupted=len(po_problems))
        for problem in (po_problems + lost)[:2]:
            tally.example(f"trial {trial} (delay {delay:.2f} s): {problem}")
        assert not po_problems and not lost, (trial, po_problems, lost)
    started = time.monotonic()
    rc = run_to_end(project, env, log)
    rerun = time.monotonic() - started
    final = inspect_project(project)
    lost = lost_translations(before, translations(project))
    tally.add(lost=len(lost), corrupted=len(final.problems), failed=int(rc != 0))
    tally.note(f"{killed} runs killed mid-way, {completed} finished before the kill; "
               f"{temp_seen} temporary file(s) seen right after kills, 0 after the rerun required; "
               f"rerun {rerun:.0f} s: {final.po_files} PO files, {final.json_files} JSON files, "
               f"{final.pages} published pages checked")
    for problem in (final.problems + lost)[:3]:
        tally.example(f"after the rerun: {problem}")
    assert rc == 0, log.read_text()[-3000:]
    assert not final.problems, final.problems
    assert not lost, lost
    assert killed >= trials // 2, f"only {killed} of {trials} runs were killed mid-way"


def _seed() -> int:
    return int(os.environ.get("MEDLOC_CRASH_SEED") or random.SystemRandom().randrange(2**32))


@pytest.mark.slow
def test_sigkill_at_random_points_then_rerun(tmp_path: Path, prefect_api: str, reliability: Recorder) -> None:
    campaign(tmp_path, prefect_api, reliability, int(os.environ.get("MEDLOC_CRASH_TRIALS", "10")), _seed())


@pytest.mark.fuzz
def test_sigkill_campaign(tmp_path: Path, prefect_api: str, reliability: Recorder) -> None:
    campaign(tmp_path, prefect_api, reliability, int(os.environ.get("MEDLOC_CRASH_TRIALS", "40")), _seed())
