"""Update a translated PO file to a new template with msgmerge semantics, plus translation memory.

The rules (those of GNU msgmerge and Babel's `Catalog.update`, in this order for each template
entry, so the result never depends on dictionary order):

1. same msgctxt and msgid in the old file (active or obsolete): translation, flags and translator
   comments are kept; source comments and references come from the template;
2. same msgid under another msgctxt: translation kept, marked fuzzy (`#| msgctxt` shows why);
3. the most similar translated entry of the same file, at or above the threshold: fuzzy, with the
   old msgid as `#| msgid`; that old entry is used up (msgmerge does not also keep it obsolete);
4. the translation memory (every other catalog, imported TMX): an exact match is pre-filled as
   translated, a fuzzy one offered as fuzzy with `#| msgid`;
5. otherwise untranslated.

Old entries that no template entry used become obsolete (`#~`) when they carry a translation, in
the order they had; an untranslated one is simply dropped (msgmerge does the same). Suggestions
whose numbers differ from the new source get the `medloc-number-drift` flag and a `# medloc:`
comment. Lines medloc writes into translator comments start with `medloc:` so they can be told
apart from a translator's own notes.
"""

from __future__ import annotations

from dataclasses import dataclass

from medloc.memory import Match, MemoryLookup, best_in, number_values, numbers
from medloc.po import Entry, POFile

DRIFT_FLAG = "medloc-number-drift"
NOTE_PREFIX = "medloc:"
_FORMAT_FLAGS = ("python-format", "python-brace-format", "c-format", "no-c-format")


@dataclass(frozen=True, slots=True)
class MergeOptions:
    locale: str
    threshold: float = 75.0
    keep_obsolete: bool = True
    origin: str = ""  # this file's path, so the memory does not suggest the file to itself


def merge(
    old: POFile | None, template: list[Entry], memory: MemoryLookup | None, opts: MergeOptions
) -> list[Entry]:
    """Return the new entry list (active in template order, then obsolete) for `template`."""
    old_entries = old.entries if old else []
    by_key: dict[tuple[str | None, str], Entry] = {}
    by_msgid: dict[str, Entry] = {}
    for e in old_entries:  # active entries win over obsolete ones with the same key
        if e.key not in by_key or (by_key[e.key].obsolete and not e.obsolete):
            by_key[e.key] = e
        if e.msgid not in by_msgid or (by_msgid[e.msgid].obsolete and not e.obsolete):
            by_msgid[e.msgid] = e
    translated_old = {e.msgid: e for e in old_entries if e.translations() and e.msgid_plural is None}
    used: set[int] = set()
    result: list[Entry] = []
    for t in template:
        found = by_key.get(t.key)
        if found is not None:
            used.add(id(found))
            result.append(_keep(found, t))
            continue
        same_id = by_msgid.get(t.msgid)
        if same_id is not None and same_id.translations():
            used.add(id(same_id))
            result.append(_suggest(t, same_id.msgstr, same_id, previous_ctxt=True, comments=same_id.comments))
            continue
        match = best_in(t.msgid, {k: v.msgstr for k, v in translated_old.items()}, opts.threshold)
        if match is not None:
            source_entry = translated_old[match.source]
            used.add(id(source_entry))
            comments = source_entry.comments
            result.append(_suggest(t, match.target, source_entry, match=match, comments=comments))
            continue
        tm = memory.lookup(t.msgid, opts.locale, opts.threshold, opts.origin) if memory is not None else None
        if tm is not None and tm.exact:
            entry = _fresh(t)
            entry.msgstr = tm.target
            entry.comments.append(f"{NOTE_PREFIX} pre-filled from translation memory ({tm.origin})")
            result.append(entry)
        elif tm is not None:
            result.append(_suggest(t, tm.target, None, match=tm))
        else:
            result.append(_fresh(t))
    obsolete = [e for e in old_entries if id(e) not in used and e.obsolete]
    if opts.keep_obsolete:
        active_keys = {e.key for e in result}
        for e in old_entries:
            if id(e) in used or e.obsolete or not e.translations() or e.key in active_keys:
                continue
            obsolete.append(_retire(e))
        result.extend(e for e in obsolete if e.key not in active_keys)
    return result


def _fresh(t: Entry) -> Entry:
    return Entry(
        msgid=t.msgid, msgctxt=t.msgctxt, msgid_plural=t.msgid_plural, extracted=list(t.extracted),
        references=list(t.references), flags=list(t.flags),
    )  # fmt: skip


def _keep(old: Entry, t: Entry) -> Entry:
    """Exact match: the old entry with the template's source comments and references."""
    old.obsolete = False
    old.extracted = list(t.extracted)
    old.references = list(t.references)
    # format flags follow the template (the source decides what is a format string); others stay
    flags = [f for f in old.flags if f not in _FORMAT_FLAGS or f in t.flags]
    flags += [f for f in t.flags if f not in old.flags]
    old.flags = flags
    if not old.fuzzy:
        old.previous_msgctxt = old.previous_msgid = old.previous_msgid_plural = None
    if DRIFT_FLAG in old.flags and not old.fuzzy and not _numbers_differ(old.msgid, old.msgstr):
        old.set_flag(DRIFT_FLAG, False)  # the translator fixed the numbers and confirmed the entry
        old.comments = [c for c in old.comments if not c.startswith(f"{NOTE_PREFIX} numbers")]
    return old


def _suggest(
    t: Entry, msgstr: str, old: Entry | None, *, match: Match | None = None, previous_ctxt: bool = False,
    comments: list[str] | None = None,
) -> Entry:  # fmt: skip
    """A fuzzy entry offering `msgstr`, showing the source it was written for as `#|`."""
    entry = _fresh(t)
    entry.msgstr = msgstr
    entry.comments = [c for c in (comments or []) if not c.startswith(NOTE_PREFIX)]
    entry.set_flag("fuzzy")
    if previous_ctxt and old is not None:
        entry.previous_msgctxt = old.msgctxt
        entry.previous_msgid = old.msgid
    elif match is not None:
        entry.previous_msgid = match.source
        if old is None:
            entry.comments.append(
                f"{NOTE_PREFIX} {match.score:.0f}% match from translation memory ({match.origin})"
            )
    if match is not None and match.drift is not None:
        new, had = match.drift
        entry.set_flag(DRIFT_FLAG)
        entry.comments.append(
            f"{NOTE_PREFIX} numbers differ from the suggestion: source has {_fmt(new)}, "
            f"suggestion was for {_fmt(had)}; check every number"
        )
    entry.flags.sort(key=lambda f: (f != "fuzzy", 0))
    return entry


def _retire(e: Entry) -> Entry:
    """Make an entry obsolete the way msgmerge does: no references or source comments."""
    e.obsolete = True
    e.references = []
    e.extracted = []
    return e


def _fmt(values: tuple[str, ...]) -> str:
    return ", ".join(values) if values else "no numbers"


def _numbers_differ(source: str, target: str) -> bool:
    """Do source and translation carry different numbers (ignoring 1,000 vs 1.000 vs 1 000)?"""
    return number_values(numbers(source)) != number_values(numbers(target))
