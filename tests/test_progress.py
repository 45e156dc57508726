"""Progress: every stage is logged with its count and time; a terminal gets bars, a pipe plain lines."""

from __future__ import annotations

import io
import logging

import pytest

from medloc import progress


class _Logger:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def info(self, msg: str, *args: object) -> None:
        self.lines.append(msg % args)


def _run_stages(logger: _Logger) -> None:
    """The stage sequence the flow reports, with articles completing in batches."""
    with progress.stage("sources", logger) as step:
        step.done(3, "document(s)", "0 error(s)")
    with progress.stage("articles", logger, total=3) as step:
        step.advance(2)
        step.advance(1)
        step.done(3, "article(s)", "0 cached")
    with progress.stage("QA", logger) as step:
        step.done(3, "pair(s)", "1 publishable")
    with progress.stage("publish", logger) as step:
        step.done(1, "page(s)")


def test_every_stage_is_logged_with_count_and_time() -> None:
    logger = _Logger()
    _run_stages(logger)
    assert [line.split(":")[0] for line in logger.lines] == [
        "stage sources", "stage articles", "stage QA", "stage publish"]
    assert logger.lines[1].startswith("stage articles: 3 article(s) in ") and "(0 cached)" in logger.lines[1]


def test_failed_stage_is_still_logged() -> None:
    logger = _Logger()
    with pytest.raises(RuntimeError), progress.stage("QA", logger):
        raise RuntimeError("boom")
    assert logger.lines[0].endswith(" - failed")


def test_pipe_gets_plain_lines() -> None:
    out = io.StringIO()  # not a terminal
    reporter = progress.for_stream(out)
    assert isinstance(reporter, progress.LineReporter)
    with progress.reporting(reporter):
        _run_stages(_Logger())
    lines = out.getvalue().splitlines()
    assert "medloc: articles 0/3" in lines
    assert "medloc: articles 2/3" in lines and "medloc: articles 3/3" in lines
    assert any(line.startswith("medloc: QA done: 3 pair(s) in ") for line in lines)
    assert any(line.startswith("medloc: publish done: 1 page(s)") for line in lines)
    assert "\x1b[" not in out.getvalue()  # no escape codes in CI logs
    assert progress.current().__class__ is progress.Reporter  # restored: later runs are silent


def test_terminal_gets_a_bar_per_stage() -> None:
    out = io.StringIO()
    reporter = progress.for_stream(out, force_terminal=True)
    assert isinstance(reporter, progress.BarReporter)
    with progress.reporting(reporter):
        _run_stages(_Logger())
    text = out.getvalue()
    assert "\x1b[" in text  # drawn with terminal control codes
    for name in ("sources", "articles", "QA", "publish"):
        assert name in text
    assert "3/3" in text and "━" in text  # a completed bar with its count


def test_silent_by_default(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    logger = _Logger()
    _run_stages(logger)  # no reporter installed: nothing printed, only logged
    assert len(logger.lines) == 4
