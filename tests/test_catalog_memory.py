"""Translation memory: exact pre-fill, fuzzy offers above the threshold, number drift, the lock."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from catalog_support import make_article, make_project

from medloc.catalog import po_path, update_catalogs
from medloc.fsutil import ProjectLock, project_lock
from medloc.memory import TranslationMemory, Unit, number_drift
from medloc.merge import DRIFT_FLAG
from medloc.model import MedlocError
from medloc.po import dump, parse

SRC = "Women who take aspirin daily may reduce their risk of ovarian cancer by 20 percent."
ES = "Las mujeres que toman aspirina a diario podrían reducir su riesgo de cáncer de ovario en un 20 %."


def fill(path, table):
    po = parse(path.read_text())
    for e in po.entries:
        if e.msgid in table:
            e.msgstr = table[e.msgid]
            e.set_flag("fuzzy", False)
    path.write_text(dump(po))


def entry(path, msgid):
    return next(e for e in parse(path.read_text()).entries if e.msgid == msgid)


def test_exact_match_from_another_article_is_prefilled(tmp_path):
    settings = make_project(tmp_path, locales=["es"])
    update_catalogs(make_article("one", [SRC]), settings)
    fill(po_path(settings, "es", "one"), {SRC: ES})
    update_catalogs(make_article("two", ["Another paragraph entirely.", SRC]), settings)
    e = entry(po_path(settings, "es", "two"), SRC)
    assert e.msgstr == ES and not e.fuzzy
    assert any("translation memory (locales/es/one.po)" in c for c in e.comments)


def test_fuzzy_match_above_threshold_is_offered_with_drift_flag(tmp_path):
    settings = make_project(tmp_path, locales=["es"])
    update_catalogs(make_article("one", [SRC]), settings)
    fill(po_path(settings, "es", "one"), {SRC: ES})
    near = SRC.replace("20 percent", "25 percent")
    far = "Aspirin is an old drug."
    update_catalogs(make_article("two", [near, far]), settings)
    two = po_path(settings, "es", "two")
    e = entry(two, near)
    assert e.fuzzy and e.msgstr == ES and e.previous_msgid == SRC
    assert DRIFT_FLAG in e.flags and any("source has 25" in c and "was for 20" in c for c in e.comments)
    assert entry(two, far).msgstr == ""


def test_threshold_is_configurable(tmp_path):
    settings = make_project(tmp_path, locales=["es"], tm_threshold=99)
    update_catalogs(make_article("one", [SRC]), settings)
    fill(po_path(settings, "es", "one"), {SRC: ES})
    near = SRC.replace("daily", "every day")
    update_catalogs(make_article("two", [near]), settings)
    assert entry(po_path(settings, "es", "two"), near).msgstr == ""


def test_imported_tmx_feeds_the_memory_with_language_fallback(tmp_path, corpus):
    tmx = corpus / "tico19-tm" / "tico19.en-es-419.sample.tmx"
    settings = make_project(tmp_path, locales=["es", "fr"], tmx_imports=[str(tmx)])
    source = "are you still having the chest pain"
    update_catalogs(make_article("chat", [source, source + " today?"]), settings)
    es = po_path(settings, "es", "chat")
    exact = entry(es, source)
    assert exact.msgstr and not exact.fuzzy  # es-419 unit serves the project's es
    assert entry(es, source + " today?").fuzzy
    assert entry(po_path(settings, "fr", "chat"), source).msgstr == ""  # no French TMX configured


def test_memory_index_finds_the_best_match_among_many():
    units = [
        Unit(f"Patient {i} received {i} doses of the vaccine in week {i}.", f"T{i}", "es")
        for i in range(3000)
    ]
    units.append(Unit("Regular aspirin use may reduce ovarian cancer risk in older women.", "ASPIRIN", "es"))
    tm = TranslationMemory(units)
    m = tm.lookup("Regular aspirin use may lower ovarian cancer risk in older women.", "es_MX", 75)
    assert m is not None and m.target == "ASPIRIN" and 75 <= m.score < 100
    assert tm.lookup("Something unrelated about knees.", "es", 75) is None


def test_number_drift_ignores_markup_and_separators():
    assert number_drift("Take 500 mg", "Take 250 mg") == (("500",), ("250",))
    assert number_drift("Take <b>1,000</b> mg", "Take 1,000 mg") is None
    assert number_drift('See <a href="/x?id=77">this</a> &#8220;now&#8221;', "See this now") is None
    assert number_drift("3 times a week", "three times a week") == (("3",), ())
    assert number_drift("2 and 3", "3 and 2") is None


LOCK_HOLDER = """
import sys, time
from medloc.fsutil import ProjectLock
with ProjectLock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(30)
"""


def test_second_run_waits_for_the_lock_then_fails_clearly(tmp_path):
    state = tmp_path / ".medloc"
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(state)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        with pytest.raises(MedlocError) as info, project_lock(state, timeout=0.5):
            pass
        assert time.monotonic() - started >= 0.5
        assert f"pid {holder.pid}" in str(info.value) and "medloc.lock" in str(info.value)
        settings = make_project(tmp_path, locales=["es"], lock_timeout_seconds=0.3)
        with pytest.raises(MedlocError, match="holds the project lock"):
            update_catalogs(make_article("a", [SRC]), settings)
        assert not po_path(settings, "es", "a").exists()
    finally:
        holder.kill()
        holder.wait()
    with ProjectLock(state, timeout=2):  # released when the holder died
        pass


def test_lock_is_reentrant_within_a_run(tmp_path):
    settings = make_project(tmp_path, locales=["es"])
    with project_lock(settings.path(settings.project.state_dir), timeout=1):
        update_catalogs(make_article("a", [SRC]), settings)  # does not deadlock on its own run's lock
    assert po_path(settings, "es", "a").exists()


def test_memory_scans_once_per_run_and_sees_its_own_writes(tmp_path):
    """Within one held lock (a run) the files are scanned once; a new run sees outside edits."""
    settings = make_project(tmp_path, locales=["es"])
    update_catalogs(make_article("one", [SRC]), settings)
    fill(po_path(settings, "es", "one"), {SRC: ES})
    state = settings.path(settings.project.state_dir)
    with project_lock(state):
        update_catalogs(make_article("two", [SRC]), settings)  # scan: sees one.po's translation
        assert entry(po_path(settings, "es", "two"), SRC).msgstr == ES
        update_catalogs(make_article("three", [SRC]), settings)  # no rescan; two.po came in as written
        assert entry(po_path(settings, "es", "three"), SRC).msgstr == ES
        other = "A sentence a translator adds during the run."
        update_catalogs(make_article("four", [other]), settings)
        fill(po_path(settings, "es", "four"), {other: "Una frase."})
        update_catalogs(make_article("five", [other]), settings)
        assert entry(po_path(settings, "es", "five"), other).msgstr == ""  # outside edit: next run
    update_catalogs(make_article("six", [other]), settings)
    assert entry(po_path(settings, "es", "six"), other).msgstr == "Una frase."


def _memory_contents(memory):
    units = [u for origin in memory._by_origin.values() for u in origin]
    return sorted((u.source, u.target, u.locale, u.origin) for u in units)


def test_a_new_process_rebuilds_the_memory_from_the_snapshot(tmp_path):
    """A new process (a new run) reads the snapshot instead of every PO file, re-reads only the
    files that changed since, and ends with the same memory as a full read; a damaged snapshot
    is set aside and rebuilt."""
    from medloc.projectmemory import ProjectMemory
    from medloc.tmsnapshot import FILENAME

    settings = make_project(tmp_path, locales=["es", "fr"])
    for slug in ("one", "two", "three"):
        update_catalogs(make_article(slug, [SRC, f"Paragraph of {slug}."]), settings)
    fill(po_path(settings, "es", "one"), {SRC: ES})
    full = ProjectMemory(settings)
    expected = _memory_contents(full.refreshed())
    snapshot = settings.path(settings.project.state_dir) / FILENAME
    assert snapshot.is_file() and any(s == SRC and t == ES for s, t, _, _ in expected)

    again = ProjectMemory(settings)
    reads = []
    original = again._load
    again._load = lambda path, locale: reads.append(path.name) or original(path, locale)
    assert _memory_contents(again.refreshed()) == expected and reads == []

    fill(po_path(settings, "es", "two"), {"Paragraph of two.": "Párrafo de dos."})
    changed = ProjectMemory(settings)
    changed._load = lambda path, locale: reads.append(path.name) or original(path, locale)
    contents = _memory_contents(changed.refreshed())
    assert reads == ["two.po"]
    assert ("Paragraph of two.", "Párrafo de dos.", "es", "locales/es/two.po") in contents

    for memory in (full, again, changed):
        memory._snapshot.close()
    for stray in snapshot.parent.glob(FILENAME + "-*"):
        stray.unlink()
    snapshot.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    damaged = ProjectMemory(settings)
    damaged._load = lambda path, locale: reads.append(path.name) or original(path, locale)
    reads.clear()
    assert _memory_contents(damaged.refreshed()) == contents
    assert len(reads) == 6 and snapshot.with_name(FILENAME + ".damaged").is_file()
    reads.clear()
    rebuilt = ProjectMemory(settings)
    rebuilt._load = lambda path, locale: reads.append(path.name) or original(path, locale)
    assert _memory_contents(rebuilt.refreshed()) == contents and reads == []


def test_the_memory_is_loaded_only_when_a_merge_asks_it_something(tmp_path):
    """An edited paragraph found as a fuzzy match in the article's own PO files, and unchanged
    paragraphs, need no translation memory: a new process merging such an edit reads neither the
    snapshot nor any other PO file. A paragraph its PO file has no translation for does load it
    (once, for every locale), and the memory then also holds the files this update wrote."""
    from medloc.projectmemory import ProjectMemory

    settings = make_project(tmp_path, locales=["es", "fr"])
    for slug in ("one", "two"):
        update_catalogs(make_article(slug, [SRC, f"Paragraph of {slug}."]), settings)
    fill(po_path(settings, "es", "one"), {SRC: ES})
    fill(po_path(settings, "fr", "one"), {SRC: "Les femmes qui prennent de l'aspirine."})
    ProjectMemory(settings).refreshed()  # the last run's snapshot

    loads: list[str] = []

    def fresh_process_memory() -> ProjectMemory:
        memory = ProjectMemory(settings)
        original_refreshed, original_load = memory.refreshed, memory._load
        memory.refreshed = lambda: loads.append("refreshed") or original_refreshed()
        memory._load = lambda path, locale: loads.append(path.name) or original_load(path, locale)
        return memory

    edited = SRC.replace("daily", "every day")
    article = make_article("one", [edited, "Paragraph of one."])
    update_catalogs(article, settings, memory=fresh_process_memory())
    assert loads == []
    e = entry(po_path(settings, "es", "one"), edited)
    assert e.fuzzy and e.msgstr == ES and e.previous_msgid == SRC  # the PO file's own old paragraph

    memory = fresh_process_memory()
    update_catalogs(make_article("three", [SRC, "New."]), settings, memory=memory)
    assert loads == ["refreshed"]  # once for both locales; no PO file parsed: one.po's rows are current
    assert entry(po_path(settings, "es", "three"), SRC).msgstr == ES  # one.po's, kept as #| msgid
    units = {(u.source, u.locale, u.origin) for u in memory.memory.units()}
    assert (SRC, "es", "locales/es/three.po") in units  # noted after writing, memory already loaded


def _write_articles(root: str, slugs: list[str]) -> None:
    """A worker process: its own memory, writing catalogs (spawned: nothing shared with the test)."""
    from catalog_support import make_article as article

    from medloc.config import load_settings

    settings = load_settings(root)
    for slug in slugs:
        update_catalogs(article(slug, [SRC, f"Paragraph of {slug}.", "New."]), settings)


def test_catalogs_written_by_worker_processes_are_in_the_next_process_snapshot(tmp_path):
    """Two worker processes write PO files side by side (as a big run's workers do), each replacing
    its files' rows; the next process then builds the same memory as reading every PO file, and
    parses none of them."""
    import multiprocessing

    from medloc.projectmemory import ProjectMemory

    settings = make_project(tmp_path, locales=["es", "fr"])
    for slug in ("a1", "a2", "b1", "b2"):
        update_catalogs(make_article(slug, [SRC, f"Paragraph of {slug}."]), settings)
    fill(po_path(settings, "es", "a1"), {SRC: ES})
    ProjectMemory(settings).refreshed()  # the snapshot as the last run left it
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_articles, args=(str(tmp_path), group))
               for group in (["a1", "a2"], ["b1", "b3"])]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    reads: list[str] = []
    memory = ProjectMemory(settings)
    original = memory._load
    memory._load = lambda path, locale: reads.append(path.name) or original(path, locale)
    contents = _memory_contents(memory.refreshed())
    assert reads == []
    full = ProjectMemory(settings)
    full._snapshot.drop([str(p) for p in settings.path("locales").glob("*/*.po")])  # no rows: read all
    assert contents == _memory_contents(full.refreshed())
    assert (SRC, ES, "es", "locales/es/b3.po") in contents  # a new article, pre-filled from a1 by a worker
    assert not [c for c in contents if c[0] == "New."]  # untranslated paragraphs are no units


def test_a_loaders_older_rows_do_not_replace_a_writers_newer_ones(tmp_path):
    """One process loads the memory (stats every file, parses, puts its rows at the end) while
    another writes a PO file and puts that file's row at once: the loader's row, stamped before the
    write, must not replace the writer's, or the next process parses the file again."""
    import time

    from medloc.projectmemory import ProjectMemory

    settings = make_project(tmp_path, locales=["es"])
    for slug in ("one", "two"):
        update_catalogs(make_article(slug, [SRC, f"Paragraph of {slug}."]), settings)
    loader, writer = ProjectMemory(settings), ProjectMemory(settings)
    writer.refreshed()
    fill(po_path(settings, "es", "one"), {SRC: ES})
    fill(po_path(settings, "es", "two"), {"Paragraph of two.": "Párrafo de dos."})  # rows now stale
    original = loader._load
    written: list[str] = []

    def load_while_another_process_writes(path, locale):
        if path.name == "one.po" and not written:  # "two.po" is parsed after this, with its old stamp
            time.sleep(0.05)  # a later mtime than the loader's stat of two.po
            update_catalogs(make_article("two", [SRC, "Paragraph of two.", "Added."]), settings,
                            memory=writer)
            written.append("two")
        return original(path, locale)

    loader._load = load_while_another_process_writes
    loader.refreshed()
    assert written == ["two"]
    reads: list[str] = []
    fresh = ProjectMemory(settings)
    fresh._load = lambda path, locale: reads.append(path.name) or original(path, locale)
    contents = _memory_contents(fresh.refreshed())
    assert reads == []
    assert ("Paragraph of two.", "Párrafo de dos.", "es", "locales/es/two.po") in contents


def test_catalogs_read_and_left_unchanged_refresh_their_rows(tmp_path):
    """A run whose merges need no lookup never loads the memory; the PO files it read and left as
    they were still get their rows, so the next process that loads the memory parses none of them.
    A file saved by someone else after medloc read it keeps its old row (parsed next time)."""
    from medloc.fsutil import Fingerprint
    from medloc.projectmemory import ProjectMemory

    settings = make_project(tmp_path, locales=["es", "fr"])
    articles = [make_article(slug, [SRC, f"Paragraph of {slug}."]) for slug in ("one", "two")]
    for article in articles:
        update_catalogs(article, settings)
    ProjectMemory(settings).refreshed()
    fill(po_path(settings, "es", "one"), {SRC: ES})  # a translator's save: that row is stale now
    run = ProjectMemory(settings)
    for article in articles:
        update = update_catalogs(article, settings, memory=run)
        assert {r.status for r in update.locales} == {"unchanged"}
    assert not run._loaded  # no lookup: the memory was never loaded
    reads: list[str] = []
    fresh = ProjectMemory(settings)
    original = fresh._load
    fresh._load = lambda path, locale: reads.append(path.name) or original(path, locale)
    assert (SRC, ES, "es", "locales/es/one.po") in _memory_contents(fresh.refreshed())
    assert reads == []

    path = po_path(settings, "es", "two")
    seen = Fingerprint.of(path)
    fill(path, {SRC: "Otra traducción del mismo párrafo, guardada después."})
    run.note_unchanged(path, parse(path.read_text()), seen)  # medloc's read was before that save
    again = ProjectMemory(settings)
    again._load = lambda path, locale: reads.append(path.name) or original(path, locale)
    again.refreshed()
    assert reads == ["two.po"]
