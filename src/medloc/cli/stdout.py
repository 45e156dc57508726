"""Standard output carries medloc's own output only; what native code prints goes to stderr.

Why: Harper (Rust) prints debug lines such as "gerund_form: -furthering- -- verb: -further-" to file
descriptor 1 while it lints some English sentences (an NCI press release has one). `medloc check
--format json > qa.json` then wrote that line before the JSON: an unreadable report, and exit code 0.
Python code writes through `sys.stdout`, native code straight to descriptor 1, so the two can be
told apart: for a command's duration descriptor 1 is a copy of stderr, and `sys.stdout` writes to
the original standard output through a descriptor of its own. Processes the command starts
(Prefect's server, worker processes) inherit the same arrangement.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def native_output_to_stderr() -> Iterator[None]:
    """Descriptor 1 to stderr, `sys.stdout` to the original standard output, until the block ends.

    Left alone when `sys.stdout` is not descriptor 1 (a caller replaced it, e.g. a test capturing
    it): then what it captures is already only what Python code wrote."""
    stream = sys.stdout
    try:
        if stream is None or stream.fileno() != 1:
            yield
            return
    except (AttributeError, OSError, ValueError):
        yield
        return
    stream.flush()
    saved = os.dup(1)
    ours = open(saved, "w", encoding=stream.encoding, errors=stream.errors,  # noqa: SIM115
                closefd=False, buffering=1 if stream.line_buffering else -1)
    os.dup2(2, 1)
    sys.stdout = ours
    try:
        yield
    finally:
        sys.stdout = stream
        try:
            ours.close()  # flushes; the descriptor stays open (closefd=False)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
