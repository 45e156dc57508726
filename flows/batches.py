"""Where the per-article work runs: batched Prefect tasks on threads or on Dask (prefect-dask).

The runner is chosen from the project's settings at run time, inside the flow, rather than in the
`@flow` decorator: the same `localize` entry point then serves `medloc run`, `medloc serve` and a
`prefect deploy`ed work pool, and a project switches to Dask by editing `[flow]` in medloc.toml.
Everything a Dask worker receives (settings, documents, results) is plain picklable dataclasses;
the glossary and engine caches are rebuilt once per worker process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from prefect import task, unmapped
from prefect.futures import as_completed
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from medloc.batching import batched, choose_batch_size, default_workers, process_documents
from medloc.config import Settings
from medloc.fsutil import LockHold, current_hold
from medloc.model import SourceDocument
from medloc.pipeline import ArticleResult


@task(name="process-batch", retries=0)
def process_batch(
    documents: list[SourceDocument], settings: Settings, hold: LockHold | None = None
) -> list[ArticleResult]:
    """All stages for a slice of articles; a bad article becomes its own error result, never the
    batch's failure (so retrying a batch is never needed for one article's fault)."""
    return process_documents(documents, settings, hold)


def task_runner_for(settings: Settings) -> TaskRunner[Any]:
    """A fresh (not yet started) task runner for the `[flow]` settings."""
    flow = settings.flow
    if flow.task_runner != "dask":
        return ThreadPoolTaskRunner(max_workers=flow.workers or None)
    from prefect_dask import DaskTaskRunner

    if flow.dask_address:
        return DaskTaskRunner(address=flow.dask_address)
    cluster: dict[str, Any] = {
        "n_workers": default_workers(flow),
        "threads_per_worker": 1,
        "processes": flow.dask_processes,
        # Its status pages on a free loopback port: never a clash with a cluster on :8787, never public.
        "dashboard_address": "127.0.0.1:0",
    }
    if flow.dask_processes:
        cluster["host"] = "127.0.0.1"  # worker processes talk TCP on loopback (threads use inproc://)
    return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs=cluster)


def _workers(runner: TaskRunner[Any], settings: Settings) -> int:
    """Workers the batches spread over: the cluster's threads for Dask, else the settings/CPUs."""
    client = getattr(runner, "client", None)
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:  # an unanswering scheduler shows up on submit with a clearer error
            return default_workers(settings.flow)
    return default_workers(settings.flow)


def run_articles(
    documents: list[SourceDocument],
    settings: Settings,
    advance: Callable[[int], None] = lambda done: None,
) -> list[ArticleResult]:
    """Process `documents` in batches on the configured runner; results in document order.

    `advance(n)` is called as each batch completes with its article count (the progress bar)."""
    if not documents:
        return []
    runner = task_runner_for(settings)
    with runner:
        size = choose_batch_size(
            len(documents), _workers(runner, settings), settings.flow.task_runner, settings.flow.batch_size
        )
        slices = batched(documents, size)
        hold = current_hold(settings.path(settings.project.state_dir))  # the flow's; workers write under it
        futures = runner.map(
            process_batch, {"documents": slices, "settings": unmapped(settings), "hold": unmapped(hold)}
        )
        position = {future: index for index, future in enumerate(futures)}
        done: dict[int, list[ArticleResult]] = {}
        for future in as_completed(list(futures)):
            index = position[future]
            try:
                done[index] = future.result()
            except Exception as exc:  # the batch itself died (worker lost, cancelled): its articles say so
                reason = f"batch failed: {type(exc).__name__}: {exc}"
                done[index] = [ArticleResult(d.origin, error=f"{d.origin}: {reason}") for d in slices[index]]
            advance(len(slices[index]))
    return [result for index in range(len(slices)) for result in done[index]]
