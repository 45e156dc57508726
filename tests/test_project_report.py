"""The flow's incremental project report (`medloc.projectreport`, `medloc.report.parts`).

The contract: `qa.qa_run` writes the same five reports, byte for byte, as the non-incremental path —
`run_project_qa(settings, reuse=True, previous=<the history as read before the run>)` then
`write_reports` — apart from the `generated` timestamp (fixed here in both paths); it rebuilds only
the parts of articles whose inputs changed; a damaged parts store is set aside and rebuilt; and an
unchanged run does no work at all.

The project is real: three Markdown articles through the pipeline (`medloc.pipeline.process_document`:
extraction, the glossary fix of the source, catalogs, the per-article QA stage that stores
`out/qa/<slug>.json`), translated with medloc's own PO writer, checked by the registered checks with
the repository's glossary. Its findings: critical (numbers, negation), major (untranslated), minor
(repeated word, consistency across articles), info (source grammar, a grammar engine not configured),
and a glossary-fix log. A translator's edit is followed by the article's pipeline run, as the flow
does for an article whose PO file changed.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from history_support import history_rows, history_writes, watch_history_writes

import medloc.report.model
from medloc import qa, qastage
from medloc.catalog import po_path, template_path
from medloc.config import Settings, load_settings
from medloc.history import history_path
from medloc.historystore import load_history
from medloc.incremental import FileDigests
from medloc.pipeline import process_document, slug_of
from medloc.po import dump, parse
from medloc.projectreport import ProjectReport, build_project_report
from medloc.report.pages import ARTICLES as PAGES_DIR
from medloc.report.parts import FILENAME
from medloc.report.parts import TABLE as PARTS_TABLE
from medloc.sources.folder import scan_folder
from medloc.waivers import add_waiver, waivers_path
from paths import REPO

LOCALES = ["es", "fr"]
SLUGS = ["aspirin", "sleep", "twitch"]
SHARED = "Take this medicine with food every day."  # in every article: the consistency check's subject
ARTICLES = {
    "aspirin": f"# Aspirin and your heart\n\nTake 500 mg twice a day.\n\n{SHARED}\n\n"
               "Do not take more than 4 doses.\n\nAsk your your doctor.\n",
    "sleep": f"# Sleep and memory\n\n{SHARED}\n\nSleep 8 hours a night.\n\nShort label\n",
    # "Flesh jumping" is a forbidden term of the glossary: the pipeline fixes it and logs the fix.
    "twitch": f"# Muscle twitching\n\nFlesh jumping at night is common during menopause.\n\n{SHARED}\n\n"
              "See your doctor if it lasts 3 weeks.\n",
}
WITH_FOOD = "Tome este medicamento con comida cada día."
DAILY = "Tome este medicamento con alimentos a diario."
TRANSLATIONS = {  # the rest stays untranslated (major findings)
    ("aspirin", "es"): {"Aspirin and your heart": "La aspirina y su corazón",
                        "Take 500 mg twice a day.": "Tome 50 mg dos veces al día.",  # numbers: critical
                        SHARED: WITH_FOOD,
                        "Do not take more than 4 doses.": "Tome más de 4 dosis."},  # negation: critical
    ("sleep", "es"): {"Sleep and memory": "El sueño y la memoria", SHARED: DAILY,  # consistency: minor
                      "Sleep 8 hours a night.": "Duerma 8 horas por noche."},
    ("twitch", "es"): {SHARED: WITH_FOOD},
    ("aspirin", "fr"): {"Take 500 mg twice a day.": "Prenez 500 mg deux fois par jour.",
                        SHARED: "Prenez ce médicament avec de la nourriture chaque jour."},
    ("sleep", "fr"): {SHARED: "Prenez ce médicament au cours d'un repas chaque jour.",
                      "Sleep 8 hours a night.": "Dormez 8 heures par nuit."},
}
REPORTS = ("qa.json", "qa.html", "qa.md", "qa.junit.xml", qa.DECISIONS_FILE)
GENERATED = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


class _FixedClock:
    """Stands in for `datetime` in medloc.report.model: the reports' `generated` stamp is fixed."""

    @staticmethod
    def now(tz: Any = None) -> datetime:
        return GENERATED


def _pipeline(settings: Settings, slugs: list[str] | None = None) -> None:
    """The flow's per-article stage for `slugs` (all: None): catalogs merged, out/qa/<slug>.json stored."""
    for document in scan_folder(settings).documents:
        if slugs is None or slug_of(document) in slugs:
            result = process_document(document, settings)
            assert result.ok, result.error


def _set_msgstr(settings: Settings, slug: str, locale: str, table: dict[str, str]) -> None:
    """A translator's edit of the PO file, written with medloc's own PO writer."""
    path = po_path(settings, locale, slug)
    po = parse(path.read_text(encoding="utf-8"))
    seen = set()
    for entry in po.entries:
        if entry.msgid in table:
            entry.msgstr = table[entry.msgid]
            seen.add(entry.msgid)
    assert seen == set(table), f"no entry for {set(table) - seen} in {path}"
    path.write_text(dump(po), encoding="utf-8")


@pytest.fixture(scope="module")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The translated project after the pipeline, before any project QA run (copied for each test)."""
    root = tmp_path_factory.mktemp("report-project") / "project"
    root.mkdir()
    (root / "medloc.toml").write_text(f"[project]\nlocales = {json.dumps(LOCALES)}\n", encoding="utf-8")
    shutil.copytree(REPO / "glossary", root / "glossary")
    sources = root / "source_articles"
    sources.mkdir()
    for slug, text in ARTICLES.items():
        (sources / f"{slug}.md").write_text(text, encoding="utf-8")
    settings = load_settings(root, env={})
    _pipeline(settings)  # templates and empty PO files
    for (slug, locale), table in TRANSLATIONS.items():
        _set_msgstr(settings, slug, locale, table)
    _pipeline(settings)  # the translations merged and checked
    qa._CONTEXTS.clear()
    return root


@pytest.fixture
def project(built_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    root = tmp_path / "project"
    shutil.copytree(built_project, root)
    monkeypatch.setattr(medloc.report.model, "datetime", _FixedClock)
    qa._CONTEXTS.clear()
    yield load_settings(root, env={})
    qa._CONTEXTS.clear()


def _reports(settings: Settings) -> Path:
    return settings.path(settings.project.output_dir) / "reports"


def _qa_run_and_compare(settings: Settings, folder: Path) -> dict[str, Any]:
    """qa_run, then the non-incremental path with the history qa_run compared with, into `folder`:
    the five reports must be equal byte for byte. Returns qa.json as qa_run wrote it."""
    previous = _previous(settings)  # as qa_run reads it, before it records the run
    before = {name: _stamp(_reports(settings) / name) for name in REPORTS}
    qastage.qa_run(settings)
    for name in REPORTS:  # the run was not skipped: every report was written again
        assert _stamp(_reports(settings) / name) != before[name], name
    expected = qa.run_project_qa(settings, reuse=True, previous=previous)
    qa.write_reports(expected, settings, folder)
    for name in REPORTS:
        ours, theirs = (_reports(settings) / name).read_bytes(), (folder / name).read_bytes()
        assert ours == theirs, f"{name} differs from run_project_qa's ({folder})"
    # The article pages: the flow wrote only those that may have changed; all of them are as the
    # full path renders them now (a page not written again must not be out of date).
    ours_pages = sorted((_reports(settings) / PAGES_DIR).glob("*.html"))
    theirs_pages = sorted((folder / PAGES_DIR).glob("*.html"))
    assert [p.name for p in ours_pages] == [p.name for p in theirs_pages] == [
        f"{slug}.html" for slug in sorted({row["article"] for row in json.loads(
            (folder / "qa.json").read_text(encoding="utf-8"))["articles"]})]
    for mine, full in zip(ours_pages, theirs_pages, strict=True):
        assert mine.read_bytes() == full.read_bytes(), f"{mine.name} differs from run_project_qa's ({folder})"
    data: dict[str, Any] = json.loads((_reports(settings) / "qa.json").read_text(encoding="utf-8"))
    assert data["generated"] == GENERATED.isoformat(timespec="seconds")
    return data


def _stamp(path: Path) -> tuple[int, int] | None:
    """The file's stamp: reports are replaced by an atomic rename (a new inode) when written."""
    if not path.exists():
        return None
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def _fixed(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(p["check"], p["article"], p["locale"]) for p in data["fixed"]]


def _stored_slugs(settings: Settings) -> list[str]:
    """The articles whose part is in the parts store (read with sqlite3 itself)."""
    connection = sqlite3.connect(settings.path(settings.project.state_dir) / FILENAME)
    try:
        return sorted(slug for (slug,) in connection.execute(f"SELECT slug FROM {PARTS_TABLE}"))
    finally:
        connection.close()


def _findings(data: dict[str, Any], **match: str) -> list[dict[str, Any]]:
    return [f for f in data["findings"] if all(f[k] == v for k, v in match.items())]


def test_reports_equal_the_full_path_over_a_sequence_of_runs(project: Settings, tmp_path: Path) -> None:
    settings = project

    # 1. First run: no history, the baseline (every finding open, nothing new).
    first = _qa_run_and_compare(settings, tmp_path / "full-1")
    assert first["summary"]["first_run"] is True
    assert {f["status"] for f in first["findings"]} == {"open"}
    assert Counter(f["severity"] for f in first["findings"]).keys() == {"critical", "major", "minor", "info"}
    assert {(f["article"], f["locale"]) for f in _findings(first, check="consistency")} == {
        ("sleep", "es"), ("sleep", "fr")}
    assert all("(in aspirin)" in f["message"] for f in _findings(first, check="consistency"))
    assert [(f["article"], f["concept"]) for f in first["glossary_fixes"]] == [("twitch", "muscle-twitching")]
    assert {a["article"] for a in first["articles"]} == set(SLUGS) and not first["fixed"]
    assert history_path(settings).is_file()

    # 2. A report deleted by hand: the run is redone; only the history changed (every finding open).
    (_reports(settings) / "qa.html").unlink()
    second = _qa_run_and_compare(settings, tmp_path / "full-2")
    assert {f["status"] for f in second["findings"]} == {"open"} and not second["fixed"]
    assert second["summary"]["first_run"] is False

    # 3. A translator aligns aspirin's Spanish with sleep's, then aspirin's pipeline run: sleep's
    #    consistency finding is fixed (its part changes through the project-wide checks alone), and
    #    twitch, which agreed with the old wording, gets a new one.
    _set_msgstr(settings, "aspirin", "es", {SHARED: DAILY})
    _pipeline(settings, ["aspirin"])
    third = _qa_run_and_compare(settings, tmp_path / "full-3")
    assert _fixed(third) == [("consistency", "sleep", "es")]
    (moved,) = _findings(third, check="consistency", locale="es")
    assert (moved["article"], moved["status"]) == ("twitch", "new")
    assert {f["status"] for f in third["findings"] if f is not moved} == {"open"}

    # 4. Again a deleted report: twitch's new finding is open now (only twitch's history changed).
    (_reports(settings) / "qa.md").unlink()
    fourth = _qa_run_and_compare(settings, tmp_path / "full-4")
    assert {f["status"] for f in fourth["findings"]} == {"open"} and not fourth["fixed"]

    # 5. A reviewer waives aspirin's negation finding (and a waiver that matches nothing).
    (negation,) = _findings(fourth, check="negation")
    add_waiver(waivers_path(settings), negation["fingerprint"], "checked against the leaflet", by="rev",
               about={"check": "negation", "article": "aspirin", "locale": "es"}, today="2025-03-01")
    add_waiver(waivers_path(settings), "0123456789abcdef", "an old finding", by="rev", today="2025-03-01")
    fifth = _qa_run_and_compare(settings, tmp_path / "full-5")
    (waived,) = _findings(fifth, fingerprint=negation["fingerprint"])
    assert waived["status"] == "waived"
    assert [w["fingerprint"] for w in fifth["stale_waivers"]] == ["0123456789abcdef"]

    # 6. Aspirin is removed from the project: its source, template, PO files and outputs. Twitch's
    #    consistency finding now points at sleep, sleep's French one (against aspirin) is fixed;
    #    aspirin's own findings are neither reported nor listed as fixed (out of the run's scope).
    #    (The flow withdraws an article whose source is gone by removing its template and outputs,
    #    as here, keeping its PO files: medloc.withdraw, tests/test_withdraw.py.)
    (settings.root / "source_articles" / "aspirin.md").unlink()
    template_path(settings, "aspirin").unlink()
    for locale in LOCALES:
        po_path(settings, locale, "aspirin").unlink()
    out = settings.path(settings.project.output_dir)
    for path in (out / "qa" / "aspirin.json", out / "segments" / "aspirin.json"):
        path.unlink()
    sixth = _qa_run_and_compare(settings, tmp_path / "full-6")
    assert {a["article"] for a in sixth["articles"]} == {"sleep", "twitch"}
    assert not _findings(sixth, article="aspirin")
    assert _fixed(sixth) == [("consistency", "sleep", "fr")]
    assert sorted(w["fingerprint"] for w in sixth["stale_waivers"]) == sorted(
        ["0123456789abcdef", negation["fingerprint"]])
    (moved,) = _findings(sixth, check="consistency", locale="es")
    assert moved["article"] == "twitch" and "(in sleep)" in moved["message"]
    assert _stored_slugs(settings) == ["sleep", "twitch"]  # the removed article's part is forgotten

    # 7. The grammar and consistency checks are turned off (a settings change: the flow re-runs every
    #    article). The project's own "grammar not checked" finding is fixed, listed before twitch's.
    toml = settings.root / "medloc.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '[qa]\ndisable = ["grammar", "consistency"]\n',
                    encoding="utf-8")
    settings = load_settings(settings.root, env={})
    _pipeline(settings)
    seventh = _qa_run_and_compare(settings, tmp_path / "full-7")
    assert _fixed(seventh) == [
        ("engine-unavailable", "", "es"), ("consistency", "twitch", "es")]
    assert not _findings(seventh, check="engine-unavailable")


def _previous(settings: Settings) -> dict[str, Any] | None:
    """The recorded history, read whole (it stays what it was when the run records the next)."""
    previous = load_history(settings)
    return dict(previous) if previous is not None else None


def _build(settings: Settings) -> ProjectReport:
    """The report as qa_run assembles it, with the history as recorded (the store closed after)."""
    built = build_project_report(settings, load_history(settings), FileDigests())
    built.store.close()
    return built


def _record(settings: Settings, built: ProjectReport) -> None:
    qa.record_history(settings, built.report.rows, built.histories, load_history(settings))


def test_only_the_parts_whose_inputs_changed_are_rebuilt(project: Settings) -> None:
    settings = project
    assert _build(settings).rebuilt == SLUGS  # no store yet: every part
    assert _build(settings).rebuilt == []  # nothing changed
    _record(settings, _build(settings))
    # The first history: the first run was the baseline (every finding open), and against its history
    # every finding is still open, nothing fixed: no part changes (the cold -> next-run transition).
    assert _build(settings).rebuilt == []
    _record(settings, _build(settings))
    steady = _build(settings)
    assert steady.rebuilt == []  # the same findings recorded again: the same history

    # The translator corrects the dose wrongly (50 mg -> 5 mg): one finding fixed, one new, in aspirin only.
    _set_msgstr(settings, "aspirin", "es", {"Take 500 mg twice a day.": "Tome 5 mg dos veces al día."})
    _pipeline(settings, ["aspirin"])
    edited = _build(settings)
    assert edited.rebuilt == ["aspirin"]
    assert [(p.check, p.article) for p in edited.report.fixed] == [("numbers", "aspirin")]
    assert edited.report.tally.to_dict() != steady.report.tally.to_dict()
    _record(settings, edited)
    assert _build(settings).rebuilt == ["aspirin"]  # only aspirin's history changed: its new finding is open
    _record(settings, _build(settings))
    assert _build(settings).rebuilt == []

    # Aspirin's French aligned with sleep's: sleep's consistency finding goes, so sleep's part is rebuilt
    # (through the project-wide checks alone). Aspirin's own stored QA comes out byte-identical (no
    # finding on that entry, the same counts), so its part is kept, as is twitch's.
    record = qa.article_qa_path(settings, "aspirin").read_bytes()
    _set_msgstr(settings, "aspirin", "fr", {SHARED: "Prenez ce médicament au cours d'un repas chaque jour."})
    _pipeline(settings, ["aspirin"])
    assert qa.article_qa_path(settings, "aspirin").read_bytes() == record
    aligned = _build(settings)
    assert aligned.rebuilt == ["sleep"]
    assert [(p.check, p.article, p.locale) for p in aligned.report.fixed] == [("consistency", "sleep", "fr")]
    _record(settings, aligned)
    assert _build(settings).rebuilt == ["sleep"]  # its fixed finding left its history: no longer "fixed"

    # A glossary-fix log alone changes: only that article's part.
    log = settings.path(settings.project.output_dir) / "glossary-fixes" / "twitch.json"
    data = json.loads(log.read_text(encoding="utf-8"))
    data["fixes"][0]["line"] += 1
    log.write_text(json.dumps(data), encoding="utf-8")
    assert _build(settings).rebuilt == ["twitch"]


def test_translating_an_untranslated_entry_rebuilds_only_that_article(project: Settings) -> None:
    settings = project
    _record(settings, _build(settings))
    _record(settings, _build(settings))
    assert _build(settings).rebuilt == []
    _set_msgstr(settings, "twitch", "es", {"See your doctor if it lasts 3 weeks.":
                                           "Consulte a su médico si dura 3 semanas."})
    _pipeline(settings, ["twitch"])
    assert _build(settings).rebuilt == ["twitch"]


def test_a_damaged_parts_store_is_set_aside_and_rebuilt(project: Settings, tmp_path: Path) -> None:
    settings = project
    qastage.qa_run(settings)
    store = settings.path(settings.project.state_dir) / FILENAME
    assert store.is_file()
    garbage = b"\x00garbage, not an SQLite database\xff" * 64
    store.write_bytes(garbage)
    # An edit too, so the report after the damage is not the one before it.
    _set_msgstr(settings, "sleep", "es", {"Sleep 8 hours a night.": "Duerma 9 horas por noche."})
    _pipeline(settings, ["sleep"])
    data = _qa_run_and_compare(settings, tmp_path / "full")
    assert _findings(data, check="numbers", article="sleep", locale="es")
    assert store.with_name(FILENAME + ".damaged").read_bytes() == garbage
    assert _stored_slugs(settings) == SLUGS  # a new, readable store with every article's part
    assert _build(settings).rebuilt == ["sleep"]  # the next run uses it (sleep: its new finding is open)


def test_an_unchanged_run_returns_its_result_without_writing(project: Settings) -> None:
    settings = project
    first = qastage.qa_run(settings)
    state = settings.path(settings.project.state_dir)
    watched = [_reports(settings) / name for name in REPORTS] + [history_path(settings), state / FILENAME]
    stamps = {path: _stamp(path) for path in watched}
    assert None not in stamps.values()
    assert qastage.qa_run(settings) == first
    assert {path: _stamp(path) for path in watched} == stamps


def test_a_store_locked_by_another_process_costs_time_never_the_report(
        project: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """Another connection holds the store's write lock (someone inspecting it, a stuck process): the
    run's new parts stay in memory, the stored ones are still read, and the reports are right."""
    import sqlite3

    import medloc.report.parts as parts

    settings = project
    qastage.qa_run(settings)
    (settings.path(settings.project.state_dir) / "qa-run.json").unlink()
    qastage.qa_run(settings)  # parts stored, history settled
    _set_msgstr(settings, "aspirin", "es", {"Take 500 mg twice a day.": "Tome 5 mg dos veces al día."})
    _pipeline(settings, ["aspirin"])
    monkeypatch.setattr(parts, "LOCK_TIMEOUT", 0.5)
    other = sqlite3.connect(settings.path(settings.project.state_dir) / FILENAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        data = _qa_run_and_compare(settings, tmp_path / "full")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _findings(data, check="numbers", article="aspirin", locale="es")
    assert "kept in memory for this run" in caplog.text
    assert "rebuilt from every finding" not in caplog.text  # the parts were read, not bypassed
    assert _build(settings).rebuilt == ["aspirin"]  # it was not stored: built again, now saved


def test_released_article_resources_are_loaded_again_for_the_next_run(project: Settings) -> None:
    """The flow releases the engines and translation memory before the project report (a memory
    peak; the compiled glossary stays, publishing uses it); a later run in the same process
    (`medloc serve`) must find everything again and store exactly what it stored before."""
    from medloc import projectmemory
    from medloc.engines import grammar
    from medloc.glossary import terminology
    from medloc.pipeline import release_article_resources

    settings = project
    record = qa.article_qa_path(settings, "aspirin")
    before = record.read_bytes()
    _pipeline(settings, ["sleep"])  # a run's articles stage: engines, glossary and memory loaded
    assert qa._CONTEXTS and projectmemory._INSTANCES and terminology._CACHE and grammar._BUILT
    release_article_resources()
    assert not qa._CONTEXTS and not projectmemory._INSTANCES and not grammar._BUILT
    assert terminology._CACHE
    record.unlink()
    _pipeline(settings, ["aspirin"])
    assert record.read_bytes() == before
    assert qa._CONTEXTS and projectmemory._INSTANCES


def test_a_part_stored_by_other_code_is_rebuilt_not_trusted(project: Settings, tmp_path: Path) -> None:
    """A part's record (what step 1 reuses without reading the article's QA file) written by another
    medloc version — here one whose records had fewer fields — is not reused: the record is read
    again from the article's QA file and the reports are right, not a crash on the missing field."""
    import sqlite3

    settings = project
    _record(settings, _build(settings))
    store = settings.path(settings.project.state_dir) / FILENAME
    with sqlite3.connect(store) as db:
        for slug, meta in db.execute(f"SELECT slug, meta FROM {PARTS_TABLE}").fetchall():
            data = json.loads(meta)
            data["record"].pop("strays", None)
            data["record"]["code"] = "an-older-medloc"
            db.execute(f"UPDATE {PARTS_TABLE} SET meta = ? WHERE slug = ?", (json.dumps(data), slug))
    db.close()
    _build(settings)
    (settings.path(settings.project.state_dir) / "qa-run.json").unlink(missing_ok=True)
    _qa_run_and_compare(settings, tmp_path / "full")


def test_parts_gone_before_the_reports_are_written_fall_back_to_the_whole_report(
        project: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """Another process empties the store between the build and the writing (a cleanup, a second
    copy of medloc): the reports are made from every finding instead, say so, and are right."""
    import sqlite3

    settings = project
    qastage.qa_run(settings)
    (settings.path(settings.project.state_dir) / "qa-run.json").unlink()
    real = qastage.record_history

    def record_then_empty_the_store(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        with sqlite3.connect(settings.path(settings.project.state_dir) / FILENAME) as db:
            db.execute(f"DELETE FROM {PARTS_TABLE}")
        db.close()

    monkeypatch.setattr(qastage, "record_history", record_then_empty_the_store)
    _qa_run_and_compare(settings, tmp_path / "full")
    assert "rebuilt from every finding" in caplog.text


def _page_stamps(settings: Settings) -> dict[str, tuple[int, int] | None]:
    return {slug: _stamp(_reports(settings) / PAGES_DIR / f"{slug}.html") for slug in SLUGS}


def test_the_index_links_each_article_to_its_page_which_lists_its_findings(project: Settings) -> None:
    from bs4 import BeautifulSoup

    settings = project
    qastage.qa_run(settings)
    data = json.loads((_reports(settings) / "qa.json").read_text(encoding="utf-8"))
    index = BeautifulSoup((_reports(settings) / "qa.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in index.select("#decisions a[href]")}
    assert links == {f"articles/{slug}.html" for slug in SLUGS}
    # The index lists only what is about no single article (here: grammar not checked, per locale).
    listed = index.select("#findings .finding")
    assert listed and {f["data-article"] for f in listed} == {""}
    assert {f["data-check"] for f in listed} == {"engine-unavailable"}
    for slug in SLUGS:
        page = BeautifulSoup((_reports(settings) / PAGES_DIR / f"{slug}.html").read_text(encoding="utf-8"),
                             "html.parser")
        expected = {f["fingerprint"] for f in _findings(data, article=slug)
                    if f["check"] != "engine-unavailable"}
        shown = {code.get_text() for code in page.select(".finding .meta code:first-of-type")}
        assert expected and shown == expected, slug
        assert {row["data-article"] for row in page.select("tr.row")} == {slug}
        assert page.select_one('a[href="../qa.html"]') is not None
        assert page.select_one(".banner[data-engine=grammar]") is not None  # the run's engines, on every page


def test_one_edited_article_rewrites_only_its_page(project: Settings) -> None:
    settings = project
    qastage.qa_run(settings)  # the baseline
    (_reports(settings) / "qa.md").unlink()
    qastage.qa_run(settings)  # the first run after it: no article page changes
    before = _page_stamps(settings)
    _set_msgstr(settings, "aspirin", "es", {"Take 500 mg twice a day.": "Tome 5 mg dos veces al día."})
    _pipeline(settings, ["aspirin"])
    qastage.qa_run(settings)
    after = _page_stamps(settings)
    assert [slug for slug in SLUGS if after[slug] != before[slug]] == ["aspirin"]
    aspirin = (_reports(settings) / PAGES_DIR / "aspirin.html").read_text(encoding="utf-8")
    assert "<mark>5</mark> mg dos veces" in aspirin and 'data-status="new"' in aspirin
    # A page deleted by hand is written again, and only it (the run is not skipped for it).
    (_reports(settings) / PAGES_DIR / "sleep.html").unlink()
    qastage.qa_run(settings)
    again = _page_stamps(settings)
    assert again["sleep"] is not None and again["twitch"] == after["twitch"]


def test_a_damaged_page_record_means_every_page_is_written_again(project: Settings) -> None:
    settings = project
    qastage.qa_run(settings)
    before = _page_stamps(settings)
    record = _reports(settings) / PAGES_DIR / ".pages.json"
    assert set(json.loads(record.read_text(encoding="utf-8"))["pages"]) == set(SLUGS)
    record.write_text("{not json", encoding="utf-8")
    (_reports(settings) / "qa.md").unlink()  # so the run is not skipped as unchanged
    qastage.qa_run(settings)
    after = _page_stamps(settings)
    assert all(after[slug] != before[slug] for slug in SLUGS)
    assert set(json.loads(record.read_text(encoding="utf-8"))["pages"]) == set(SLUGS)


def test_a_one_article_edit_reads_and_writes_only_that_articles_history(
        project: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The history is not parsed whole: the edited article's findings (its part is rebuilt) and the
    project-level ones are read, every other article compares by digest; only its row is written.
    Nor are the stored parts' own history rows read (their digests are in the parts' records)."""
    from medloc.report.parts import PartStore

    settings = project
    read: list[str] = []
    real = PartStore.history_rows

    def spied(store: PartStore, slug: str) -> list[Any]:
        read.append(slug)
        return real(store, slug)

    monkeypatch.setattr(PartStore, "history_rows", spied)
    qastage.qa_run(settings)
    (settings.path(settings.project.state_dir) / "qa-run.json").unlink()
    qastage.qa_run(settings)  # parts stored, history settled
    stored = history_rows(settings)
    assert set(stored) == {"", *SLUGS}
    watch_history_writes(settings)
    _set_msgstr(settings, "aspirin", "es", {"Take 500 mg twice a day.": "Tome 5 mg dos veces al día."})
    _pipeline(settings, ["aspirin"])
    read.clear()  # (the runs above read the rows of parts whose history was not stored yet)
    previous = load_history(settings)
    assert previous is not None
    built = build_project_report(settings, previous, FileDigests())
    built.store.close()
    assert built.rebuilt == ["aspirin"]
    assert previous.parsed() == ["", "aspirin"]
    assert previous.rows_parsed == sum(len(json.loads(stored[a][1])) for a in ("", "aspirin"))
    qa.record_history(settings, built.report.rows, built.histories, previous)
    assert history_writes(settings) == [("UPDATE", "aspirin")]
    assert read == []
    assert {a: d for a, (d, _) in history_rows(settings).items() if a != "aspirin"} == {
        a: d for a, (d, _) in stored.items() if a != "aspirin"}


def _check_record(settings: Settings, output: Path) -> None:
    """`medloc check --record`, its report written to `output` (out/reports left to the flow)."""
    import typer

    from medloc.cli.qa import check

    with pytest.raises(typer.Exit):  # critical findings: exit code 1
        check(po=None, locale=None, fmt=None, output=output, fail_on=None, record=True, project=settings.root)


def test_check_record_and_the_flow_keep_the_same_history(project: Settings, tmp_path: Path) -> None:
    """`medloc check --record` and the flow record the same rows for the same findings; the flow
    compares with what check recorded; and a history check changed (nothing else) makes the flow's
    unchanged-run shortcut run again."""
    settings = project
    qastage.qa_run(settings)  # the baseline
    flow_recorded = history_rows(settings)
    _check_record(settings, tmp_path / "check-1.json")
    assert history_rows(settings) == flow_recorded  # the same rows, digests and all

    # An edit the flow's per-article stage processed, recorded by check before the flow's QA stage:
    # the flow reads check's history (the new finding is open, nothing fixed) and writes nothing.
    _set_msgstr(settings, "aspirin", "es", {"Take 500 mg twice a day.": "Tome 5 mg dos veces al día."})
    _pipeline(settings, ["aspirin"])
    _check_record(settings, tmp_path / "check-2.json")
    by_check = history_rows(settings)
    assert by_check != flow_recorded
    watch_history_writes(settings)
    second = qastage.qa_run(settings)
    assert second["counts"]["status"]["new"] == 0 and second["counts"]["fixed"] == 0
    assert history_writes(settings) == []
    assert qastage.qa_run(settings) == second  # unchanged: the shortcut

    # check records findings of a PO file edited and then put back as it was: only the history
    # differs from the flow's last run, and the flow runs again, against it.
    po = po_path(settings, "fr", "aspirin")
    text = po.read_bytes()
    _set_msgstr(settings, "aspirin", "fr", {"Take 500 mg twice a day.": "Prenez 50 mg deux fois par jour."})
    _check_record(settings, tmp_path / "check-3.json")
    po.write_bytes(text)
    third = qastage.qa_run(settings)
    assert third != second
    assert third["counts"]["status"]["new"] == 0 and third["counts"]["fixed"] == 1


def test_unreadable_history_rows_in_the_parts_cost_the_recording_never_the_report(
        project: Settings, caplog: pytest.LogCaptureFixture) -> None:
    """A part's history rows are read from its store only when needed; damaged since the part was
    stored, the run still writes its reports and says the history was not recorded."""
    settings = project
    qastage.qa_run(settings)
    state = settings.path(settings.project.state_dir)
    with sqlite3.connect(state / FILENAME) as db:
        db.execute(f"UPDATE {PARTS_TABLE} SET history = 'not json'")
    db.close()
    history_path(settings).unlink()  # every article's rows are needed to record the history again
    (_reports(settings) / "qa.md").unlink()
    with caplog.at_level("WARNING"):
        result = qastage.qa_run(settings)
    assert "findings history not recorded" in caplog.text
    assert "error" not in result["counts"] and (_reports(settings) / "qa.md").is_file()
