"""Catalog update semantics: what translators keep, get offered, and see, run after run."""

from __future__ import annotations

import subprocess

import pytest
from babel.messages.plurals import get_plural
from catalog_support import make_article, make_project, msgfmt_check

from medloc.catalog import po_path, project_status, template_path, translations_for, update_catalogs
from medloc.merge import DRIFT_FLAG
from medloc.model import Article, BlockKind, Segment
from medloc.po import POFile, dump, parse

PARAS = [
    "Take 500 mg of <strong>aspirin</strong> daily with food.",
    "Drink plenty of water during the day.",
    "See a doctor if the pain lasts more than 3 days.",
    "Hot flashes usually fade within a few years after menopause.",
]
ES = {
    "Aspirin and pain": "La aspirina y el dolor",
    PARAS[0]: "Tome 500 mg de <strong>aspirina</strong> al día con comida.",
    PARAS[1]: "Beba mucha agua durante el día.",
    PARAS[2]: "Consulte a un médico si el dolor dura más de 3 días.",
}


def translate(path, table, *, comment=None, flag=None):
    """Play the translator: fill msgstr from `table` and save (as Poedit would)."""
    po = parse(path.read_text(encoding="utf-8"))
    for e in po.entries:
        if e.msgid in table and not e.obsolete:
            e.msgstr = table[e.msgid]
            e.set_flag("fuzzy", False)
            if comment:
                e.comments.append(comment)
            if flag:
                e.set_flag(flag)
    path.write_text(dump(po), encoding="utf-8")
    return po


def entries(path):
    return {(e.msgctxt, e.msgid): e for e in parse(path.read_text(encoding="utf-8")).entries}


@pytest.fixture()
def project(tmp_path):
    settings = make_project(tmp_path)
    article = make_article("aspirin", PARAS, title="Aspirin and pain")
    update_catalogs(article, settings)
    es = po_path(settings, "es", "aspirin")
    translate(es, ES, comment="checked with Dr. Ruiz", flag="ignore-end-stop")
    return settings, article, es


def test_layout_headers_and_msgfmt(tmp_path):
    settings = make_project(tmp_path)
    update = update_catalogs(make_article("seed", PARAS, title="Aspirin and pain"), settings)
    assert update.template == "locales/templates/seed.pot"
    assert [u.path for u in update.locales] == [
        f"locales/{loc}/seed.po" for loc in ("es", "fr", "de", "zh_CN")
    ]
    for locale in settings.project.locales:
        path = po_path(settings, locale, "seed")
        header = parse(path.read_text()).header_fields()
        assert header["Language"] == locale
        assert header["Plural-Forms"] == get_plural(locale).plural_forms
        assert header["Content-Type"] == "text/plain; charset=UTF-8"
        assert header["Project-Id-Version"] == "seed"
        check = msgfmt_check(path)
        assert check.returncode == 0 and check.stderr == "", check.stderr
    assert msgfmt_check(template_path(settings, "seed")).returncode == 0
    assert "nplurals=3" in parse(po_path(settings, "es", "seed").read_text()).header_fields()["Plural-Forms"]
    assert (
        "nplurals=1" in parse(po_path(settings, "zh_CN", "seed").read_text()).header_fields()["Plural-Forms"]
    )


def test_entries_carry_references_kind_and_markup_notes(project):
    _settings, _article, es = project
    e = entries(es)[(None, PARAS[0])]
    assert e.references == ["source_articles/aspirin.txt:3"]
    assert e.extracted[0] == "paragraph (p#1)"
    assert any("inline tags (strong)" in c for c in e.extracted)
    assert entries(es)[(None, "Aspirin and pain")].extracted[0] == "heading (h1#0)"


def test_second_run_rewrites_nothing(project):
    settings, article, _es = project
    files = sorted(settings.path("locales").rglob("*.po*"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    update = update_catalogs(article, settings)
    assert update.template_status == "unchanged"
    assert {u.status for u in update.locales} == {"unchanged"}
    assert update.written == []
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before


def test_unchanged_segments_keep_translation_flags_and_comments(project):
    settings, _article, es = project
    edited = make_article(
        "aspirin",
        [PARAS[0], PARAS[1], "A brand new paragraph about sleep.", PARAS[3]],
        title="Aspirin and pain",
    )
    update_catalogs(edited, settings)
    e = entries(es)[(None, PARAS[1])]
    assert e.msgstr == ES[PARAS[1]] and not e.fuzzy
    assert "checked with Dr. Ruiz" in e.comments and "ignore-end-stop" in e.flags
    assert translations_for(edited, "es", settings)[2] == ES[PARAS[1]]


def test_changed_segment_gets_fuzzy_with_previous_msgid(project):
    settings, _article, es = project
    changed = "Drink plenty of water during the whole day."
    update_catalogs(
        make_article("aspirin", [PARAS[0], changed, PARAS[2], PARAS[3]], title="Aspirin and pain"), settings
    )
    e = entries(es)[(None, changed)]
    assert e.fuzzy and e.previous_msgid == PARAS[1] and e.msgstr == ES[PARAS[1]]
    assert DRIFT_FLAG not in e.flags
    assert (None, PARAS[1]) not in entries(es)  # used up by the fuzzy match, as msgmerge does
    assert msgfmt_check(es).returncode == 0


def test_number_drift_is_flagged_then_cleared_when_fixed(project):
    settings, _article, es = project
    changed = PARAS[0].replace("500", "250")
    new = make_article("aspirin", [changed, *PARAS[1:]], title="Aspirin and pain")
    update_catalogs(new, settings)
    e = entries(es)[(None, changed)]
    assert e.fuzzy and DRIFT_FLAG in e.flags
    assert any("source has 250" in c and "was for 500" in c for c in e.comments)
    assert translations_for(new, "es", settings).get(1) is None  # fuzzy never reaches the rebuild
    assert msgfmt_check(es).returncode == 0
    # the translator confirms without fixing the number: the flag stays
    translate(es, {changed: ES[PARAS[0]]})
    update_catalogs(new, settings)
    assert DRIFT_FLAG in entries(es)[(None, changed)].flags
    # ... and fixes it: flag and note go
    translate(es, {changed: ES[PARAS[0]].replace("500", "250")})
    update_catalogs(new, settings)
    e = entries(es)[(None, changed)]
    assert DRIFT_FLAG not in e.flags and not any("numbers differ" in c for c in e.comments)
    assert translations_for(new, "es", settings)[1].startswith("Tome 250 mg")


def test_removed_segment_becomes_obsolete_and_comes_back(project):
    settings, article, es = project
    short = make_article("aspirin", [PARAS[0], PARAS[1], PARAS[3]], title="Aspirin and pain")
    update_catalogs(short, settings)
    text = es.read_text()
    assert '#~ msgid "See a doctor if the pain lasts more than 3 days."' in text
    assert f'#~ msgstr "{ES[PARAS[2]]}"' in text
    assert msgfmt_check(es).returncode == 0
    update_catalogs(article, settings)
    e = entries(es)[(None, PARAS[2])]
    assert not e.obsolete and e.msgstr == ES[PARAS[2]] and not e.fuzzy
    assert "#~" not in es.read_text()


def test_keep_obsolete_false_drops_removed_entries(tmp_path):
    settings = make_project(tmp_path, keep_obsolete=False)
    update_catalogs(make_article("a", PARAS), settings)
    es = po_path(settings, "es", "a")
    translate(es, ES)
    update_catalogs(make_article("a", PARAS[:1]), settings)
    assert "#~" not in es.read_text()


def test_order_follows_the_article(project):
    settings, _article, es = project
    reordered = make_article("aspirin", [PARAS[3], PARAS[2], PARAS[1], PARAS[0]], title="Aspirin and pain")
    update_catalogs(reordered, settings)
    assert [e.msgid for e in parse(es.read_text()).entries] == ["Aspirin and pain", *reversed(PARAS)]
    assert all(not e.fuzzy for e in parse(es.read_text()).entries if e.msgstr)


def test_duplicates_share_an_entry_and_kinds_get_context(tmp_path):
    settings = make_project(tmp_path, locales=["es"])
    segs = [
        Segment(0, BlockKind.TITLE, "Menopause", 1, "title", 0, 9),
        Segment(1, BlockKind.HEADING, "Menopause", 2, "h1", 10, 19),
        Segment(2, BlockKind.PARAGRAPH, "Rest.", 3, "p", 20, 25),
        Segment(3, BlockKind.PARAGRAPH, "Rest.", 4, "p", 26, 31),
    ]
    art = Article("dup", "source_articles/dup.html", "html", "x" * 31, tuple(segs))
    update_catalogs(art, settings)
    es = po_path(settings, "es", "dup")
    got = entries(es)
    assert set(got) == {("title", "Menopause"), ("heading", "Menopause"), (None, "Rest.")}
    assert got[(None, "Rest.")].references == ["source_articles/dup.html:3", "source_articles/dup.html:4"]
    translate(es, {"Rest.": "Descanso.", "Menopause": "Menopausia"})
    assert translations_for(art, "es", settings) == {
        0: "Menopausia",
        1: "Menopausia",
        2: "Descanso.",
        3: "Descanso.",
    }
    # the title goes away: the heading's context is no longer needed; its translation is kept (fuzzy)
    art2 = Article("dup", art.path, "html", art.text, tuple(segs[1:]))
    update_catalogs(art2, settings)
    e = entries(es)[(None, "Menopause")]
    assert e.msgstr == "Menopausia" and e.fuzzy and e.previous_msgctxt in ("title", "heading")
    assert msgfmt_check(es).returncode == 0


def test_written_files_are_what_gettext_itself_would_write(tmp_path):
    """msgcat rewraps and re-escapes by GNU rules; our output comes back unchanged.

    Covers fuzzy entries, previous msgids, obsolete entries, escapes and long wrapped strings.

    (msgcat drops flags it does not know, such as medloc-number-drift, so this article has no drift.)
    """
    settings = make_project(tmp_path)
    long = (
        "Menopausal women should pay attention to maintaining a balanced diet, with a focus on "
        'supplementing nutrients such as <a href="https://example.org/vitamin-d?x=1&amp;y=2">vitamin D</a> '
        'and magnesium; tab\there, "quotes" and a back\\slash.'
    )
    article = make_article("wrap", [long, *PARAS[1:]], title="Aspirin and pain")
    update_catalogs(article, settings)
    for locale in ("es", "fr", "de"):
        translate(po_path(settings, locale, "wrap"), {**ES, long: long.upper()})
    update_catalogs(make_article("wrap", [long + " More.", PARAS[1]], title="Aspirin and pain"), settings)
    for path in sorted(settings.path("locales").rglob("*.po")):
        if "zh_CN" in str(path):
            continue  # CJK line breaking follows UAX #14 in gettext; ours is close, not identical
        out = subprocess.run(["msgcat", str(path)], capture_output=True, text=True, check=True).stdout
        assert out == path.read_text(encoding="utf-8"), path
    assert "#| msgid" in po_path(settings, "es", "wrap").read_text()
    assert "#~ msgid" in po_path(settings, "es", "wrap").read_text()


def test_syntax_error_names_file_and_line_and_others_go_on(project):
    settings, _article, _es = project
    fr = po_path(settings, "fr", "aspirin")
    broken = fr.read_text().replace('msgid "Drink plenty', "msgid Drink plenty", 1)
    fr.write_text(broken)
    line = (
        broken.splitlines().index(next(ln for ln in broken.splitlines() if ln.startswith("msgid Drink"))) + 1
    )
    edited = make_article("aspirin", [*PARAS, "One more paragraph."], title="Aspirin and pain")
    update = update_catalogs(edited, settings)
    status = {u.locale: u for u in update.locales}
    assert status["fr"].status == "error"
    assert f"locales/fr/aspirin.po:{line}:" in status["fr"].reason and "syntax error" in status["fr"].reason
    assert fr.read_text() == broken
    assert {status[loc].status for loc in ("es", "de", "zh_CN")} == {"updated"}
    assert update.problems and "fr/aspirin.po" in update.problems[0]
    rows = {(r.slug, r.locale): r for r in project_status(settings)}
    assert rows[("aspirin", "fr")].error and rows[("aspirin", "es")].counts.translated == 4


def test_file_saved_during_the_run_is_skipped(project):
    settings, _article, es = project
    saved = []

    def translator_saves(path):
        if path.name == "aspirin.po" and path.parent.name == "es":
            translate(path, {PARAS[3]: "Los sofocos suelen desaparecer pocos años después de la menopausia."})
            saved.append(path.read_bytes())

    edited = make_article("aspirin", [*PARAS, "A new paragraph."], title="Aspirin and pain")
    update = update_catalogs(edited, settings, before_write=translator_saves)
    status = {u.locale: u for u in update.locales}
    assert status["es"].status == "skipped" and "changed on disk" in status["es"].reason
    assert es.read_bytes() == saved[0]  # the translator's save survives
    assert status["de"].status == "updated"
    update = update_catalogs(edited, settings)  # next run merges it
    assert {u.locale: u.status for u in update.locales}["es"] == "updated"
    assert entries(es)[(None, PARAS[3])].msgstr.startswith("Los sofocos")


def test_atomic_writes_leave_no_temporary_files(project):
    settings, _article, _es = project
    update_catalogs(make_article("aspirin", PARAS[:2], title="Aspirin and pain"), settings)
    leftovers = [p for p in settings.path("locales").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_status_counts_entries_and_words(project):
    settings, _article, _es = project
    rows = {(r.slug, r.locale): r for r in project_status(settings)}
    c = rows[("aspirin", "es")].counts
    assert (c.translated, c.fuzzy, c.untranslated) == (4, 0, 1)
    assert c.translated_words == 3 + 8 + 8 + 10  # tags do not count as words
    assert c.untranslated_words == 10
    assert rows[("aspirin", "de")].counts.untranslated == 5


def test_translator_edits_in_other_tools_are_kept_byte_for_byte(project):
    """A file saved by another tool (other wrapping) is not reflowed when nothing changed."""
    settings, article, es = project
    po = parse(es.read_text())
    text = dump(POFile(po.header, po.entries)).replace(
        'msgstr "Beba mucha agua durante el día."', 'msgstr ""\n"Beba mucha agua "\n"durante el día."'
    )
    es.write_text(text)
    update = update_catalogs(article, settings)
    assert {u.locale: u.status for u in update.locales}["es"] == "unchanged"
    assert es.read_text() == text
