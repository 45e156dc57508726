"""The localize flow on Dask (prefect-dask): on an existing cluster (a LocalCluster on 127.0.0.1 with a
worker process, so settings, documents and results cross a process boundary) and on a local cluster
the flow starts itself; both give the same summary as the thread runner, bad article included."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prefect.testing.utilities import prefect_test_harness
from runner_support import comparable_summary, runner_project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def prefect_server() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    from distributed import LocalCluster

    # One worker process with two threads: a real process boundary at the cost of one interpreter.
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
    ) as local:
        yield local


def _project(root: Path, flow: str) -> Path:
    return runner_project(root, flow, pages=5)


def _comparable(summary: dict[str, Any]) -> dict[str, Any]:
    return {**comparable_summary(summary), "findings": summary["qa"]["findings"]}


@pytest.fixture(scope="module")
def on_threads(prefect_server: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from flows.localize import localize

    return localize(project_dir=str(_project(tmp_path_factory.mktemp("threads"), "batch_size = 2")))


def test_existing_cluster_gives_the_thread_runner_summary(
    on_threads: dict[str, Any], cluster: Any, tmp_path: Path
) -> None:
    from flows.localize import localize

    flow = f'task_runner = "dask"\ndask_address = "{cluster.scheduler_address}"\nbatch_size = 2'
    project = _project(tmp_path, flow)
    on_dask = localize(project_dir=str(project))
    assert _comparable(on_dask) == _comparable(on_threads)
    assert on_dask["processed"] == 5 and on_dask["failed"] == 1
    assert any("broken.html:1" in (a["error"] or "") for a in on_dask["articles"])
    assert (project / "locales" / "es" / "pr01.po").is_file()
    assert (project / "out" / "summary.json").is_file()
    again = localize(project_dir=str(project))  # incremental on Dask too; the cluster is reused
    assert sorted(again["cached"]) == ["pr01", "pr02", "pr03", "pr04", "pr05"]


def test_local_cluster_started_by_the_flow(on_threads: dict[str, Any], tmp_path: Path) -> None:
    from flows.localize import localize

    flow = 'task_runner = "dask"\nworkers = 1\ndask_processes = false'  # auto batch size
    on_dask = localize(project_dir=str(_project(tmp_path, flow)))
    assert _comparable(on_dask) == _comparable(on_threads)
