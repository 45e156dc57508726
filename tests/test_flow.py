"""The real `localize` flow on a real (temporary) Prefect server: stages run, bad articles are
reported without stopping the others, and unchanged articles are served from the cache."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness
from werkzeug import Request, Response

from paths import NCI, REPO


@pytest.fixture(scope="module")
def prefect_server():
    with prefect_test_harness(server_startup_timeout=180):
        yield


def _project(tmp_path: Path) -> Path:
    sources = tmp_path / "source_articles"
    sources.mkdir()
    shutil.copy(NCI / "en" / "pr03.html", sources / "aspirin.html")
    shutil.copy(REPO / "source_articles" / "menopause-muscle-twitching.md", sources / "twitching.md")
    (sources / "broken.html").write_bytes("<p>Caf\u00e9 \u201cquoted\u201d text</p>".encode("cp1252"))
    (tmp_path / "medloc.toml").write_text('[project]\nlocales = ["es"]\n')
    return tmp_path


@pytest.mark.slow
def test_flow_processes_reports_and_caches(prefect_server, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.localize
    import medloc.report.markdown
    from flows.localize import localize

    # Artifacts list DIGEST_ROWS rows (the Prefect server keeps every run's); 1 here, to see the cut.
    monkeypatch.setattr(flows.localize, "DIGEST_ROWS", 1)
    monkeypatch.setattr(medloc.report.markdown, "DIGEST_ROWS", 1)
    project = _project(tmp_path)
    first = localize(project_dir=str(project))
    _assert_artifacts_are_digests(project)
    by_origin = {a["origin"]: a for a in first["articles"]}
    assert first["failed"] == 1
    assert first["processed"] == 2
    broken = by_origin["source_articles/broken.html"]
    assert "source_articles/broken.html:1" in broken["error"] and "UTF-8" in broken["error"]
    aspirin = by_origin["source_articles/aspirin.html"]
    assert aspirin["error"] is None and aspirin["segments"] > 5
    segments = json.loads((project / "out" / "segments" / "aspirin.json").read_text())
    assert segments["segments"][0]["text"].startswith("Women who take aspirin daily")
    summary = json.loads((project / "out" / "summary.json").read_text())
    assert summary["failed"] == 1 and summary["schema"] == "medloc.run-summary/1"
    assert "broken.html" in (project / "out" / "summary.md").read_text()

    second = localize(project_dir=str(project))
    assert set(second["cached"]) >= {"aspirin", "menopause-muscle-twitching-md"}
    assert second["failed"] == 1  # a cached failure is still reported

    md = project / "source_articles" / "twitching.md"
    md.write_text(md.read_text().replace("Menopausal women", "Women in menopause", 1))
    third = localize(project_dir=str(project))
    assert "aspirin" in third["cached"] and "menopause-muscle-twitching-md" not in third["cached"]

    po = project / "locales" / "es" / "aspirin.po"
    assert po.is_file()
    po.write_text(po.read_text() + "\n# a translator's note\n", encoding="utf-8")
    after_edit = localize(project_dir=str(project))
    assert "aspirin" not in after_edit["cached"]  # a translator's PO edit is work to redo

    (project / "out" / "segments" / "aspirin.json").unlink()
    fourth = localize(project_dir=str(project))
    assert "aspirin" not in fourth["cached"]
    assert (project / "out" / "segments" / "aspirin.json").is_file()


def _assert_artifacts_are_digests(project: Path) -> None:
    """The run's Prefect artifacts show the failed article first and one row of each list, and say
    how many more the files (which are whole) hold."""
    from prefect.artifacts import Artifact

    run = Artifact.get("medloc-run-summary")
    assert run is not None and isinstance(run.data, str)
    listed = [line for line in run.data.splitlines() if line.startswith("| ") and "| format |" not in line]
    assert len(listed) == 1 and "broken.html" in listed[0] and "**error**" in listed[0]
    assert "… and 2 more article(s)" in run.data
    whole = (project / "out" / "summary.md").read_text(encoding="utf-8")
    assert "aspirin" in whole and "menopause-muscle-twitching-md" in whole and "more article(s)" not in whole

    decisions = json.loads((project / "out" / "reports" / "qa-decisions.json").read_text())["articles"]
    assert sorted(d["article"] for d in decisions if d["locale"] == "es") == [
        "aspirin", "menopause-muscle-twitching-md"]
    table = Artifact.get("medloc-qa-decisions")
    assert table is not None and isinstance(table.data, str)
    assert [row["article"] for row in json.loads(table.data)] == ["aspirin"]
    assert table.description is not None and "the first 1 of 2" in table.description
    digest = Artifact.get("medloc-qa-report")
    assert digest is not None and isinstance(digest.data, str)
    assert "| aspirin | es |" in digest.data and "| menopause-muscle-twitching-md | es |" not in digest.data
    assert "… and 1 more article × locale pair(s)" in digest.data
    assert "| menopause-muscle-twitching-md | es |" in (project / "out" / "reports" / "qa.md").read_text()


@pytest.mark.slow
def test_a_malformed_glossary_stops_the_run_before_anything_is_written(
        prefect_server, tmp_path: Path) -> None:
    """The flow compiles the glossary only when an article is to be processed (an unchanged run never
    needs it); a broken glossary changes every article's fingerprint, so it is still compiled, and
    the run stops naming the file and line before a PO file or segment is written."""
    from flows.localize import localize
    from medloc.model import MedlocError

    project = _project(tmp_path)
    (project / "source_articles" / "broken.html").unlink()
    shutil.copytree(REPO / "glossary", project / "glossary")
    localize(project_dir=str(project))
    written = {p: p.read_bytes() for p in (project / "locales").rglob("*.po")}
    written |= {p: p.read_bytes() for p in (project / "out" / "segments").glob("*.json")}
    assert written
    bad = project / "glossary" / "10-menopause-seed.yaml"
    bad.write_text(bad.read_text(encoding="utf-8") + "\n  - [unclosed\n", encoding="utf-8")
    md = project / "source_articles" / "twitching.md"
    md.write_text(md.read_text().replace("Menopausal women", "Women in menopause", 1))
    with pytest.raises(MedlocError, match=r"10-menopause-seed\.yaml:\d+"):
        localize(project_dir=str(project))
    assert {p: p.read_bytes() for p in written} == written


@pytest.mark.slow
def test_cli_run_exits_non_zero_and_names_the_bad_file(tmp_path: Path) -> None:
    project = _project(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_URL")}
    env["PREFECT_HOME"] = str(tmp_path / ".prefect-home")
    medloc = Path(sys.executable).with_name("medloc")
    done = subprocess.run(
        [str(medloc), "run", "--project", str(project)], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ERR source_articles/broken.html:1" in done.stdout
    assert "2 article(s) processed, 1 failed" in done.stdout
    # Not a terminal: progress as plain lines, one per stage event (bars are tested in test_progress).
    assert "medloc: articles 0/3" in done.stdout and "medloc: articles done: 3 article(s)" in done.stdout
    assert "medloc: QA done:" in done.stdout and "medloc: publish done:" in done.stdout
    assert "\x1b[" not in done.stdout
    assert (project / "out" / "segments" / "aspirin.json").is_file()
    # Prefect's embedded server went with the run, so no heartbeats were sent (they cost up to 1 s):
    # its database has the run's events but none of them a heartbeat.
    with sqlite3.connect(tmp_path / ".prefect-home" / "prefect.db") as db:
        events = dict(db.execute("SELECT event, count(*) FROM events GROUP BY event").fetchall())
    assert events.get("prefect.flow-run.Completed") == 1 and "prefect.flow-run.heartbeat" not in events


def test_heartbeats_are_off_only_while_no_prefect_server_is_configured() -> None:
    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        get_current_settings,
        temporary_settings,
    )

    from flows.localize import heartbeats_only_for_a_server

    def frequency() -> int | None:
        return get_current_settings().flows.heartbeat_frequency

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 60}):
        with temporary_settings(restore_defaults={PREFECT_API_URL}), heartbeats_only_for_a_server():
            assert frequency() is None  # the embedded server: nobody watches for them
        with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:4200/api"}), \
                heartbeats_only_for_a_server():
            assert frequency() == 60  # a server that can mark a dead run as crashed: as configured
        assert frequency() == 60


def test_settings_error_stops_before_prefect(tmp_path: Path) -> None:
    (tmp_path / "medloc.toml").write_text('[project]\nlocale = ["es"]\n')
    from medloc.cli import main

    assert main(["run", "--project", str(tmp_path)]) == 2


@pytest.mark.slow
def test_flow_reads_remote_pages_with_conditional_get(prefect_server, tmp_path: Path, httpserver) -> None:
    from flows.localize import localize

    body = (NCI / "en" / "pr01.html").read_bytes()
    page = b"<html><head><title>M-PACT</title></head><body><main>" + body + b"</main></body></html>"

    def answer(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(page, content_type="text/html; charset=utf-8", headers={"ETag": '"v1"'})

    httpserver.expect_request("/news/mpact-trial.html").respond_with_handler(answer)
    (tmp_path / "source_articles").mkdir()
    url = httpserver.url_for("/news/mpact-trial.html")
    (tmp_path / "medloc.toml").write_text(f'[project]\nlocales = ["es"]\n[sources]\nurls = ["{url}"]\n')
    first = localize(project_dir=str(tmp_path))
    assert first["failed"] == 0 and first["remote"] == {"fetched": 1, "not_modified": 0, "failed": 0}
    assert (tmp_path / "out" / "segments" / "mpact-trial.json").is_file()
    assert (tmp_path / "locales" / "es" / "mpact-trial.po").is_file()
    second = localize(project_dir=str(tmp_path))
    assert second["remote"]["fetched"] == 0  # ETag matched: answered 304, nothing downloaded again
    assert second["cached"] == ["mpact-trial"]
