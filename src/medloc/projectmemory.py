"""The project's translation memory: every PO file under locales/ plus the TMX files it imported.

Why a cache: the pipeline calls `update_catalogs` once per article, and reading every catalog of a
1,000-article project for each of them would be quadratic. The memory is loaded once per process and
refreshed by file fingerprints (size, mtime, inode): only files that changed are read again, and a
file medloc just wrote is put in without reading it back.

Across processes, the units read from PO files are kept in `<state_dir>/tm-units.sqlite`
(`medloc.tmsnapshot`) under each file's stamp; every PO file medloc writes, or reads and leaves as it
was, replaces its row (`note_written`, `note_unchanged`), so a new process parses only the files
changed outside medloc. The memory itself is loaded only when a merge looks something up
(`OnDemandMemory`).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from medloc.config import Settings
from medloc.fsutil import Fingerprint, lock_epoch
from medloc.gcpause import paused_gc
from medloc.memory import Match, TranslationMemory, Unit
from medloc.model import MedlocError
from medloc.po import POFile, POSyntaxError, parse
from medloc.tmsnapshot import FILENAME, UnitSnapshot
from medloc.tmx import read_tmx

_INSTANCES: dict[tuple[Path, str, str], ProjectMemory] = {}
_INSTANCES_GUARD = threading.Lock()


def po_units(po: POFile, locale: str, origin: str) -> list[Unit]:
    """Reviewed translations of a PO file as TM units.

    Active and obsolete non-fuzzy entries count; so does a fuzzy entry's `#| msgid` with its
    msgstr, because that msgstr was written for exactly that previous source.
    """
    units = []
    for e in po.entries:
        if e.msgid_plural is not None or not e.msgstr:
            continue
        if not e.fuzzy:
            units.append(Unit(e.msgid, e.msgstr, locale, origin))
        elif e.previous_msgid and e.previous_msgid_plural is None:
            units.append(Unit(e.previous_msgid, e.msgstr, locale, origin))
    return units


def forget_instances() -> None:
    """Drop every project's memory held by this process; the next use reads the snapshot again."""
    with _INSTANCES_GUARD:
        _INSTANCES.clear()


class ProjectMemory:
    """A `TranslationMemory` kept in step with the files of one project."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.memory = TranslationMemory()
        self.problems: dict[str, str] = {}
        self._seen: dict[str, tuple[int, int, int]] = {}
        self._snapshot = UnitSnapshot(settings.path(settings.project.state_dir) / FILENAME)
        self._epoch: int | None = None
        self._loaded = False
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, settings: Settings) -> ProjectMemory:
        key = (settings.root, settings.project.locales_dir, settings.catalog.tm_dir)
        with _INSTANCES_GUARD:
            if key not in _INSTANCES:
                _INSTANCES[key] = cls(settings)
            return _INSTANCES[key]

    def files(self) -> list[tuple[str, str | None, tuple[int, int, int]]]:
        """(path, locale, (size, mtime_ns, inode)) of every PO file, and of every TMX (locale None).

        os.scandir and plain tuples: this runs over thousands of files, once per run.
        """
        s = self.settings
        locales_dir = s.path(s.project.locales_dir)
        found: list[tuple[str, str | None, tuple[int, int, int]]] = []
        for sub in _scan(locales_dir):
            if sub.is_dir() and sub.name != "templates":
                pos = [f for f in _scan(Path(sub.path)) if f.name.endswith(".po")]
                found += [(f.path, sub.name, _stamp(f)) for f in pos]
        tmx = [f for f in _scan(s.path(s.catalog.tm_dir)) if f.name.endswith(".tmx")]
        found += [(f.path, None, _stamp(f)) for f in tmx]
        for extra in s.catalog.tmx_imports:
            fp = Fingerprint.of(s.path(extra))
            found.append((str(s.path(extra)), None, fp.stamp))
        return sorted(found)

    def refreshed(self) -> TranslationMemory:
        """Re-read changed files, forget removed ones; returns the memory.

        While the project lock is held (one run), the files are scanned once: other medloc runs
        cannot write meanwhile, and this run's own writes come in through `note_written`.
        """
        with self._lock, paused_gc():  # tens of thousands of units: see medloc.gcpause
            epoch = lock_epoch(self.settings.path(self.settings.project.state_dir))
            if epoch is not None and epoch == self._epoch:
                return self.memory
            self._epoch = epoch
            current = self.files()
            snapshot = self._snapshot.read() if not self._seen else {}
            parsed: list[tuple[str, tuple[int, int, int], list[tuple[str, str]]]] = []
            names = {path for path, _, _ in current}
            for gone in [n for n in self._seen if n not in names]:
                self.memory.remove_origin(self._origin(gone))
                del self._seen[gone]
            for path, locale, stamp in current:
                if self._seen.get(path) == stamp:
                    continue
                origin = self._origin(path)
                self.memory.remove_origin(origin)
                self._seen[path] = stamp
                self.problems.pop(path, None)
                kept = snapshot.get(path)
                if kept is not None and locale is not None and kept[0] == stamp:
                    for source, target in kept[1]:
                        self.memory.add(Unit(source, target, locale, origin))
                    continue
                try:
                    units = self._load(Path(path), locale)
                except (MedlocError, POSyntaxError, OSError, UnicodeDecodeError) as exc:
                    self.problems[path] = str(exc)
                    continue
                for unit in units:
                    self.memory.add(unit)
                if locale is not None:  # TMX files are read each time: few, big
                    parsed.append((path, stamp, [(u.source, u.target) for u in units]))
            self._snapshot.put(parsed)
            self._snapshot.drop(snapshot.keys() - names)
            self._loaded = True
            return self.memory

    def on_demand(self) -> OnDemandMemory:
        """This memory for one merge, loaded only if the merge asks it something (`OnDemandMemory`)."""
        return OnDemandMemory(self)

    def note_written(self, path: Path, po: POFile) -> None:
        """Put a catalog medloc just wrote into the snapshot, and into the memory if it is loaded,
        without reading it back.

        Into the snapshot always, whichever process wrote it: the next process then parses no file
        this run wrote. Into the memory only once it was loaded (`refreshed` fills an empty one)."""
        with self._lock:
            stamp = Fingerprint.of(path).stamp
            units = self._put_row(path, po, stamp)
            if not self._loaded:
                return
            self.memory.remove_origin(self._origin(path))
            for unit in units:
                self.memory.add(unit)
            self._seen[str(path)] = stamp

    def note_unchanged(self, path: Path, po: POFile, seen: Fingerprint) -> None:
        """A catalog medloc read and left as it was (`seen`: its fingerprint as read): its row in
        the snapshot, so the next process that loads the memory does not parse it either.

        Why: a run whose articles need no lookup (every paragraph already in its PO files) never
        loads the memory, and without this the first run that did (an edit after a cold run) parsed
        all 4,000 PO files of the benchmark (~2.7 s). Skipped when the file changed since it was read
        (a translator's save): its row must describe what the file holds."""
        if Fingerprint.of(path) != seen:
            return
        with self._lock:
            self._put_row(path, po, seen.stamp)

    def _put_row(self, path: Path, po: POFile, stamp: tuple[int, int, int]) -> list[Unit]:
        """The catalog's units, also stored as its snapshot row under `stamp`."""
        units = po_units(po, path.parent.name, self._origin(path))
        self._snapshot.put([(str(path), stamp, [(u.source, u.target) for u in units])])
        return units

    def _origin(self, path: Path | str) -> str:
        """`path` relative to the project root, as the memory names it (string work: per file per run)."""
        text, root = str(path), str(self.settings.root)
        prefix = root if root.endswith(os.sep) else root + os.sep
        return text[len(prefix):] if text.startswith(prefix) else text

    def _load(self, path: Path, locale: str | None) -> list[Unit]:
        if locale is None:
            units = read_tmx(path)
            origin = self._origin(path)
            return [Unit(u.source, u.target, u.locale, origin, u.tuid, u.note) for u in units]
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        return po_units(parse(text), locale, self._origin(path))


class OnDemandMemory:
    """A `ProjectMemory` that is loaded on the first lookup, for `medloc.merge.merge`.

    Why: most merges never ask the memory anything (every template entry is found in the PO file
    itself, by key or as a fuzzy match of the old paragraph an editor changed), yet loading it costs
    ~0.6 s on a 1,000-article project (52,000 units from the snapshot, and their word index).
    """

    def __init__(self, project: ProjectMemory) -> None:
        self._project = project
        self._memory: TranslationMemory | None = None

    def lookup(
        self, source: str, locale: str, threshold: float = 75.0, exclude_origin: str | None = None
    ) -> Match | None:
        if self._memory is None:
            self._memory = self._project.refreshed()
        return self._memory.lookup(source, locale, threshold, exclude_origin)


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _stamp(entry: os.DirEntry[str]) -> tuple[int, int, int]:
    st = entry.stat()
    return (st.st_size, st.st_mtime_ns, st.st_ino)
