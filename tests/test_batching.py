"""Batching: how many articles per task, one task per batch in the real flow engine, and a bad
article (an error result or an exception) never takes its batch's other articles down."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness

from medloc import batching
from medloc.batching import (
    auto_process_threshold,
    batched,
    choose_batch_size,
    choose_runner,
    process_documents,
    validate_flow_settings,
)
from medloc.config import FlowSettings, load_settings
from medloc.model import MedlocError, SourceDocument
from medloc.pipeline import ArticleResult


def _documents(count: int) -> list[SourceDocument]:
    docs = [
        SourceDocument(
            name=f"note-{i}.txt",
            origin=f"source_articles/note-{i}.txt",
            data=f"Note {i}\n\nTake 500 mg of aspirin daily, number {i}.\n".encode(),
        )
        for i in range(count)
    ]
    return docs


def _project(tmp_path: Path, batch_size: int = 0) -> Path:
    (tmp_path / "medloc.toml").write_text(f'[project]\nlocales = ["es"]\n[flow]\nbatch_size = {batch_size}\n')
    return tmp_path


@pytest.mark.parametrize(
    ("count", "workers", "runner", "configured", "expected"),
    [
        (10, 2, "threads", 3, 3),  # the setting wins
        (0, 2, "threads", 0, 1),
        (1, 2, "threads", 0, 1),
        (7, 2, "threads", 0, 4),  # few articles: one batch per worker
        (36, 2, "threads", 0, 10),  # floor: 10 articles (~1 s) per ~50 ms task -> 4 tasks
        (1000, 2, "threads", 0, 125),  # 4 batches per worker: 8 tasks
        (36, 2, "dask", 0, 18),  # ~170 ms a task: few big batches, but every worker gets one
        (1000, 2, "dask", 0, 125),
        (1000, 16, "dask", 0, 34),  # many workers: floor of 34 articles per ~170 ms task
        (100, 2, "processes", 0, 26),  # ~130 ms a task: floor of 26 articles -> 4 tasks
        (1000, 2, "processes", 0, 125),
    ],
)
def test_batch_size_policy(count: int, workers: int, runner: str, configured: int, expected: int) -> None:
    assert choose_batch_size(count, workers, runner, configured) == expected


def test_auto_batches_keep_orchestration_small_and_workers_busy() -> None:
    for runner, task_seconds in batching.TASK_SECONDS.items():
        for count in (2, 7, 40, 333, 5000):
            for workers in (1, 2, 8):
                size = choose_batch_size(count, workers, runner)
                tasks = math.ceil(count / size)
                assert tasks >= min(count, workers)  # no idle worker while there is work
                if size < math.ceil(count / workers):  # not capped by the worker count
                    overhead = task_seconds / (size * batching.ARTICLE_SECONDS)  # per full batch
                    assert overhead <= batching.TARGET_SHARE + 1e-9


def test_auto_runner_is_the_default_and_picks_by_article_count() -> None:
    auto = FlowSettings()
    assert auto.task_runner == "auto"
    threshold = auto_process_threshold(2)
    assert 4 <= threshold <= 100  # 2 × workers at least; a 100-article cold run earns the start-up
    assert choose_runner(auto, 1, cpus=2) == "threads"  # a one-article incremental run stays fast
    assert choose_runner(auto, threshold - 1, cpus=2) == "threads"
    assert choose_runner(auto, threshold, cpus=2) == "processes"
    assert choose_runner(auto, 1000, cpus=2) == "processes"
    assert choose_runner(auto, 1000, cpus=1) == "threads"  # one core: processes only add start-up
    assert choose_runner(FlowSettings(workers=1), 1000, cpus=8) == "threads"
    assert choose_runner(FlowSettings(workers=16), threshold, cpus=2) == "processes"  # capped at 2 cores
    assert auto_process_threshold(8) <= threshold  # more cores: the start-up pays off sooner
    for runner in ("threads", "processes", "dask"):  # an explicit choice is kept, whatever the count
        assert choose_runner(FlowSettings(task_runner=runner), 1, cpus=2) == runner
        assert choose_runner(FlowSettings(task_runner=runner), 10_000, cpus=1) == runner


def test_auto_runner_from_settings_file_and_environment(tmp_path: Path) -> None:
    (tmp_path / "medloc.toml").write_text('[flow]\ntask_runner = "processes"\n')
    assert load_settings(tmp_path, env={}).flow.task_runner == "processes"
    env = {"MEDLOC_FLOW__TASK_RUNNER": "threads"}
    assert load_settings(tmp_path, env=env).flow.task_runner == "threads"
    (tmp_path / "medloc.toml").write_text("[flow]\ntask_runner = 2\n")
    with pytest.raises(MedlocError, match=r"flow\.task_runner"):
        load_settings(tmp_path, env={})


def test_batched_keeps_order_and_sizes() -> None:
    items = list(range(11))
    slices = batched(items, 4)
    assert slices == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]
    assert [x for s in slices for x in s] == items
    with pytest.raises(ValueError):
        batched(items, 0)


def test_flow_settings_are_validated_with_the_key() -> None:
    with pytest.raises(MedlocError, match=r"flow\.task_runner.*auto, threads, processes, dask.*'spark'"):
        validate_flow_settings(FlowSettings(task_runner="spark"))
    for runner in ("auto", "threads", "processes", "dask"):
        validate_flow_settings(FlowSettings(task_runner=runner))
    with pytest.raises(MedlocError, match=r"flow\.workers"):
        validate_flow_settings(FlowSettings(task_runner="processes", workers=-2))
    with pytest.raises(MedlocError, match=r"flow\.batch_size"):
        validate_flow_settings(FlowSettings(batch_size=-1))
    with pytest.raises(MedlocError, match="dask_address"):
        validate_flow_settings(FlowSettings(dask_address="tcp://127.0.0.1:8786"))
    validate_flow_settings(FlowSettings(task_runner="dask", dask_address="tcp://127.0.0.1:8786"))


def test_settings_documents_and_results_pickle(tmp_path: Path) -> None:
    """What crosses a process boundary to a Dask worker and back."""
    settings = load_settings(_project(tmp_path))
    document = _documents(1)[0]
    result = ArticleResult(origin="x", slug="x", stages={"extract": 0.1}, notes=["n"])
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert pickle.loads(pickle.dumps(settings)).root == settings.root  # root is not part of ==
    assert pickle.loads(pickle.dumps(document)) == document
    assert pickle.loads(pickle.dumps(result)) == result


def test_bad_article_inside_a_batch_is_isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(_project(tmp_path))
    docs = _documents(4)
    docs[1] = SourceDocument("bad.txt", "source_articles/bad.txt", "Caf\u00e9 \u201cq\u201d".encode("cp1252"))
    real = batching.process_document

    def explode_on_third(document: SourceDocument, settings_: object) -> ArticleResult:
        if document.origin.endswith("note-2.txt"):
            raise MemoryError("simulated")
        return real(document, settings_)  # type: ignore[arg-type]

    monkeypatch.setattr(batching, "process_document", explode_on_third)
    results = process_documents(docs, settings)
    assert [r.origin for r in results] == [d.origin for d in docs]
    assert results[0].ok and results[3].ok
    assert "bad.txt:1" in (results[1].error or "")
    assert "internal error MemoryError: simulated" in (results[2].error or "")


@pytest.fixture(scope="module")
def prefect_server():
    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.mark.slow
def test_flow_runs_one_task_per_batch(prefect_server, tmp_path: Path) -> None:
    """7 articles with batch_size 3 -> 3 process-batch task runs; the bad one fails alone."""
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from flows.batches import run_articles

    settings = load_settings(_project(tmp_path, batch_size=3))
    docs = _documents(7)
    docs[4] = SourceDocument("bad.txt", "source_articles/bad.txt", "Caf\u00e9 \u201cq\u201d".encode("cp1252"))
    advanced: list[int] = []

    @flow(name="batch-probe")
    def probe() -> tuple[str, list[ArticleResult]]:
        from prefect.runtime import flow_run

        return flow_run.id, run_articles(docs, settings, advanced.append)

    run_id, results = probe()
    assert [r.origin for r in results] == [d.origin for d in docs]
    assert [r.ok for r in results] == [True, True, True, True, False, True, True]
    assert sorted(advanced) == [1, 3, 3] and sum(advanced) == 7
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run_id])))
    batches = [r for r in runs if r.name.startswith("process-batch")]
    assert len(batches) == math.ceil(7 / 3)
    assert all(r.state is not None and r.state.is_completed() for r in batches)


@pytest.mark.slow
def test_workers_write_only_while_the_run_holds_the_project_lock(tmp_path: Path) -> None:
    """A worker process re-enters the run's lock through its hold, never for a run that has ended."""
    import multiprocessing

    from medloc.fsutil import current_hold, delegated_lock, project_lock

    state = tmp_path / ".medloc"
    assert current_hold(state) is None
    with project_lock(state):
        hold = current_hold(state)
        assert hold is not None
        with delegated_lock(hold):  # the holder's own process: plain re-entry
            pass
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:  # another process while the run holds: allowed
            assert pool.apply(_write_under, (hold, str(tmp_path / "w1"))) == "ok"
    with pytest.raises(MedlocError, match="has ended"), delegated_lock(hold):  # the run is over: refused
        pass


def _write_under(hold: object, path: str) -> str:
    from medloc.fsutil import delegated_lock, project_lock

    with delegated_lock(hold), project_lock(Path(path).parent / ".medloc", timeout=2):  # type: ignore[arg-type]
        Path(path).write_text("x")
    return "ok"
