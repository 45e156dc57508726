"""The project's translation memory: every PO file under locales/ plus the TMX files it imported.

Why a cache: the pipeline calls `update_catalogs` once per article, and reading every catalog of a
1,000-article project for each of them would be quadratic. The memory is loaded once per process and
refreshed by file fingerprints (size, mtime, inode): only files that changed are read again, and a
file medloc just wrote is put in without reading it back.
"""

from __future__ import annotations

import threading
from pathlib import Path

from medloc.config import Settings
from medloc.fsutil import Fingerprint
from medloc.memory import TranslationMemory, Unit
from medloc.model import MedlocError
from medloc.po import POFile, POSyntaxError, parse
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


class ProjectMemory:
    """A `TranslationMemory` kept in step with the files of one project."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.memory = TranslationMemory()
        self.problems: dict[str, str] = {}
        self._seen: dict[str, Fingerprint] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, settings: Settings) -> ProjectMemory:
        key = (settings.root, settings.project.locales_dir, settings.catalog.tm_dir)
        with _INSTANCES_GUARD:
            if key not in _INSTANCES:
                _INSTANCES[key] = cls(settings)
            return _INSTANCES[key]

    def files(self) -> list[tuple[Path, str | None]]:
        """(path, locale) of every PO file, and (path, None) of every TMX file to load."""
        s = self.settings
        locales_dir = s.path(s.project.locales_dir)
        found: list[tuple[Path, str | None]] = []
        if locales_dir.is_dir():
            for sub in sorted(locales_dir.iterdir()):
                if sub.is_dir() and sub.name != "templates":
                    found += [(p, sub.name) for p in sorted(sub.glob("*.po"))]
        tm_dir = s.path(s.catalog.tm_dir)
        if tm_dir.is_dir():
            found += [(p, None) for p in sorted(tm_dir.glob("*.tmx"))]
        found += [(s.path(p), None) for p in s.catalog.tmx_imports]
        return found

    def refreshed(self) -> TranslationMemory:
        """Re-read changed files, forget removed ones; returns the memory."""
        with self._lock:
            current = self.files()
            names = {str(p) for p, _ in current}
            for gone in [n for n in self._seen if n not in names]:
                self.memory.remove_origin(self._origin(Path(gone)))
                del self._seen[gone]
            for path, locale in current:
                fp = Fingerprint.of(path)
                if self._seen.get(str(path)) == fp:
                    continue
                self.memory.remove_origin(self._origin(path))
                self._seen[str(path)] = fp
                self.problems.pop(str(path), None)
                try:
                    for unit in self._load(path, locale):
                        self.memory.add(unit)
                except (MedlocError, POSyntaxError, OSError, UnicodeDecodeError) as exc:
                    self.problems[str(path)] = str(exc)
            return self.memory

    def note_written(self, path: Path, po: POFile) -> None:
        """Put a catalog medloc just wrote into the memory without reading it back."""
        with self._lock:
            origin = self._origin(path)
            self.memory.remove_origin(origin)
            for unit in po_units(po, path.parent.name, origin):
                self.memory.add(unit)
            self._seen[str(path)] = Fingerprint.of(path)

    def _origin(self, path: Path) -> str:
        root = self.settings.root
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    def _load(self, path: Path, locale: str | None) -> list[Unit]:
        if locale is None:
            units = read_tmx(path)
            origin = self._origin(path)
            return [Unit(u.source, u.target, u.locale, origin, u.tuid, u.note) for u in units]
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        return po_units(parse(text), locale, self._origin(path))
