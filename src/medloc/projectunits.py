"""The units the project-wide checks read, kept across processes in `<state_dir>/project-units.json`.

Why a cache: the flow's QA stage reuses every article's stored per-unit findings, but the
project-wide checks (consistency across articles) need every translated unit of the project, so a
run in which one article changed used to parse all 4,000 PO files (and 1,000 templates) of a
1,000-article project again: 3.7 s of the run. Here each PO file's units are kept under the file's
content digest, and a new process parses only the PO files that changed since the last run.

What is kept is what `ProjectCheck` is promised (see `medloc.checks.base.ProjectCheck`): translated,
reviewed units only — non-empty target, not fuzzy, not obsolete — each field exactly as
`units_from_po` makes it, so findings are the same with and without the cache.

Why content digests (`medloc.incremental.FileDigests`) and not the (size, mtime_ns, inode) stamp
`projectmemory` uses: an editor that saves in place keeps the inode, a translation that fixes one
word often keeps the size, and two saves within one mtime tick (coarse on some file systems; a
script, or a save during the run) keep the mtime — a stamp would then serve the old units, and the
consistency findings would be wrong until the file changes again. FileDigests keeps git's stat
shortcut (a file is not read while its size and mtime are those it was hashed at) but trusts it only
when the file's mtime was well before the moment it was hashed ("racily clean"), so such an edit is
hashed again and seen. The digests' records are stored here too: a new process reads no PO file
that did not change. Unseen, as by git: an edit that keeps the size and sets the mtime back (touch
-d, os.utime) to a time well before the last hash.

The cache key holds what changes the units' meaning besides the files: medloc's code (the parser,
`units_from_po`) and the source locale. JSON, not pickle: the state folder is data, and reading it
must never run code. A damaged or foreign cache is ignored (every file is read and a good one is
written); the file is rewritten only when something changed; a state folder that cannot be written
costs the next process the parsing, never correctness.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medloc.catalog import read_catalog
from medloc.checks.base import Unit
from medloc.checks.engine import units_from_po
from medloc.config import Settings
from medloc.fsutil import atomic_write_text
from medloc.incremental import FileDigests, code_fingerprint
from medloc.model import BlockKind, MedlocError

CACHE = "project-units.json"
CACHE_SCHEMA = "medloc.project-units/1"
_KINDS = {k.value: k for k in BlockKind}
_NO_FLAGS: frozenset[str] = frozenset()


@dataclass
class ProjectUnits:
    """The units, and what it took to get them (the tests and the benchmark read the counts)."""

    units: list[Unit] = field(default_factory=list)
    parsed: list[str] = field(default_factory=list)  # PO files parsed in this call (cache misses)
    reused: int = 0  # PO files whose units came from the cache
    written: bool = False  # the cache file was (re)written


def project_units(settings: Settings, slugs: Sequence[str], locales: Sequence[str],
                  files: FileDigests | None = None) -> list[Unit]:
    """The project checks' units of `slugs` × `locales`, in that order (slug, then locale).

    `files`: the run's FileDigests when the caller has one (a file it hashed is not hashed again).
    """
    return load_project_units(settings, slugs, locales, files).units


def cache_path(settings: Settings) -> Path:
    return settings.path(settings.project.state_dir) / CACHE


def load_project_units(settings: Settings, slugs: Sequence[str], locales: Sequence[str],
                       files: FileDigests | None = None) -> ProjectUnits:
    """`project_units` with its counts. A missing PO file, or one that does not parse, gives no units
    (as `read_locale_units`; the per-article QA reports the error) and is not cached. Files not asked
    for are dropped from the cache, except when nothing is asked for (every article re-checked this
    run, say while a grammar server is down): the cache is then left for the next run."""
    if not slugs or not locales:
        return ProjectUnits()
    source_locale = settings.project.source_locale
    key = _cache_key(source_locale)
    path = cache_path(settings)
    cached = _read_cache(path, key)
    kept, sources = cached or ({}, [])
    changed = cached is None  # none yet, damaged, or another schema or code: write a good one
    files = files if files is not None else FileDigests()
    for name, entry in kept.items():
        files.known.setdefault(name, entry[:4])  # their records are checked like any other
    locales_dir = settings.path(settings.project.locales_dir)  # po_path's folder, resolved once
    table = {text: index for index, text in enumerate(sources)}  # new sources are appended
    out = ProjectUnits()
    entries: dict[str, list[Any]] = {}
    for slug in slugs:
        for locale in locales:
            po = locales_dir / locale / f"{slug}.po"
            name = str(po)
            digest = files.digest(po)
            if digest == "missing":
                continue
            before = kept.get(name)
            units = None
            if before is not None and before[3] == digest:
                units = _decode(before[4], sources, slug, locale, source_locale)
            if units is not None and before is not None:
                out.reused += 1
                rows = before[4]  # written back as read: its indices into `sources` stay valid
            else:
                out.parsed.append(name)
                units, cacheable = _parse(po, slug, locale, source_locale, digest)
                rows = [_row(u, table) for u in units] if cacheable else None
                changed = changed or cacheable
            out.units += units
            record = files.known.get(name)
            if rows is not None and record is not None and record[3] == digest:
                entries[name] = [*record[:4], rows]
    if changed or entries.keys() != kept.keys():
        out.written = _write_cache(path, key, entries, list(table))
    return out


def _cache_key(source_locale: str) -> dict[str, str]:
    return {"schema": CACHE_SCHEMA, "code": code_fingerprint(), "source_locale": source_locale}


def _parse(po: Path, slug: str, locale: str, source_locale: str, digest: str) -> tuple[list[Unit], bool]:
    """The usable units of one PO file, and whether they may be cached under `digest`.

    The digest is taken of the bytes parsed: if the file changed between FileDigests hashing it and
    this read, the units are right for this run but not for `digest`, so they are not cached.
    """
    try:
        data = po.read_bytes()
        catalog = read_catalog(po, data)
    except (OSError, MedlocError):
        return [], False
    units = units_from_po(catalog, article=slug, locale=locale, source_locale=source_locale)
    return [u for u in units if u.reviewed], hashlib.sha256(data).hexdigest() == digest


def _row(unit: Unit, table: dict[str, int]) -> list[Any]:
    """A unit without what the file's path and the cache key say (article, locales). Its source (the
    same in every locale of an article) is an index into the cache's `sources`: a third of the file.
    The kind is a StrEnum: JSON writes its value."""
    return [table.setdefault(unit.source, len(table)), unit.target, unit.kind, sorted(unit.flags),
            unit.context, unit.reference, unit.line]


def _decode(rows: Any, sources: list[str], slug: str, locale: str, source_locale: str) -> list[Unit] | None:
    """The units of one cached file, or None when the entry is not what `_write_cache` writes."""
    if not isinstance(rows, list):
        return None
    units: list[Unit] = []
    try:
        for index, target, kind, flags, context, reference, line in rows:
            if not (type(index) is int and index >= 0 and isinstance(target, str) and target
                    and isinstance(flags, list) and all(isinstance(f, str) for f in flags)
                    and "fuzzy" not in flags and (context is None or isinstance(context, str))
                    and isinstance(reference, str) and type(line) is int):
                return None
            units.append(Unit(sources[index], target, locale, source_locale, slug,
                              None if kind is None else _KINDS[kind], False,
                              frozenset(flags) if flags else _NO_FLAGS, context, reference, line, False))
    except (TypeError, ValueError, KeyError, IndexError):
        return None
    return units


def _read_cache(path: Path, key: dict[str, str]) -> tuple[dict[str, list[Any]], list[str]] | None:
    """({po path: [size, mtime_ns, hashed_ns, digest, rows]}, sources) from the last process; None
    when the file is missing, damaged, of another schema, or made by other code or for another source
    locale."""
    try:
        data = json.loads(path.read_bytes())
        if not isinstance(data, dict) or any(data.get(k) != v for k, v in key.items()):
            return None
        files, sources = data.get("files"), data.get("sources")
        if not (isinstance(files, dict) and isinstance(sources, list)
                and all(isinstance(s, str) for s in sources)):
            return None
        for entry in files.values():
            if not (isinstance(entry, list) and len(entry) == 5 and all(type(n) is int for n in entry[:3])
                    and isinstance(entry[3], str)):
                return None
        return files, sources
    except (OSError, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None


def _write_cache(path: Path, key: dict[str, str], entries: dict[str, list[Any]], sources: list[str]) -> bool:
    """The cache file; `sources` is compacted when a quarter of it is no longer used (changed or
    dropped files leave their old sources behind; rewriting every row each time would cost more)."""
    used = sorted({row[0] for entry in entries.values() for row in entry[4]})
    if len(used) < len(sources) * 3 // 4:
        new_index = {old: new for new, old in enumerate(used)}
        sources = [sources[old] for old in used]
        entries = {name: [*entry[:4], [[new_index[row[0]], *row[1:]] for row in entry[4]]]
                   for name, entry in entries.items()}
    payload = {**key, "sources": sources, "files": entries}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"
    with contextlib.suppress(OSError):  # a cache: the next process parses the PO files instead
        return atomic_write_text(path, text)
    return False
