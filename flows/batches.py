"""Where the per-article work runs: batched Prefect tasks on threads, worker processes or Dask.

The runner is chosen from the project's settings at run time, inside the flow, rather than in the
`@flow` decorator: the same `localize` entry point then serves `medloc run`, `medloc serve` and a
`prefect deploy`ed work pool, a project switches runner by editing `[flow]` in medloc.toml, and
`"auto"` can pick by the number of articles this run actually has to process
(`medloc.batching.choose_runner`: threads for a small incremental run, processes for a big one).
Everything a worker process receives (settings, documents, the lock hold, results) is plain
picklable dataclasses; the glossary and engine caches are rebuilt once per worker process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor
from contextlib import ExitStack, contextmanager
from typing import Any

from prefect import task, unmapped
from prefect.futures import as_completed
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from medloc.batching import batched, choose_batch_size, choose_runner, default_workers, process_documents
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


def task_runner_for(settings: Settings, runner: str | None = None, workers: int = 0) -> TaskRunner[Any]:
    """A fresh (not yet started) task runner: `runner` ("threads", "processes", "dask"), by default
    the settings' own (which must then not be "auto": that needs the article count); `workers`
    overrides `[flow] workers` for a thread or process pool."""
    flow = settings.flow
    kind = runner or flow.task_runner
    if kind == "threads":
        return ThreadPoolTaskRunner(max_workers=workers or flow.workers or None)
    if kind == "processes":
        # Spawned interpreters (Prefect's choice), so nothing of the flow's process is shared: the
        # workers build their own engines and reach the project lock through the LockHold.
        return ProcessPoolTaskRunner(max_workers=workers or default_workers(flow))
    if kind != "dask":
        raise ValueError(f"no task runner {kind!r}")
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


@contextmanager
def _workers_share_the_server(kind: str) -> Iterator[None]:
    """Worker processes report to the flow's own Prefect server, also when that is the ephemeral one.

    Why: `medloc run` uses Prefect's ephemeral server (no PREFECT_API_URL), and the process pool
    hands its workers the flow's settings as environment variables, which then name no server: each
    worker started its own ephemeral server on the same database (measured on the 100-article
    benchmark: one more uvicorn per worker, 217 MB and 5 s of CPU each). Naming the running server's
    URL while tasks are submitted gives the workers that server instead."""
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    if kind != "processes" or get_current_settings().api.url:
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the process's ephemeral server (a singleton), if it was started
    if not server.running:
        yield
        return
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield


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
    batch_task: Any = process_batch,
) -> list[ArticleResult]:
    """Process `documents` in batches on the configured runner; results in document order.

    `advance(n)` is called as each batch completes with its article count (the progress bar).
    `batch_task` is the Prefect task run per slice (`process_batch`; tests hand in one that kills
    its worker process, to exercise the lost-batch handling on the real runner)."""
    if not documents:
        return []
    kind = choose_runner(settings.flow, len(documents))
    hold = current_hold(settings.path(settings.project.state_dir))  # the flow's; workers write under it
    runner = task_runner_for(settings, kind)
    with _workers_share_the_server(kind), _started(runner):
        size = choose_batch_size(len(documents), _workers(runner, settings), kind, settings.flow.batch_size)
        slices = batched(documents, size)
        done, lost = _run_slices(runner, batch_task, slices, settings, hold, advance)
    if lost:
        done.update(_retry_alone(settings, kind, batch_task, slices, lost, hold, advance))
    return [result for index in range(len(slices)) for result in done[index]]


@contextmanager
def _started(runner: TaskRunner[Any]) -> Iterator[TaskRunner[Any]]:
    """`with runner:`, and after it `release_stuck_message_queue(runner)`."""
    try:
        with runner:
            yield runner
    finally:
        release_stuck_message_queue(runner)


def release_stuck_message_queue(runner: TaskRunner[Any]) -> None:
    """Let this process exit after a worker process died while it was sending a message.

    Why: Prefect's process pool forwards its workers' log messages through a multiprocessing queue
    whose write lock a worker holds while it writes. A worker that dies then (the OOM killer, a
    segfault in a C engine, `os._exit`) never releases it; the queue's feeder thread in this process
    then waits for that lock forever, and the interpreter joins the feeder at exit: `medloc run`
    printed its summary and never ended (tests/test_processes.py's dead worker, one run in two).
    Prefect leaves the queue in place exactly when its forwarding thread did not stop; what is
    still in it are log lines, and they are dropped.
    """
    queue = getattr(runner, "_subprocess_message_queue", None)  # Prefect's, private: checked, never required
    if queue is not None and hasattr(queue, "cancel_join_thread"):
        queue.cancel_join_thread()


def _retry_alone(
    settings: Settings,
    kind: str,
    batch_task: Any,
    slices: list[list[SourceDocument]],
    lost: dict[int, str],
    hold: LockHold | None,
    advance: Callable[[int], None],
) -> dict[int, list[ArticleResult]]:
    """Batches lost to a broken process pool, run again one at a time on a one-worker pool.

    Why: when a worker process dies (killed, out of memory, a crash in a C engine) Python's process
    pool fails every batch still queued or running, not only the dead one's. One batch at a time
    tells the batch that kills its worker (its articles become error results, and the pool is
    replaced) from those that merely shared the pool. Only after a crash: costs a worker start-up
    per crash plus the lost batches' work on one core."""
    results: dict[int, list[ArticleResult]] = {}
    with _workers_share_the_server(kind), ExitStack() as stack:
        runner: TaskRunner[Any] | None = None
        for index, reason in lost.items():
            if runner is None:
                runner = stack.enter_context(_started(task_runner_for(settings, kind, workers=1)))
            done, again = _run_slices(runner, batch_task, [slices[index]], settings, hold, lambda n: None)
            if again:
                results[index] = _failed(slices[index], f"{again[0]} (also when run alone; first: {reason})")
                stack.close()  # shut the broken pool down; the next lost batch gets a fresh one
                runner = None
            else:
                results[index] = done[0]
            advance(len(slices[index]))
    return results


def _run_slices(
    runner: TaskRunner[Any],
    batch_task: Any,
    slices: list[list[SourceDocument]],
    settings: Settings,
    hold: LockHold | None,
    advance: Callable[[int], None],
) -> tuple[dict[int, list[ArticleResult]], dict[int, str]]:
    """One task per slice on a started runner. Returns the results by slice index, and the slices
    lost to a broken process pool (index → reason; not yet counted by `advance`)."""
    # quote(): nothing in a slice is a future for Prefect to look for (walking them costs per
    # article). Not on Dask: its serialiser hands the task the annotation's tuple, not the slice.
    local = isinstance(runner, (ThreadPoolTaskRunner, ProcessPoolTaskRunner))
    parameters = {"documents": [quote(s) for s in slices] if local else slices,
                  "settings": unmapped(settings), "hold": unmapped(hold)}
    futures = runner.map(batch_task, parameters)
    position = {future: index for index, future in enumerate(futures)}
    done: dict[int, list[ArticleResult]] = {}
    lost: dict[int, str] = {}
    for future in as_completed(list(futures)):
        index = position[future]
        try:
            done[index] = future.result()
        except BrokenExecutor as exc:  # the pool lost a worker process: retried by the caller
            lost[index] = f"{type(exc).__name__}: {exc}"
            continue
        except Exception as exc:  # the batch itself died (worker lost, cancelled): its articles say so
            done[index] = _failed(slices[index], f"{type(exc).__name__}: {exc}")
        advance(len(slices[index]))
    return done, lost


def _failed(documents: list[SourceDocument], reason: str) -> list[ArticleResult]:
    return [ArticleResult(d.origin, error=f"{d.origin}: batch failed: {reason}") for d in documents]
