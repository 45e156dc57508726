"""File-system helpers every writer in medloc shares: atomic writes, a project lock, change detection.

Why here and not in each stage: a translator's PO file must never be left half-written (an editor
or a crashed run would otherwise see a truncated file), two scheduled runs must never interleave
their writes, and a file a translator saves while a run works on it must not be overwritten. Those
three rules are the same for catalogs, reports and published articles, so they live in one place.
Standard library only.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medloc.model import MedlocError


def atomic_write_bytes(path: Path | str, data: bytes, *, unless: Callable[[], bool] | None = None) -> bool:
    """Write `data` to `path` so readers see either the old or the new file, never a partial one.

    The temporary file lives in the same directory (so `os.replace` is a rename on one file system),
    is fsynced before the rename, and keeps the old file's permission bits. `unless` is asked right
    before the rename, after the slow write and fsync: when it returns True nothing is replaced and
    the result is False. The concurrent-edit guard goes there, so a translator's save during our
    fsync (tens of ms on a busy disk) is seen instead of overwritten.
    """
    return atomic_write_chunks(path, (data,), unless=unless)


def atomic_write_chunks(path: Path | str, chunks: Iterable[bytes | str], *,
                        unless: Callable[[], bool] | None = None) -> bool:
    """`atomic_write_bytes` for content produced piece by piece (str pieces are written as UTF-8).

    Why: a project report of 100,000 findings is ~250 MB of text; writing it as it is assembled keeps
    it out of memory, and readers still see the old file until the whole new one is on disk."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.chmod(tmp_name, target.stat().st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp_name, 0o644)
        if unless is not None and unless():
            os.unlink(tmp_name)
            return False
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return True


def atomic_write_text(path: Path | str, text: str, *, unless: Callable[[], bool] | None = None) -> bool:
    """`atomic_write_bytes` for UTF-8 text (no newline translation: bytes are what we wrote)."""
    return atomic_write_bytes(path, text.encode("utf-8"), unless=unless)


# mkstemp's names: "." + target name + "." + 8 random characters + ".tmp"
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


def sweep_temporary_files(folders: list[Path]) -> list[Path]:
    """Remove temporary files a killed run left behind in `folders` (recursively); returns them.

    Only call this while holding the project lock: then no other medloc process is between writing
    a temporary file and renaming it, so every file of that name pattern is debris of a dead run.
    """
    removed: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob(".*.tmp"):
            if _TEMPORARY.match(path.name) and path.is_file() and not path.is_symlink():
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed.append(path)
    return removed


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What we know about a file when we read it; compared again right before we replace it."""

    exists: bool
    size: int = 0
    mtime_ns: int = 0
    inode: int = 0

    @classmethod
    def of(cls, path: Path | str) -> Fingerprint:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return cls(exists=False)
        return cls(exists=True, size=st.st_size, mtime_ns=st.st_mtime_ns, inode=st.st_ino)

    @property
    def stamp(self) -> tuple[int, int, int]:
        """(size, mtime_ns, inode): how the translation memory's snapshot tells file versions apart."""
        return (self.size, self.mtime_ns, self.inode)


def read_with_fingerprint(path: Path | str) -> tuple[bytes | None, Fingerprint]:
    """Read a file and fingerprint it; retries once if it changed while we read it."""
    for _ in range(2):
        before = Fingerprint.of(path)
        if not before.exists:
            return None, before
        data = Path(path).read_bytes()
        if Fingerprint.of(path) == before and len(data) == before.size:
            return data, before
    return data, Fingerprint.of(path)


def changed_since(path: Path | str, seen: Fingerprint, seen_data: bytes | None) -> bool:
    """True when the file is no longer what we read (another program saved it meanwhile).

    The fingerprint catches most saves; when size and mtime look equal (coarse clocks, same-size
    edit within one tick) the content is compared as well, so an edit cannot slip through.
    """
    now = Fingerprint.of(path)
    if now != seen:
        return True
    if not now.exists:
        return False
    return Path(path).read_bytes() != seen_data


class ProjectLock:
    """An exclusive advisory lock on `<state_dir>/medloc.lock`, so two runs never write at once.

    The lock is an `flock` on an open file: the kernel releases it when the process dies, so a
    crashed run can never leave the project locked. A second run waits up to `timeout` seconds and
    then fails with a message that names the lock file and the process that holds it.
    """

    def __init__(self, state_dir: Path | str, *, timeout: float = 60.0, poll: float = 0.05) -> None:
        self.path = Path(state_dir) / "medloc.lock"
        self.timeout = timeout
        self.poll = poll
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    holder = _read_holder(fd)
                    os.close(fd)
                    raise MedlocError(
                        f"another medloc run{holder} holds the project lock; waited {self.timeout:g} s. "
                        "Try again when it has finished (the lock is released when that process exits).",
                        path=str(self.path),
                    ) from None
                time.sleep(self.poll)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def __enter__(self) -> ProjectLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


_GUARD = threading.Lock()
_HELD: dict[Path, list[Any]] = {}  # lock file -> [ProjectLock, holders in this process, epoch]
_EPOCH = [0]


def lock_epoch(state_dir: Path | str) -> int | None:
    """A number that changes each time this process newly takes the project lock (None: not held).

    Caches of project files (the translation memory) rescan once per epoch: while one run holds the
    lock no other medloc run writes, so what it saw at the start stays true except for its own writes.
    """
    with _GUARD:
        held = _HELD.get((Path(state_dir) / "medloc.lock").resolve())
        return held[2] if held else None


@contextlib.contextmanager
def project_lock(state_dir: Path | str, timeout: float = 60.0) -> Iterator[ProjectLock]:
    """`with project_lock(state_dir):` around a run's writes; re-entrant within one process.

    Threads of one run (Prefect's thread runner) and nested calls share the hold; another process
    waits up to `timeout` seconds, then gets a MedlocError.
    """
    key = (Path(state_dir) / "medloc.lock").resolve()
    with _GUARD:
        held = _HELD.get(key)
        if held is None:
            lock = ProjectLock(state_dir, timeout=timeout)
            lock.acquire()
            _EPOCH[0] += 1
            held = _HELD[key] = [lock, 0, _EPOCH[0]]
        held[1] += 1
    try:
        yield held[0]
    finally:
        with _GUARD:
            held[1] -= 1
            if held[1] == 0:
                held[0].release()
                del _HELD[key]


@dataclass(frozen=True)
class LockHold:
    """Proof, handed to a run's worker processes (Dask), that the run holds the project lock.

    The lock is an flock held by the flow's process; a worker process cannot share it, and taking
    it would wait for the run that waits for the worker. The run passes this hold along with the
    work instead, and `delegated_lock` lets the worker's writes proceed while the holder still holds.
    """

    path: str
    pid: int
    host: str


def current_hold(state_dir: Path | str) -> LockHold | None:
    """The hold this process has on the project lock, to hand to workers (None: not held)."""
    key = (Path(state_dir) / "medloc.lock").resolve()
    with _GUARD:
        if key not in _HELD:
            return None
    return LockHold(str(key), os.getpid(), os.uname().nodename)


class _Delegated:
    """Stands in `_HELD` for a lock another process of the same run holds: nothing to release."""

    def release(self) -> None:
        return None


@contextlib.contextmanager
def delegated_lock(hold: LockHold | None) -> Iterator[None]:
    """In a worker of the run that made `hold`: `project_lock` re-enters instead of waiting.

    Checked first: the lock file is still locked and (same host) names the holder's pid, so a
    worker never writes for a run that is gone. In the holder's own process this is plain re-entry.
    """
    if hold is None:
        yield
        return
    key = Path(hold.path)
    with _GUARD:
        held = _HELD.get(key)
        if held is None:
            _check_hold(hold)
            _EPOCH[0] += 1  # a new run for this process's caches (translation memory)
            held = _HELD[key] = [_Delegated(), 0, _EPOCH[0]]
        held[1] += 1
    try:
        yield
    finally:
        with _GUARD:
            held[1] -= 1
            if held[1] == 0:
                held[0].release()
                del _HELD[key]


def _check_hold(hold: LockHold) -> None:
    gone = MedlocError("the run that holds the project lock has ended; not writing for it", path=hold.path)
    try:
        fd = os.open(hold.path, os.O_RDWR)
    except OSError:
        raise gone from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
        else:  # nobody holds it: the run is gone
            fcntl.flock(fd, fcntl.LOCK_UN)
            raise gone
        if hold.host == os.uname().nodename and _read_holder(fd) != f" (pid {hold.pid})":
            raise gone
    finally:
        os.close(fd)
