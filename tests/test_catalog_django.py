"""Real PO files (27 Django catalogues, plurals up to 6 forms, msgctxt, python-format) round-trip.

Reading and writing each file gives identical bytes, and so does a full merge against a template
made of the file's own entries (the "nothing changed upstream" update). The one known difference of
our *fresh* wrapping from GNU's is listed below with the reason; it only applies to entries medloc
writes anew, never to a translator's unchanged entries.
"""

from __future__ import annotations

import polib
import pytest

from medloc.catalog import read_catalog
from medloc.merge import MergeOptions, merge
from medloc.po import Entry, POFile, dump
from paths import CORPUS

FILES = sorted((CORPUS / "django-po").glob("*/*.po"))


def test_there_are_27_files():
    assert len(FILES) == 27


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_read_write_and_merge_are_byte_identical(path):
    raw = path.read_bytes()
    po = read_catalog(path)
    assert dump(po).encode() == raw
    template = [
        Entry(
            msgid=e.msgid,
            msgctxt=e.msgctxt,
            msgid_plural=e.msgid_plural,
            extracted=list(e.extracted),
            references=list(e.references),
            flags=[f for f in e.flags if f != "fuzzy"],
        )
        for e in po.entries
        if not e.obsolete
    ]
    merged = merge(read_catalog(path), template, None, MergeOptions(path.parent.name))
    assert dump(POFile(po.header, merged)).encode() == raw


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_parser_agrees_with_polib(path):
    """An independent parser sees the same entries (contexts, plural forms, flags, comments)."""
    ours = read_catalog(path)
    theirs = polib.pofile(str(path))
    assert ours.header.msgstr.count("\n") >= len(theirs.metadata)
    pairs = list(zip(ours.entries, theirs, strict=True))
    for mine, ref in pairs:
        assert (mine.msgctxt, mine.msgid, mine.msgid_plural or "") == (
            ref.msgctxt,
            ref.msgid,
            ref.msgid_plural,
        )
        assert mine.msgstr == ref.msgstr
        assert mine.msgstr_plural == {int(k): v for k, v in ref.msgstr_plural.items()}
        assert mine.flags == ref.flags
        assert "\n".join(mine.extracted) == ref.comment
        assert "\n".join(mine.comments) == ref.tcomment


def test_plural_forms_up_to_six_are_kept():
    ar = read_catalog(CORPUS / "django-po" / "ar" / "core.django.po")
    assert "nplurals=6" in ar.header_fields()["Plural-Forms"]
    assert max(len(e.msgstr_plural) for e in ar.entries) == 6


# Entries medloc writes anew are wrapped by our approximation of gettext's UAX #14 line breaking.
# Against these 27 files, reformatting *every* entry differs from GNU in these many entries, all
# long strings with bracketed formats ("[:ss[.uuuuuu]]"), right-to-left text with combining marks,
# or CJK punctuation, where libunistring allows breaks our simpler rules do not. msgfmt reads both
# the same; unchanged entries are never reformatted, so translators' files do not churn.
KNOWN_REFLOW_DIFFERENCES = 16


def test_fresh_wrapping_is_close_to_gettext():
    differing = 0
    for path in FILES:
        po = read_catalog(path)
        for e in po.entries:
            original = e.raw
            e.raw = None
            if dump(POFile(None, [e])).rstrip("\n") != original:
                differing += 1
    assert differing <= KNOWN_REFLOW_DIFFERENCES
