"""Per-stage progress of a run: bars on a terminal, plain lines in CI logs, silence elsewhere.

The flow reports each stage (sources, articles, QA, publish) through `stage()`, which always logs
the stage's count and time (the flow's logs are what a scheduled run leaves behind) and tells the
current reporter. Only `medloc run` installs a visible reporter, for the run it starts in its own
process; scheduled runs and Dask workers keep the silent default. A module-level reporter (not a
context variable) because Prefect may run the flow body in another thread of the same process.

This is the only module that imports rich: what medloc draws on a terminal (these bars, and
`print_table` for `medloc status`) is decided here, and rich is imported only when something is
drawn, so scheduled runs and workers never load it.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TextIO


class Logger(Protocol):
    def info(self, msg: str, *args: Any) -> None: ...


class Reporter:
    """Silent reporter: the default when nobody watches the run."""

    def started(self, stage: str, total: int | None) -> None:
        """A stage began; `total` is its item count when known up front (None: indeterminate)."""

    def advanced(self, stage: str, done: int) -> None:
        """`done` more items of the stage finished."""

    def finished(self, stage: str, summary: str) -> None:
        """The stage ended; `summary` is the same text the flow logs."""

    def close(self) -> None:
        """The run is over: release the terminal."""


class LineReporter(Reporter):
    """One plain line per event, for logs that are not a terminal (CI, `| tee`, cron mail)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self._done: dict[str, int] = {}
        self._total: dict[str, int | None] = {}

    def _line(self, text: str) -> None:
        print(f"medloc: {text}", file=self.stream, flush=True)

    def started(self, stage: str, total: int | None) -> None:
        self._done[stage], self._total[stage] = 0, total
        self._line(f"{stage} ..." if total is None else f"{stage} 0/{total}")

    def advanced(self, stage: str, done: int) -> None:
        self._done[stage] = self._done.get(stage, 0) + done
        total = self._total.get(stage)
        self._line(f"{stage} {self._done[stage]}" + ("" if total is None else f"/{total}"))

    def finished(self, stage: str, summary: str) -> None:
        self._line(f"{stage} done: {summary}")


class BarReporter(Reporter):
    """A rich progress bar per stage, kept on screen when the stage ends."""

    def __init__(self, stream: TextIO | None = None, force_terminal: bool | None = None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        from rich.table import Column

        self.console = Console(file=stream or sys.stdout, force_terminal=force_terminal)
        # Log lines written to a terminal stderr while the bars are live go above the bars instead of
        # through them; a redirected stderr (a log file) is left alone.
        stderr_on_screen = stream in (None, sys.stdout) and sys.stderr.isatty()
        self.progress = Progress(
            TextColumn("{task.description}", table_column=Column(min_width=8, no_wrap=True)),
            BarColumn(bar_width=24),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[note]}", table_column=Column(no_wrap=True, overflow="ellipsis")),
            console=self.console,
            redirect_stdout=stderr_on_screen,
            redirect_stderr=stderr_on_screen,
        )
        self._tasks: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._running = False

    def started(self, stage: str, total: int | None) -> None:
        with self._lock:
            if not self._running:
                self.progress.start()
                self._running = True
            self._tasks[stage] = self.progress.add_task(stage, total=total, note="")

    def advanced(self, stage: str, done: int) -> None:
        with self._lock:
            if stage in self._tasks:
                self.progress.advance(self._tasks[stage], done)

    def finished(self, stage: str, summary: str) -> None:
        with self._lock:
            if stage not in self._tasks:
                return
            task_id = self._tasks[stage]
            task = self.progress.tasks[task_id] if task_id < len(self.progress.tasks) else None
            total = task.total if task is not None and task.total else 1
            # The count and time; the stage's details are in the log line with the same summary.
            self.progress.update(task_id, total=total, completed=total, note=summary.split(" (")[0])

    def close(self) -> None:
        with self._lock:
            if self._running:
                self.progress.stop()
                self._running = False


def print_table(columns: Sequence[str], rows: Iterable[Sequence[str]], *, width: int = 160) -> None:
    """Rows under `columns` as a rich table on standard output, `width` characters wide."""
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns)
    for row in rows:
        table.add_row(*row)
    Console(width=width).print(table)


def for_stream(stream: TextIO | None = None, force_terminal: bool | None = None) -> Reporter:
    """Bars when `stream` is a terminal (or forced), plain lines otherwise."""
    from rich.console import Console

    stream = stream or sys.stdout
    if Console(file=stream, force_terminal=force_terminal).is_terminal:
        return BarReporter(stream, force_terminal=force_terminal)
    return LineReporter(stream)


_current: Reporter = Reporter()
_current_lock = threading.Lock()


def current() -> Reporter:
    return _current


@contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    """Install `reporter` for the runs started inside the block, then restore the previous one."""
    global _current
    with _current_lock:
        previous, _current = _current, reporter
    try:
        yield reporter
    finally:
        reporter.close()
        with _current_lock:
            _current = previous


class Stage:
    """Handle the flow uses inside `stage()`: advance the bar, then say how many items were done."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count: int | None = None
        self.unit = "item(s)"
        self.note = ""

    def advance(self, done: int = 1) -> None:
        current().advanced(self.name, done)

    def done(self, count: int, unit: str = "item(s)", note: str = "") -> None:
        self.count, self.unit, self.note = count, unit, note


@contextmanager
def stage(name: str, logger: Logger, total: int | None = None) -> Iterator[Stage]:
    """Time and report one stage of the run: logs `stage NAME: COUNT UNIT in S s (NOTE)`."""
    handle = Stage(name)
    current().started(name, total)
    started = time.perf_counter()
    failed = True
    try:
        yield handle
        failed = False
    finally:
        seconds = time.perf_counter() - started
        count = handle.count if handle.count is not None else (total or 0)
        summary = f"{count} {handle.unit} in {seconds:.2f} s"
        if handle.note:
            summary += f" ({handle.note})"
        if failed:
            summary += " - failed"
        logger.info("stage %s: %s", name, summary)
        current().finished(name, summary)
