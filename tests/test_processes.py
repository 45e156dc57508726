"""The localize flow on worker processes (Prefect's ProcessPoolTaskRunner): the same summary, findings
and files as on threads (settings, documents, the lock hold and results cross a real process
boundary), a bad article isolated, and a batch whose worker process dies reported alone while the
batches that shared the broken pool are run again."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prefect import task
from prefect.testing.utilities import prefect_test_harness
from runner_support import comparable_summary, runner_project

from medloc.batching import process_documents
from medloc.config import Settings, load_settings
from medloc.fsutil import LockHold
from medloc.model import SourceDocument
from medloc.pipeline import ArticleResult

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def prefect_server() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=180):
        yield


def _project(root: Path, flow: str) -> Path:
    return runner_project(root, flow, pages=4)


def _comparable(summary: dict[str, Any]) -> dict[str, Any]:
    return {**comparable_summary(summary), "qa": {k: v for k, v in summary["qa"].items() if k != "reports"}}


def _files(project: Path) -> dict[str, bytes]:
    """What the run wrote that does not carry a time or an absolute path: catalogs and segments."""
    found = {}
    for folder in ("locales", "out/segments", "out/qa"):
        for path in sorted((project / folder).rglob("*")):
            if path.is_file():
                found[str(path.relative_to(project))] = path.read_bytes()
    return found


def test_processes_give_the_thread_runner_results(prefect_server: None, tmp_path: Path) -> None:
    from flows.localize import localize

    threads = _project(tmp_path / "threads", 'task_runner = "threads"\nbatch_size = 2')
    processes = _project(tmp_path / "processes", 'task_runner = "processes"\nworkers = 2\nbatch_size = 2')
    on_threads = localize(project_dir=str(threads))
    on_processes = localize(project_dir=str(processes))
    assert _comparable(on_processes) == _comparable(on_threads)
    assert on_processes["processed"] == 4 and on_processes["failed"] == 1
    assert any("broken.html:1" in (a["error"] or "") for a in on_processes["articles"])
    assert any(on_processes["qa"]["findings"].values())  # per-article QA ran in the workers
    assert _files(processes) == _files(threads)  # same catalogs, segments and per-article findings
    assert json.loads((processes / "out" / "summary.json").read_text())["failed"] == 1
    again = localize(project_dir=str(processes))  # incremental: what the workers recorded is reused
    assert sorted(again["cached"]) == ["pr01", "pr02", "pr03", "pr04"]


@task(name="process-batch")
def _batch_that_kills_its_worker(
    documents: list[SourceDocument], settings: Settings, hold: LockHold | None = None
) -> list[ArticleResult]:
    """The real batch, except that a document named crash.txt ends its worker process at once
    (as the kernel's OOM killer or a segfault in a C engine would)."""
    if any(d.name == "crash.txt" for d in documents):
        os._exit(3)
    return process_documents(documents, settings, hold)


def test_a_dead_worker_fails_only_its_batch(prefect_server: None, tmp_path: Path) -> None:
    from prefect import flow

    from flows.batches import run_articles

    (tmp_path / "medloc.toml").write_text(
        '[project]\nlocales = ["es"]\n[flow]\ntask_runner = "processes"\nworkers = 2\nbatch_size = 1\n'
    )
    settings = load_settings(tmp_path)
    docs = [
        SourceDocument(f"{name}.txt", f"source_articles/{name}.txt", f"{name}\n\nTake 5 mg daily.\n".encode())
        for name in ("one", "crash", "two", "three")
    ]
    advanced: list[int] = []

    @flow(name="dead-worker-probe")
    def probe() -> list[ArticleResult]:
        return run_articles(docs, settings, advanced.append, batch_task=_batch_that_kills_its_worker)

    results = probe()
    assert [r.origin for r in results] == [d.origin for d in docs]
    assert [r.ok for r in results] == [True, False, True, True]
    error = results[1].error or ""
    assert "crash.txt: batch failed: BrokenProcessPool" in error and "also when run alone" in error
    assert sum(advanced) == 4  # the progress bar reaches the end, retried batches included


# A queue whose write lock died with the process that held it, as Prefect's message queue is left
# when a worker dies mid-message; then this process's feeder thread waits for that lock forever.
STUCK_QUEUE = """
import multiprocessing, os, sys
from flows.batches import release_stuck_message_queue

fork = multiprocessing.get_context("fork")
queue = fork.Queue()
holder = fork.Process(target=lambda: (queue._wlock.acquire(), os._exit(0)))
holder.start()
holder.join()
queue.put("a log line from the flow")  # the feeder thread now waits for the dead holder's lock


class Runner:
    _subprocess_message_queue = queue


if sys.argv[1] == "release":
    release_stuck_message_queue(Runner())
print("at exit", flush=True)
"""


@pytest.mark.parametrize(("what", "ends"), [("release", True), ("keep", False)])
def test_a_process_with_a_stuck_message_queue_exits_once_it_is_released(what: str, ends: bool) -> None:
    """The premise (kept: the interpreter waits at exit forever) and the remedy (released: it exits)."""
    import subprocess
    import sys

    from paths import REPO

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}
    child = subprocess.Popen([sys.executable, "-c", STUCK_QUEUE, what], stdout=subprocess.PIPE, text=True,
                             env=env)
    try:
        code = child.wait(timeout=15 if ends else 5)
    except subprocess.TimeoutExpired:
        code = None
    finally:
        child.kill()
        output = child.communicate()[0]
    assert "at exit" in output  # it got to its end in both cases; only the exit differs
    assert (code == 0) if ends else (code is None)
