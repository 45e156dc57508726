"""The schedule: `medloc serve` against a real `prefect server start` (own PREFECT_HOME, loopback, free
port) registers the deployment with its cron, a triggered run completes and publishes; prefect.yaml
deploys to a work pool with the settings' cron. Every process the tests start is stopped, also on
failure (process groups, SIGTERM then SIGKILL)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from paths import NCI, REPO

CRON = "*/5 * * * *"
BIN = Path(sys.executable).parent


def test_prefect_yaml_schedule_is_the_settings_cron() -> None:
    from medloc.config import load_settings

    config = yaml.safe_load((REPO / "prefect.yaml").read_text())
    (deployment,) = config["deployments"]
    assert deployment["entrypoint"] == "flows/localize.py:localize"
    assert [s["cron"] for s in deployment["schedules"]] == [load_settings(REPO).flow.cron]


def test_serve_rejects_a_bad_cron_before_prefect(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from medloc.cli import main

    assert main(["serve", "--cron", "61 * * * *", "--project", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "invalid cron expression '61 * * * *': Bad minute" in err
    (tmp_path / "medloc.toml").write_text('[flow]\ncron = "every day"\n')
    assert main(["serve", "--project", str(tmp_path)]) == 2
    assert "[flow] cron" in capsys.readouterr().err


def test_serve_needs_a_prefect_server(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from medloc.cli import main

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert main(["serve", "--project", str(tmp_path)]) == 2
    assert "PREFECT_API_URL" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(home: Path, api_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "MEDLOC_"))}
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_ENABLED="false",
        PREFECT_LOGGING_LEVEL="INFO",
    )
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


@contextlib.contextmanager
def _process(args: list[str], env: dict[str, str], log: Path, cwd: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A child in its own process group, stopped with all its children when the block ends."""
    with log.open("wb") as out:
        proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            yield proc
        finally:
            for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, sig)
                try:
                    proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            with contextlib.suppress(ProcessLookupError):  # grandchildren left in the group
                os.killpg(proc.pid, signal.SIGKILL)


def _wait(what: str, check: Any, timeout: float, proc: subprocess.Popen[bytes], log: Path) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what}: process exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(Exception):
            value = check()
            if value:
                return value
        time.sleep(0.5)
    pytest.fail(f"{what}: not within {timeout:g} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real Prefect server on 127.0.0.1 with a throw-away PREFECT_HOME; yields (API URL, home)."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    args = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port),
            "--no-services"]  # runs are triggered by the test; no scheduler/late-run services to start
    log = home / "server.log"
    with _process(args, _env(home), log, home) as server:
        _wait("prefect server start", lambda: httpx.get(f"{url}/health", timeout=5).status_code == 200,
              180, server, log)
        yield url, home


@contextlib.contextmanager
def _client(url: str) -> Iterator[Any]:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: url}), get_client(sync_client=True) as client:
        yield client


def _project(root: Path) -> Path:
    (root / "source_articles").mkdir(parents=True)
    shutil.copy(NCI / "en" / "pr03.html", root / "source_articles" / "aspirin.html")
    (root / "medloc.toml").write_text('[project]\nlocales = ["es"]\n')
    return root


@pytest.mark.slow
def test_served_deployment_runs_on_trigger_and_publishes(
    prefect_api: tuple[str, Path], tmp_path: Path
) -> None:
    url, home = prefect_api
    project = _project(tmp_path / "project")
    log = tmp_path / "serve.log"
    args = [str(BIN / "medloc"), "serve", "--project", str(project), "--cron", CRON, "--name", "medloc-test"]
    with _process(args, _env(home, url), log, project) as serving, _client(url) as client:
        deployment = _wait("deployment registered", lambda: client.read_deployment_by_name(
            "localize/medloc-test"), 180, serving, log)
        assert [s.schedule.cron for s in deployment.schedules] == [CRON]
        assert all(s.active for s in deployment.schedules)
        assert deployment.parameters == {"project_dir": str(project.resolve())}

        run = client.create_flow_run_from_deployment(deployment.id)

        def finished() -> Any:
            state = client.read_flow_run(run.id).state
            return state if state is not None and state.is_final() else None

        state = _wait("triggered run finished", finished, 300, serving, log)
        assert state.is_completed(), f"{state}\n{log.read_text()[-3000:]}"
    summary = (project / "out" / "summary.json").read_text()
    assert '"processed": 1' in summary and '"failed": 0' in summary
    assert (project / "locales" / "es" / "aspirin.po").is_file()
    assert (project / "out" / "reports" / "qa.json").is_file()
    assert (project / "publish" / "en" / "aspirin.html").is_file()  # the source language passes the gate
    assert (project / "publish" / "manifest.json").is_file()
    assert "stage articles: 1 article(s)" in log.read_text()  # the run logged its stages where it ran


@pytest.mark.slow
def test_prefect_yaml_deploys_to_a_work_pool_with_the_settings_cron(prefect_api: tuple[str, Path]) -> None:
    from prefect.client.schemas.actions import WorkPoolCreate

    from medloc.config import load_settings

    url, home = prefect_api
    with _client(url) as client:
        client.create_work_pool(WorkPoolCreate(name="medloc", type="process"), overwrite=True)
    done = subprocess.run([str(BIN / "prefect"), "--no-prompt", "deploy", "--all"], cwd=REPO,
                          env=_env(home, url), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    with _client(url) as client:
        deployment = client.read_deployment_by_name("localize/medloc-scheduled")
    assert [s.schedule.cron for s in deployment.schedules] == [load_settings(REPO).flow.cron]
    assert deployment.work_pool_name == "medloc"
    assert deployment.entrypoint == "flows/localize.py:localize"
