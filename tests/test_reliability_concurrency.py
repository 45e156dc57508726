"""Concurrency (issue 7, part 3): overlapping runs and a translator saving PO files during a run.

Why real processes: the project lock is an `flock` held by a process, and the concurrent-edit guard
compares a PO file on disk with what the run read — both only mean something across processes.
A "scheduled" run is what a Prefect deployment executes: the `localize` flow in a Python process of
its own (`python -c 'from flows.localize import localize; localize(...)'`); a "manual" run is the
`medloc run` command. Every child talks to the session's one Prefect API server.

What must hold: while one run holds the lock, a second one either waits and then completes, or —
when its `catalog.lock_timeout_seconds` runs out — exits non-zero with a message naming the lock and
the holder's pid; nothing is corrupted (PO files pass `msgfmt -c`, JSON parses, manifest matches);
and every msgstr a translator saved while a run was merging is still there afterwards.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
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
    run_to_end,
    shared_prefect_api,
    start_run,
    translate_po_files,
    translations,
)
from reliability import Recorder

from medloc.catalog import read_catalog
from medloc.po import dump

LOCK_MESSAGE = "holds the project lock; waited"


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shared_prefect_api(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> tuple[Path, dict[str, str]]:
    """34 articles with PO files and translations, after one complete run (shared by the tests)."""
    root = tmp_path_factory.mktemp("concurrency")
    project = make_project(root / "project")
    env = prefect_env(root / "client", prefect_api)
    log = root / "setup.log"
    assert run_to_end(project, env, log) == 0, log.read_text()[-3000:]
    translate_po_files(project, share=0.7)
    return project, env


def start_scheduled(project: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """The flow as a deployment's flow run executes it: in-process, in a Python child of its own."""
    code = ("import sys; from medloc.runtime import configure_prefect; configure_prefect(sys.argv[1]); "
            "from flows.localize import localize; localize(project_dir=sys.argv[1])")
    handle = log.open("ab")
    try:
        return subprocess.Popen([sys.executable, "-c", code, str(project)], env=env, stdout=handle,
                                stderr=subprocess.STDOUT, start_new_session=True, cwd=project)
    finally:
        handle.close()


def wait_for_lock(project: Path, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    """Until `proc` holds the project lock (the lock file then holds its pid)."""
    lock = project / ".medloc" / "medloc.lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the first run ended (rc {proc.returncode}) before taking the lock")
        try:
            if lock.read_text().strip() == str(proc.pid):
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError("the first run never took the project lock")


def give_work(project: Path) -> None:
    """Make the next run redo every article (the glossary is an input of each)."""
    words = project / "glossary" / "words.txt"
    words.write_text(words.read_text(encoding="utf-8") + f"\nConcurrencyword{time.monotonic_ns()}\n",
                     encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("first", ["scheduled", "manual"])
def test_overlapping_runs_wait_or_exit_with_a_clear_message(
    project: tuple[Path, dict[str, str]], tmp_path: Path, reliability: Recorder, first: str
) -> None:
    """The first run holds the lock; a second with a 1 s lock timeout exits 2 naming the holder, a
    third with the default timeout waits and completes after the first; nothing is corrupted."""
    tally = reliability.tally(
        "concurrency", "Two runs at once (scheduled flow run and manual `medloc run`, both orders)",
        "second run waits and completes, or exits with the lock message after lock_timeout_seconds; "
        "no corruption, no lost translation")
    root, env = project
    before = translations(root)
    give_work(root)
    log = tmp_path / "runs.log"
    starter = start_scheduled if first == "scheduled" else start_run
    other = start_run if first == "scheduled" else start_scheduled
    holder = starter(root, env, log)
    impatient = waiter = None
    try:
        wait_for_lock(root, holder)
        # Freeze the holder while it holds the lock: the overlap must not depend on how long its
        # work takes compared with the second process's start-up (a fast holder made this flaky).
        os.killpg(holder.pid, signal.SIGSTOP)
        try:
            impatient_log = tmp_path / "impatient.log"
            impatient = other(root, {**env, "MEDLOC_CATALOG__LOCK_TIMEOUT_SECONDS": "1"}, impatient_log)
            impatient_rc = impatient.wait(timeout=120)
            waiter_started = time.monotonic()
            waiter = other(root, env, tmp_path / "waiter.log")
            time.sleep(1.0)  # the waiter starts while the holder still holds the lock
        finally:
            os.killpg(holder.pid, signal.SIGCONT)
        holder_rc = holder.wait(timeout=300)
        holder_done = time.monotonic()
        waiter_rc = waiter.wait(timeout=300)
    finally:
        for proc in (holder, impatient, waiter):
            if proc is not None:
                kill_group(proc)
    message = impatient_log.read_text(errors="replace")
    clear = LOCK_MESSAGE in message and f"(pid {holder.pid})" in message and "medloc.lock" in message
    seen = inspect_project(root)
    lost = lost_translations(before, translations(root))
    tally.add(n=2, failed=int(impatient_rc == 0 or not clear) + int(waiter_rc != 0 or holder_rc != 0),
              corrupted=len(seen.problems), lost=len(lost))
    if not clear:
        tally.example(f"{first} first: the impatient run said {message[-400:]!r}")
    assert impatient_rc != 0 and clear, message[-3000:]
    assert holder_rc == 0, log.read_text()[-3000:]
    assert waiter_rc == 0, (tmp_path / "waiter.log").read_text()[-3000:]
    assert holder_done - waiter_started > 0  # the waiter was started while the holder still ran
    assert not seen.problems and not lost, (seen.problems, lost)


class Translator(threading.Thread):
    """Saves PO files in place (like a simple editor: truncate and write) as fast as it can,
    filling one empty entry each time, until stopped; remembers every msgstr it wrote."""

    def __init__(self, project: Path, seed: int) -> None:
        super().__init__(daemon=True)
        self.project = project
        self.rng = random.Random(seed)
        self.saved: list[tuple[str, str]] = []
        self.stop = threading.Event()
        self.errors: list[str] = []

    def run(self) -> None:
        files = sorted((self.project / "locales").glob("[!t]*/*.po"))
        number = 0
        while not self.stop.is_set() and number < 5000:
            path = self.rng.choice(files)
            try:
                po = read_catalog(path)
            except Exception as exc:  # a file medloc is replacing right now: try another
                self.errors.append(str(exc))
                continue
            empty = [e for e in po.entries if not e.obsolete and not e.msgstr and e.msgid_plural is None]
            if not empty:
                continue
            number += 1
            entry = self.rng.choice(empty)
            entry.msgstr = f"translator save {number}: {entry.msgid}"
            path.write_text(dump(po), encoding="utf-8")
            self.saved.append((str(path.relative_to(self.project)), entry.msgstr))
            time.sleep(0.01)


@pytest.mark.slow
def test_translator_saving_during_a_run_is_never_overwritten(
    project: tuple[Path, dict[str, str]], tmp_path: Path, reliability: Recorder
) -> None:
    """While a run merges every article's PO files, a translator keeps saving them: afterwards (and
    after the next run, which merges what was skipped) every msgstr the translator saved is there."""
    tally = reliability.tally(
        "concurrency", "Translator saves PO files (in place) while a run merges them",
        "every msgstr saved during the run is in the file after the run and after the next run; "
        "files valid")
    root, env = project
    before = translations(root)
    give_work(root)
    edit_sources(root, random.Random(7), 10)
    log = tmp_path / "run.log"
    translator = Translator(root, seed=11)
    run = start_run(root, env, log)
    try:
        translator.start()
        rc = run.wait(timeout=300)
    finally:
        translator.stop.set()
        translator.join(timeout=30)
        kill_group(run)
    after_run = translations(root)
    missing = [f"{path}: {text[:50]}" for path, text in translator.saved
               if text not in after_run.get(path, ())]
    assert run_to_end(root, env, log) == 0, log.read_text()[-3000:]
    final = translations(root)
    missing_later = [f"{path}: {text[:50]}" for path, text in translator.saved
                     if text not in final.get(path, ())]
    seen = inspect_project(root)
    lost = lost_translations(before, final)
    tally.add(n=len(translator.saved), lost=len(set(missing + missing_later)) + len(lost),
              corrupted=len(seen.problems), failed=int(rc != 0))
    tally.note(f"{len(translator.saved)} translator saves during one run of 34 articles × 2 locales")
    for problem in (missing + missing_later + lost)[:3]:
        tally.example(problem)
    assert rc == 0, log.read_text()[-3000:]
    assert len(translator.saved) >= 20
    assert not missing and not missing_later and not lost, (missing[:5], missing_later[:5], lost[:5])
    assert not seen.problems, seen.problems


def test_translator_save_during_our_fsync_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reliability: Recorder
) -> None:
    """Regression: the concurrent-edit guard ran *before* the temporary file was written and fsynced,
    so a translator's save during that fsync (tens of ms on a busy disk) was replaced by the run's
    merge and lost. Now the guard runs right before the rename. Reproduced deterministically: the
    translator saves the Spanish PO file while medloc fsyncs its temporary copy."""
    from catalog_support import make_article
    from catalog_support import make_project as make_catalog_project

    import medloc.fsutil
    from medloc.catalog import po_path, update_catalogs

    tally = reliability.tally(
        "concurrency", "Translator saves a PO file during the run's fsync of the same file (regression)",
        "the translator's save survives; the file is reported skipped and merged on the next run")
    settings = make_catalog_project(tmp_path)
    paragraphs = ["Take 500 mg of aspirin daily.", "Drink plenty of water."]
    update_catalogs(make_article("aspirin", paragraphs, title="Aspirin"), settings)
    es = po_path(settings, "es", "aspirin")
    real_fsync = medloc.fsutil.os.fsync
    saved: list[bytes] = []

    def fsync_while_translator_saves(fd: int) -> None:
        real_fsync(fd)
        if not saved and Path(f"/proc/self/fd/{fd}").resolve().name.startswith(".aspirin.po."):
            po = read_catalog(es)
            po.entries[0].msgstr = "Tome 500 mg de aspirina al día."
            es.write_text(dump(po), encoding="utf-8")
            saved.append(es.read_bytes())

    monkeypatch.setattr(medloc.fsutil.os, "fsync", fsync_while_translator_saves)
    update = update_catalogs(make_article("aspirin", [*paragraphs, "New."], title="Aspirin"), settings)
    monkeypatch.undo()
    status = {u.locale: u.status for u in update.locales}
    survived = bool(saved) and es.read_bytes() == saved[0]
    tally.add(lost=int(not survived))
    assert saved and survived and status["es"] == "skipped", status
    update = update_catalogs(make_article("aspirin", [*paragraphs, "New."], title="Aspirin"), settings)
    assert {u.locale: u.status for u in update.locales}["es"] == "updated"
    assert "Tome 500 mg de aspirina al día." in es.read_text(encoding="utf-8")
    assert not [p for p in es.parent.iterdir() if p.name.endswith(".tmp")]
