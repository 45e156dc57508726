"""Catalogs: one POT per article and one PO per article × locale, updated msgmerge-style.

Layout (gettext and Weblate file masks understand it: `locales/*/<slug>.po`, template
`locales/templates/<slug>.pot`):

    locales/templates/<slug>.pot
    locales/<locale>/<slug>.po

What a run guarantees: a translation a translator wrote is never dropped (merge.py), a file is
written only when its bytes change (so a run that changes nothing leaves every file byte-identical,
dates included: medloc writes no dates), writes are atomic, a file a translator saves during the run
is skipped instead of overwritten, and a PO file with a syntax error is reported (file and line) and
left alone while the other locales go on. All PO text goes through po.py; no other module reads or
writes PO files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from medloc.config import Settings
from medloc.fsutil import Fingerprint, atomic_write_text, changed_since, project_lock, read_with_fingerprint
from medloc.locale_data import language_name, plural_forms
from medloc.merge import MergeOptions, merge
from medloc.model import Article, MedlocError, Segment
from medloc.po import Entry, POFile, POSyntaxError, dump, parse, parse_header
from medloc.projectmemory import ProjectMemory
from medloc.stats import Counts, count_entries

TEMPLATES = "templates"
Status = Literal["created", "updated", "unchanged", "skipped", "error"]

_NOTES: dict[str, str] = {
    "title": "Page title: shown in the browser tab and in search results.",
    "meta-description": "Search-result snippet: keep it under about 160 characters.",
    "og-title": "Title shown when the page is shared on social media.",
    "og-description": "Description shown when the page is shared on social media.",
    "image-alt": "Alternative text of an image, read aloud by screen readers: describe the image briefly.",
    "link-title": "Tooltip of a link.",
}
_TAG = re.compile(r"<([a-zA-Z][\w-]*)")


@dataclass(frozen=True, slots=True)
class LocaleUpdate:
    """What happened to one PO file. `reason` explains a skip or an error in one sentence."""

    locale: str
    path: str
    status: Status
    counts: Counts | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class CatalogUpdate:
    """The result of `update_catalogs` for one article."""

    slug: str
    template: str
    template_status: Status
    locales: tuple[LocaleUpdate, ...] = field(default_factory=tuple)

    @property
    def written(self) -> list[str]:
        files = [self.template] if self.template_status in ("created", "updated") else []
        return files + [u.path for u in self.locales if u.status in ("created", "updated")]

    @property
    def problems(self) -> list[str]:
        return [f"{u.path}: {u.reason}" for u in self.locales if u.status in ("skipped", "error")]


def template_path(settings: Settings, slug: str) -> Path:
    return settings.path(settings.project.locales_dir) / TEMPLATES / f"{slug}.pot"


def po_path(settings: Settings, locale: str, slug: str) -> Path:
    return settings.path(settings.project.locales_dir) / locale / f"{slug}.po"


def segment_keys(article: Article) -> list[tuple[str | None, str] | None]:
    """(msgctxt, msgid) for each segment, by index; None for a segment with no text.

    Identical text of the same block kind is one entry (translated once, like gettext does);
    identical text under different kinds (a title and a heading, say) may need different
    translations, so only then msgctxt carries the block kind.
    """
    kinds: dict[str, set[str]] = {}
    for seg in article.segments:
        if seg.text.strip():
            kinds.setdefault(seg.text, set()).add(seg.kind.value)
    keys: list[tuple[str | None, str] | None] = []
    for seg in article.segments:
        if not seg.text.strip():
            keys.append(None)
        else:
            keys.append((seg.kind.value if len(kinds[seg.text]) > 1 else None, seg.text))
    return keys


def template_entries(article: Article, hints: Mapping[int, Sequence[str]] | None = None) -> list[Entry]:
    """POT entries in article order. `hints` (segment index -> lines) become extra `#.` comments,
    e.g. the glossary's term suggestions."""
    entries: dict[tuple[str | None, str], Entry] = {}
    for seg, key in zip(article.segments, segment_keys(article), strict=True):
        if key is None:
            continue
        entry = entries.get(key)
        if entry is None:
            entry = Entry(msgid=key[1], msgctxt=key[0], extracted=_notes(seg))
            entries[key] = entry
        else:
            entry.extracted.append(f"also {seg.kind.value} ({seg.reference})")
        entry.references.append(f"{article.path}:{seg.line}")
        for line in (hints or {}).get(seg.index, ()):
            if line not in entry.extracted:
                entry.extracted.append(line)
    return list(entries.values())


def _notes(seg: Segment) -> list[str]:
    notes = [f"{seg.kind.value} ({seg.reference})"]
    if seg.kind.value in _NOTES:
        notes.append(_NOTES[seg.kind.value])
    tags = sorted(set(_TAG.findall(seg.text)))
    if tags:
        notes.append(f"Keep the inline tags ({', '.join(tags)}) and translate the text between them.")
    return notes


def header_entry(slug: str, locale: str | None, existing: Entry | None = None, title: str = "") -> Entry:
    """The header entry: complete, in the usual field order, without dates (no churn).

    An existing header keeps its fields and order (translators' tools add Last-Translator and
    PO-Revision-Date); only missing fields are added and the charset is forced to UTF-8, which is
    how medloc writes every file.
    """
    wanted = [
        ("Project-Id-Version", slug),
        ("Report-Msgid-Bugs-To", ""),
        ("PO-Revision-Date", ""),
        ("Last-Translator", ""),
        ("Language-Team", language_name(locale) if locale else ""),
        ("Language", locale or ""),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    ]
    if locale:
        wanted.append(("Plural-Forms", plural_forms(locale)))
    if existing is None:
        what = f"{language_name(locale)} translation" if locale else "Template"
        about = f" of “{title}”" if title else ""
        comments = [
            f"{what}{about} ({slug}).",
            "Updated by medloc: edit msgstr only; msgid lines come from the article.",
        ]
        body = "".join(f"{k}: {v}\n" for k, v in wanted)
        return Entry(msgid="", msgstr=body, comments=comments)
    present = parse_header(existing.msgstr)
    lines = existing.msgstr.split("\n")
    for name, value in wanted:
        if name not in present:
            lines.insert(len(lines) - 1 if lines and lines[-1] == "" else len(lines), f"{name}: {value}")
            continue
        wrong_charset = name == "Content-Type" and "utf-8" not in present[name].lower()
        if wrong_charset or (name == "Language" and not present[name] and locale):
            lines = [f"{name}: {value}" if ln.startswith(f"{name}:") else ln for ln in lines]
    msgstr = "\n".join(lines)
    if not msgstr.endswith("\n"):
        msgstr += "\n"
    if msgstr != existing.msgstr:
        existing.msgstr = msgstr
    return existing


def read_catalog(path: Path, data: bytes | None = None) -> POFile:
    """Parse a PO/POT file; any problem becomes a MedlocError naming the file and line."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise MedlocError(f"cannot read catalog: {exc.strerror}", path=str(path)) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = "not valid UTF-8 (medloc writes and reads PO files as UTF-8)"
        raise MedlocError(message, path=str(path), line=line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return parse(text)
    except POSyntaxError as exc:
        message = f"PO syntax error: {exc.message}; file left untouched"
        raise MedlocError(message, path=str(path), line=exc.line) from None


def _rel(settings: Settings, path: Path) -> str:
    return str(path.relative_to(settings.root)) if path.is_relative_to(settings.root) else str(path)


def _write_if_changed(
    path: Path, build: Callable[[POFile | None], str], before_write: Callable[[Path], None] | None
) -> tuple[Status, Fingerprint, str | None]:
    """Read, rebuild, and write only when bytes differ and nobody changed the file meanwhile.

    Returns the status, the fingerprint of the file as read, and why it was not written."""
    data, seen = read_with_fingerprint(path)
    old = read_catalog(path, data) if data is not None else None
    text = build(old)
    new = text.encode("utf-8")
    if data == new:
        return "unchanged", seen, None
    if before_write is not None:
        before_write(path)
    # Checked again after the temporary file is written and fsynced, right before the rename: a
    # check before the write would leave the fsync's duration for a translator's save to be lost in.
    if not atomic_write_text(path, text, unless=lambda: changed_since(path, seen, data)):
        return "skipped", seen, (
            "changed on disk while medloc was updating it (saved by a translator or another tool?); "
            "left untouched, it will be merged on the next run"
        )
    return ("created" if data is None else "updated"), seen, None


def update_catalogs(
    article: Article,
    settings: Settings,
    *,
    hints: Mapping[int, Sequence[str]] | None = None,
    memory: ProjectMemory | None = None,
    before_write: Callable[[Path], None] | None = None,
) -> CatalogUpdate:
    """Write `locales/templates/<slug>.pot` and merge every configured locale's PO file.

    Holds the project lock while writing (re-entrant within one process, so a flow may also hold it
    around a whole run). `memory` is a `ProjectMemory` (default: the project's shared one).
    `before_write` is called right before each PO file is replaced (tests use it to play a
    translator saving the file at the worst moment).
    """
    project_memory = memory or ProjectMemory.for_settings(settings)
    template = template_entries(article, hints)
    cat = settings.catalog
    state = settings.path(settings.project.state_dir)
    with project_lock(state, timeout=cat.lock_timeout_seconds):
        pot = template_path(settings, article.slug)

        def build_pot(old: POFile | None) -> str:
            header = header_entry(article.slug, None, old.header if old else None, article.title)
            fresh = [Entry(msgid=t.msgid, msgctxt=t.msgctxt, extracted=list(t.extracted),
                           references=list(t.references), flags=list(t.flags)) for t in template]
            if old is not None:  # reuse unchanged entries' original lines
                by_key = {e.key: e for e in old.entries if not e.obsolete}
                fresh = [_same_or(by_key.get(e.key), e) for e in fresh]
            return dump(POFile(header=header, entries=fresh))

        try:
            pot_status, _, pot_reason = _write_if_changed(pot, build_pot, None)
        except MedlocError as exc:
            pot_status, pot_reason = "error", str(exc)
        tm = project_memory.on_demand()
        results: list[LocaleUpdate] = []
        for locale in settings.project.locales:
            path = po_path(settings, locale, article.slug)
            rel = _rel(settings, path)
            opts = MergeOptions(locale, float(cat.tm_threshold), cat.keep_obsolete, origin=rel)
            final: list[POFile] = []

            def build_po(old: POFile | None, locale: str = locale, opts: MergeOptions = opts,
                         final: list[POFile] = final) -> str:
                header = header_entry(article.slug, locale, old.header if old else None, article.title)
                po = POFile(header=header, entries=merge(old, _copies(template), tm, opts))
                final.append(po)
                return dump(po)

            try:
                status, seen, reason = _write_if_changed(path, build_po, before_write)
            except MedlocError as exc:
                results.append(LocaleUpdate(locale, rel, "error", reason=str(exc)))
                continue
            counts = count_entries(final[0].entries) if final else None
            results.append(LocaleUpdate(locale, rel, status, counts, reason))
            if status in ("created", "updated"):
                project_memory.note_written(path, final[0])
            elif status == "unchanged":  # what the file holds is final[0]: its snapshot row, unparsed
                project_memory.note_unchanged(path, final[0], seen)
    if pot_status == "error":
        raise MedlocError(pot_reason or "cannot write template", path=_rel(settings, pot))
    return CatalogUpdate(article.slug, _rel(settings, pot), pot_status, tuple(results))


def _copies(template: list[Entry]) -> list[Entry]:
    return [Entry(msgid=t.msgid, msgctxt=t.msgctxt, extracted=list(t.extracted),
                  references=list(t.references), flags=list(t.flags)) for t in template]


def _same_or(old: Entry | None, new: Entry) -> Entry:
    if old is not None and old.content() == new.content():
        return old
    return new


def translations_for(article: Article, locale: str, settings: Settings) -> dict[int, str]:
    """Segment index -> translation, for the reviewed (non-fuzzy, non-empty) entries only."""
    path = po_path(settings, locale, article.slug)
    if not path.is_file():
        return {}
    po = read_catalog(path)
    done = {e.key: e.msgstr for e in po.entries if not e.obsolete and e.translated and e.msgid_plural is None}
    out: dict[int, str] = {}
    for seg, key in zip(article.segments, segment_keys(article), strict=True):
        if key is not None and key in done:
            out[seg.index] = done[key]
    return out


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One article × locale line of `medloc status`; `error` set when the PO file cannot be read."""

    slug: str
    locale: str
    path: str
    counts: Counts | None
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"slug": self.slug, "locale": self.locale, "path": self.path, "error": self.error,
                **(self.counts.to_dict() if self.counts else {})}


def project_status(settings: Settings) -> list[StatusRow]:
    """Progress of every article (one per template) in every configured locale."""
    templates = settings.path(settings.project.locales_dir) / TEMPLATES
    rows: list[StatusRow] = []
    for pot in sorted(templates.glob("*.pot")) if templates.is_dir() else []:
        slug = pot.stem
        for locale in settings.project.locales:
            path = po_path(settings, locale, slug)
            rel = _rel(settings, path)
            if not path.is_file():
                try:
                    entries = read_catalog(pot).entries
                except MedlocError as exc:
                    rows.append(StatusRow(slug, locale, rel, None, str(exc)))
                    continue
                rows.append(StatusRow(slug, locale, rel, count_entries(entries), "no PO file yet"))
                continue
            try:
                rows.append(StatusRow(slug, locale, rel, count_entries(read_catalog(path).entries)))
            except MedlocError as exc:
                rows.append(StatusRow(slug, locale, rel, None, str(exc)))
    return rows
