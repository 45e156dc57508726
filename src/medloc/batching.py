"""Articles in batches: which runner, how many articles per orchestrated task, and one bad article
never fails its batch.

Why batches: a Prefect task costs 5-50 ms on the thread runner and 90-170 ms on Dask (DESIGN.md's
figures, and no-op tasks against a local Prefect server on the loaded 2-core machine: ~50 ms and
~170 ms of throughput per task), while an article costs 0.05-0.5 s (the benchmark's budget, and a
cold NCI page with QA). One task per article would spend more time orchestrating than working on
Dask, so the flow hands each task a slice of articles and keeps `process_document` per article
inside it. This module is plain Python
(no Prefect) so the policy and the isolation are testable on their own.

Why a process runner: the per-article work (extraction, catalogs, QA with Harper, Grammalecte and
hunspell) is CPU-bound Python and C that holds the GIL, so on threads a cold run uses one core (the
100-article benchmark: 88.9 s on threads, 74 s for the same calls without Prefect, 2 cores). Worker
processes use every core but each pays a start-up (interpreter, imports, its own engines), so
`"auto"` takes them only when the run has enough articles to earn that back (`choose_runner`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import TypeVar

from medloc.config import FlowSettings, Settings
from medloc.fsutil import LockHold, delegated_lock
from medloc.model import MedlocError, SourceDocument
from medloc.pipeline import ArticleResult, process_document

T = TypeVar("T")

TASK_RUNNERS = ("auto", "threads", "processes", "dask")
# Per-task orchestration cost (seconds, the measured upper figures) and a cheap article's cost: the
# batch must be big enough that orchestration stays under TARGET_SHARE of the work it carries.
# "processes": 40 no-op tasks on Prefect's ProcessPoolTaskRunner (2 workers, already started) against
# a local Prefect server on the 2-core machine: 83-126 ms of throughput per task, against 5-7 ms
# for threads in the same measurement (each process task ships its context and environment, and its
# subprocess makes its own API calls). Same ratio as Dask's, so the same order of batch size.
TASK_SECONDS = {"threads": 0.05, "processes": 0.13, "dask": 0.17}
ARTICLE_SECONDS = 0.1
TARGET_SHARE = 0.05
# Several batches per worker keep the workers busy to the end (batches differ in cost) and give the
# progress bar steps to show.
BATCHES_PER_WORKER = 4
# "auto" (`choose_runner`). A worker's start-up, measured in a spawned process on the 100-article
# benchmark project (5 locales): importing what the task's unpickling imports 1.8-2.0 s, then its
# first article 3.0-4.1 s against 0.5-2.1 s for the next ones (the engines: hunspell, Harper,
# Grammalecte, ~2-2.5 s; peak ~600 MB). Threads load the engines once too, so what processes add is
# about the imports plus the parent's own spellers for project QA: ~4 s. An article: the benchmark's
# cold run averages 0.6 s of one core per article (67 s of flow for 100 articles on threads); the
# policy takes half that, so a run of cheap articles does not pay a start-up it cannot earn back.
WORKER_START_SECONDS = 4.0
AUTO_ARTICLE_SECONDS = 0.3


def validate_flow_settings(flow: FlowSettings) -> None:
    """Reject a runner or size the flow cannot use, naming the key, before any work starts."""
    if flow.task_runner not in TASK_RUNNERS:
        raise MedlocError(
            f"setting 'flow.task_runner' must be one of {', '.join(TASK_RUNNERS)}, got {flow.task_runner!r}"
        )
    for key in ("workers", "batch_size"):
        if getattr(flow, key) < 0:
            raise MedlocError(f"setting 'flow.{key}' must be 0 (auto) or more, got {getattr(flow, key)}")
    if flow.dask_address and flow.task_runner != "dask":
        raise MedlocError("setting 'flow.dask_address' is set but 'flow.task_runner' is not \"dask\"")


def default_workers(flow: FlowSettings) -> int:
    """Workers the batches are spread over when the settings do not say (the machine's CPUs)."""
    return flow.workers or os.cpu_count() or 1


def auto_process_threshold(parallel: int) -> int:
    """Fewest articles for which worker processes beat threads on `parallel` (≥ 2) cores.

    Threads do the articles one core's worth at a time (the GIL): N × AUTO_ARTICLE_SECONDS. Processes
    divide that by `parallel` but first pay WORKER_START_SECONDS (the workers start side by side, one
    per core, so that is also the wall time). Processes win when
    N × AUTO_ARTICLE_SECONDS × (1 - 1/parallel) > WORKER_START_SECONDS, and every worker should get
    two articles or more (else a worker is started for nothing)."""
    parallel = max(2, parallel)
    gain_per_article = AUTO_ARTICLE_SECONDS * (1 - 1 / parallel)
    return max(2 * parallel, math.ceil(WORKER_START_SECONDS / gain_per_article))


def choose_runner(flow: FlowSettings, count: int, cpus: int | None = None) -> str:
    """The runner for a run with `count` articles to process: the configured one, or for "auto"
    "processes" when there are enough articles to pay the workers' start-up
    (`auto_process_threshold`) and more than one CPU to use, else "threads" — so a one-article
    incremental run stays on threads and starts no interpreter nor second set of engines."""
    if flow.task_runner != "auto":
        return flow.task_runner
    cpus = (os.cpu_count() or 1) if cpus is None else cpus
    parallel = min(flow.workers or cpus, cpus)  # processes beyond the cores add start-up, not speed
    if parallel < 2:
        return "threads"
    return "processes" if count >= auto_process_threshold(parallel) else "threads"


def choose_batch_size(count: int, workers: int, runner: str = "threads", configured: int = 0) -> int:
    """Articles per task: the configured size, or the smallest size that keeps orchestration cheap
    while giving every worker a few batches (never fewer batches than workers when there is work)."""
    if configured > 0:
        return configured
    if count <= 0:
        return 1
    workers = max(1, workers)
    balanced = math.ceil(count / (workers * BATCHES_PER_WORKER))
    task_seconds = TASK_SECONDS.get(runner, TASK_SECONDS["dask"])
    cheap = math.ceil(round(task_seconds / (TARGET_SHARE * ARTICLE_SECONDS), 6))
    return max(1, min(max(balanced, cheap), math.ceil(count / workers)))


def batched(items: Sequence[T], size: int) -> list[list[T]]:
    """Consecutive slices of `size` items, in order (the flow zips results back onto documents)."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def process_documents(
    documents: Sequence[SourceDocument], settings: Settings, hold: LockHold | None = None
) -> list[ArticleResult]:
    """One result per document, in order. `process_document` already turns an article's errors into
    its result; the guard here also catches what escapes it (e.g. a MemoryError on one huge page) so
    the batch's other articles still come back.

    `hold` is the run's project lock, passed on when this runs in a Dask worker process: without it
    the catalog writer would wait for the lock the waiting flow holds."""
    with delegated_lock(hold):
        return _each(documents, settings)


def _each(documents: Sequence[SourceDocument], settings: Settings) -> list[ArticleResult]:
    results: list[ArticleResult] = []
    for document in documents:
        try:
            results.append(process_document(document, settings))
        except Exception as exc:
            results.append(
                ArticleResult(
                    origin=document.origin,
                    error=f"{document.origin}: internal error {type(exc).__name__}: {exc}",
                )
            )
    return results
