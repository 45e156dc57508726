"""Pausing Python's cycle collector while a stage builds and drops many acyclic objects.

Why: the QA stage of a one-article run parses and builds ~100,000 findings' worth of lists, dicts
and rows (history, report parts, the consistency check's units), and every few thousand new
containers CPython's collector walks its generations; in the flow's process, whose heap also holds
Prefect, pydantic and the engines, those walks cost 1.4-1.9 s of a 6 s QA stage on the 1,000-article
benchmark (measured with the collector on and off, same runs, same peak memory). Nothing these stages
build refers back to itself, so reference counting frees it all the same; the collector is switched
back on when the last pausing stage ends and catches up on its own.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_guard = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cycle collector off for the block; nested and concurrent blocks (threads) share one pause,
    and a collector someone else had turned off stays off."""
    global _depth, _was_enabled
    with _guard:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _guard:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


@contextmanager
def frozen_heap() -> Iterator[None]:
    """The objects that exist when the block starts are left out of every collection in it (`gc.freeze`),
    and put back after (`gc.unfreeze`: garbage among them is collected later, never kept).

    Why: a run's full collections walk the whole heap — Prefect, pydantic, every imported module, the
    thousand sources and recorded results — to free the few cycles its own work left: the one that
    frees the articles' engines before the project report (medloc.pipeline.release_article_resources)
    cost ~0.3 s of a one-article run. What the run's work makes after the freeze is still collected.
    Two runs in one process (`medloc serve`) share the frozen generation; the first to finish unfreezes,
    which costs the other time, not memory."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
