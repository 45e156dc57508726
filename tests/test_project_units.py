"""The project-units cache: the same units as reading every PO file, and only changed files parsed.

The project is real: articles through `update_catalogs`, translations, fuzzy entries, flags, msgctxt,
plural and obsolete entries written with medloc's own PO writer, every file accepted by `msgfmt -c`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from catalog_support import make_article, make_project, msgfmt_check

import medloc.checks.consistency
import medloc.projectunits
from medloc.catalog import po_path, update_catalogs
from medloc.checks.base import CheckContext, Unit
from medloc.checks.consistency import NORMAL_FORMS, ConsistencyCheck
from medloc.checks.engine import Runner, read_locale_units
from medloc.config import Settings
from medloc.po import Entry, dump, parse
from medloc.projectunits import cache_path, load_project_units, project_units
from medloc.qa import ArticleQA, article_qa_path, check_article, run_project_qa, runner_for
from paths import CORPUS

LOCALES = ["es", "fr", "de"]
SLUGS = ["alpha", "beta", "gamma"]
SHARED = "Take this medicine with food every day."
ASK = "Ask your doctor before you stop taking it."
SUGAR = "Check your blood sugar twice a day."
HEART = "Aspirin and your heart"  # a title and a paragraph in alpha: two entries, told apart by msgctxt
ARTICLES = {
    "alpha": (HEART, [SHARED, HEART, ASK]),
    "beta": ("Living with diabetes", [SHARED, ASK, SUGAR]),
    "gamma": ("Sleep and memory", [SHARED, SUGAR, "Short label"]),
}
# (slug, locale) -> {msgid or (msgctxt, msgid): (msgstr, flags)}: inconsistent on purpose.
TRANSLATIONS: dict[tuple[str, str], dict[object, tuple[str, list[str]]]] = {
    ("alpha", "es"): {SHARED: ("Tome este medicamento con comida cada día.", []),
                      ("heading", HEART): ("La aspirina y su corazón", []),
                      ("paragraph", HEART): ("La aspirina y el corazón", []),
                      ASK: ("Consulte a su médico antes de dejarlo.", [])},
    ("beta", "es"): {SHARED: ("Tome este medicamento con alimentos a diario.", []),
                     ASK: ("Pregunte a su médico antes de dejarlo.", ["ignore-consistency"]),
                     SUGAR: ("Mida su azúcar en sangre dos veces al día.", [])},
    ("gamma", "es"): {SHARED: ("Tome este medicamento con comida todos los días.", ["fuzzy"]),
                      SUGAR: ("Mida su glucosa dos veces al día.", [])},
    ("alpha", "fr"): {SHARED: ("Prenez ce médicament avec de la nourriture chaque jour.", [])},
    ("beta", "fr"): {SHARED: ("Prenez ce médicament au cours d'un repas chaque jour.", []),
                     SUGAR: ("Mesurez votre glycémie deux fois par jour.", ["fuzzy"])},
    ("alpha", "de"): {ASK: ("Fragen Sie Ihren Arzt, bevor Sie es absetzen.", [])},
}
PLURAL = ("You have %d tablet left.", "You have %d tablets left.")


def _translate(settings: Settings, slug: str, locale: str) -> None:
    """Fill the PO file with medloc's own writer: translations, flags, a plural and an obsolete entry."""
    path = po_path(settings, locale, slug)
    po = parse(path.read_text(encoding="utf-8"))
    table = TRANSLATIONS.get((slug, locale), {})
    for e in po.entries:
        found = table.get((e.msgctxt, e.msgid)) or table.get(e.msgid)
        if found:
            e.msgstr = found[0]
            for flag in found[1]:
                e.set_flag(flag)
    if table and slug in ("alpha", "beta"):
        header = po.header.msgstr if po.header else ""
        nplurals = int(re.search(r"nplurals=(\d+)", header).group(1))  # type: ignore[union-attr]
        forms = {n: f"{locale} form {n}: %d" for n in range(nplurals)}
        po.entries.append(Entry(PLURAL[0], msgid_plural=PLURAL[1], msgstr_plural=forms, flags=["c-format"],
                                extracted=["paragraph (p#9)"], references=[f"source_articles/{slug}.txt:30"]))
        po.entries.append(Entry("A sentence the article no longer has.", "Una frase vieja.", obsolete=True))
    path.write_text(dump(po), encoding="utf-8")


def build_project(root: Path) -> tuple[Settings, list[Path]]:
    settings = make_project(root, locales=LOCALES)
    for slug, (title, paragraphs) in ARTICLES.items():
        update_catalogs(make_article(slug, paragraphs, title=title), settings)
    for slug in SLUGS:
        for locale in LOCALES:
            _translate(settings, slug, locale)
    po_path(settings, "de", "gamma").unlink()  # a locale not started yet: no PO file
    files = sorted(root.glob("locales/*/*.po"))
    for path in files:
        assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
    past = time.time_ns() - 60 * 10**9  # files last edited a minute ago: their stat records settle
    for path in files:
        os.utime(path, ns=(past, past))
    return settings, files


def every_unit(settings: Settings, slugs: list[str] = SLUGS) -> list[Unit]:
    """What run_project_qa read before the cache: `read_locale_units` for each slug, then locale."""
    return [u for slug in slugs for loc in LOCALES
            for u in read_locale_units(settings, slug, loc, None).units]


def expected_units(settings: Settings, slugs: list[str] = SLUGS) -> list[Unit]:
    """`every_unit` filtered by the ProjectCheck contract."""
    return [u for u in every_unit(settings, slugs) if u.reviewed]


@pytest.fixture
def project(tmp_path: Path) -> tuple[Settings, list[Path]]:
    return build_project(tmp_path)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def in_fresh_process(root: Path) -> dict[str, object]:
    """`load_project_units` in a new interpreter (no state but the cache file); its counts."""
    script = (
        "import json, sys\n"
        "from medloc.config import load_settings\n"
        "from medloc.projectunits import load_project_units\n"
        "s = load_settings(sys.argv[1], env={})\n"
        f"out = load_project_units(s, {SLUGS!r}, {LOCALES!r})\n"
        "print(json.dumps({'parsed': out.parsed, 'reused': out.reused, 'written': out.written,\n"
        "                  'units': [[u.article, u.locale, u.source, u.target] for u in out.units]}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(root)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def rows(settings: Settings) -> dict[str, tuple[int, str]]:
    """The cache's rows as SQLite has them: {po path: (rowid, units)} (a replaced row gets a new rowid)."""
    with contextlib.closing(sqlite3.connect(cache_path(settings))) as db:
        return {path: (rowid, units) for rowid, path, units in db.execute(
            f"SELECT rowid, path, units FROM {medloc.projectunits._FILES}")}


def sql(settings: Settings, statement: str, *args: object) -> list[tuple[object, ...]]:
    with contextlib.closing(sqlite3.connect(cache_path(settings))) as db, db:
        return db.execute(statement, args).fetchall()


def test_units_equal_read_locale_units_filtered_by_the_contract(project: tuple[Settings, list[Path]]) -> None:
    settings, _ = project
    expected = expected_units(settings)
    everything = every_unit(settings)
    # The project really has what the cache must carry, and what it must leave out.
    assert any(u.fuzzy for u in everything) and any(not u.target for u in everything)
    assert {u.context for u in expected} >= {"heading", "paragraph", None}
    assert {u.source for u in expected} >= set(PLURAL) and sum(u.source == PLURAL[1] for u in expected) >= 4
    assert any("ignore-consistency" in u.flags for u in expected)
    assert any("c-format" in u.flags for u in expected)
    assert all(u.kind is not None and u.line and u.reference for u in expected)
    first = load_project_units(settings, SLUGS, LOCALES)
    assert first.units == expected and first.written and first.reused == 0
    assert len(first.parsed) == 8  # 3 articles × 3 locales, one PO file missing
    second = load_project_units(settings, SLUGS, LOCALES)  # every unit from the SQLite file this time
    assert second.units == expected and second.parsed == [] and second.reused == 8 and not second.written
    assert project_units(settings, ["gamma", "alpha"], ["fr", "es"]) == [
        u for slug in ("gamma", "alpha") for loc in ("fr", "es")
        for u in read_locale_units(settings, slug, loc, None).units if u.reviewed]


def test_a_new_process_parses_only_the_po_files_that_changed(project: tuple[Settings, list[Path]]) -> None:
    settings, _ = project
    root = settings.root
    cold = in_fresh_process(root)
    assert len(cold["parsed"]) == 8 and len(cold["written"]) == 8  # type: ignore[arg-type]
    before = rows(settings)
    assert len(before) == 8
    warm = in_fresh_process(root)
    assert warm["parsed"] == [] and warm["reused"] == 8 and warm["written"] == []
    assert warm["units"] == cold["units"]
    assert rows(settings) == before  # nothing written

    edited = po_path(settings, "fr", "alpha")
    _replace(edited, "chaque jour", "tous les jours")
    once = in_fresh_process(root)
    assert once["parsed"] == [str(edited)] and once["reused"] == 7 and once["written"] == [str(edited)]
    fixed = "Prenez ce médicament avec de la nourriture tous les jours."
    assert ["alpha", "fr", SHARED, fixed] in once["units"]  # type: ignore[operator]
    after = rows(settings)
    # only the edited file's row was written: every other row is the very row SQLite had (same rowid)
    assert {n: r for n, r in after.items() if n != str(edited)} == {
        n: r for n, r in before.items() if n != str(edited)}
    assert after[str(edited)] != before[str(edited)]
    assert in_fresh_process(root)["units"] == once["units"]


def test_an_edit_keeping_size_mtime_and_inode_is_seen(project: tuple[Settings, list[Path]],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A stamp (size, mtime_ns, inode) cannot tell these two versions apart; the content digest can."""
    settings, _ = project
    parsed: list[Path] = []
    real = medloc.projectunits.read_catalog
    monkeypatch.setattr(medloc.projectunits, "read_catalog", lambda p, d=None: parsed.append(p) or real(p, d))
    load_project_units(settings, SLUGS, LOCALES)
    edited = po_path(settings, "es", "beta")
    _replace(edited, "dos veces", "tres veces")
    parsed.clear()
    assert "tres veces" in " ".join(u.target for u in load_project_units(settings, SLUGS, LOCALES).units)
    assert parsed == [edited]  # just written: its record is racily clean
    stamp = edited.stat()
    _replace(edited, "tres veces", "seis veces")  # in place, same length
    os.utime(edited, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    after = edited.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (stamp.st_size, stamp.st_mtime_ns,
                                                                 stamp.st_ino)
    parsed.clear()
    units = load_project_units(settings, SLUGS, LOCALES).units
    assert parsed == [edited] and units == expected_units(settings)
    assert "seis veces" in " ".join(u.target for u in units)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "scribbled", "other-code", "bad-row",
                                    "missing-text"])
def test_a_damaged_cache_is_set_aside_or_ignored_and_rebuilt(project: tuple[Settings, list[Path]],
                                                             damage: str) -> None:
    settings, _ = project
    load_project_units(settings, SLUGS, LOCALES)
    cache = cache_path(settings)
    first = str(po_path(settings, "es", "alpha"))
    if damage == "garbage":  # someone's stray bytes: not a database at all
        cache.write_bytes(b"not a database, just some bytes\n" * 400)
    elif damage == "truncated":  # a disk error mid-file: the header is there, the pages are not
        cache.write_bytes(cache.read_bytes()[:4096 + 100])
    elif damage == "scribbled":  # the schema page intact, the tables' pages overwritten: found by the probe
        data = cache.read_bytes()
        cache.write_bytes(data[:4096] + b"\xa5" * (len(data) - 4096))
    elif damage == "other-code":
        sql(settings, f"UPDATE {medloc.projectunits._KEY} SET key = 'medloc.project-units/2\x1f0\x1fen'")
    elif damage == "bad-row":  # one file's row is not what medloc writes: that file is read again
        sql(settings, f"UPDATE {medloc.projectunits._FILES} SET units = '[[1],[\"x\"]]' WHERE path = ?",
            first)
    else:  # a text the es/alpha file names is gone (a compaction racing a write): that file is read again
        (units,) = sql(settings, f"SELECT units FROM {medloc.projectunits._FILES} WHERE path = ?", first)[0]
        only = set(json.loads(units)[1]) - {t for path, (_, other) in rows(settings).items() if path != first
                                             for column in json.loads(other)[:2] for t in column}
        sql(settings, f"DELETE FROM {medloc.projectunits._TEXTS} WHERE id = ?", min(only))
    out = load_project_units(settings, SLUGS, LOCALES)
    assert out.units == expected_units(settings) and out.written
    assert out.parsed == [first] if damage in ("bad-row", "missing-text") else len(out.parsed) == 8
    aside = cache.with_name(cache.name + ".damaged")
    assert aside.is_file() == (damage in ("garbage", "truncated", "scribbled"))
    again = load_project_units(settings, SLUGS, LOCALES)
    assert again.parsed == [] and again.units == out.units and not again.written


def test_the_first_designs_json_cache_is_removed(project: tuple[Settings, list[Path]]) -> None:
    settings, _ = project
    legacy = cache_path(settings).with_name("project-units.json")
    legacy.parent.mkdir(parents=True, exist_ok=True)
    legacy.write_text('{"schema": "medloc.project-units/1", "files": {}, "sources": []}\n', encoding="utf-8")
    out = load_project_units(settings, SLUGS, LOCALES)
    assert not legacy.exists() and out.units == expected_units(settings) and len(rows(settings)) == 8


def test_broken_missing_and_unasked_files(project: tuple[Settings, list[Path]]) -> None:
    settings, _ = project
    load_project_units(settings, SLUGS, LOCALES)
    broken = po_path(settings, "fr", "beta")
    broken.write_text('msgid "unterminated\nmsgstr ""\n', encoding="utf-8")
    po_path(settings, "es", "gamma").unlink()
    assert read_locale_units(settings, "beta", "fr", None).error  # the per-article QA reports it
    out = load_project_units(settings, SLUGS, LOCALES)
    assert out.units == expected_units(settings) and out.parsed == [str(broken)] and out.dropped == 2
    cached = rows(settings)
    assert str(broken) not in cached and str(po_path(settings, "es", "gamma")) not in cached
    assert len(cached) == 6
    again = load_project_units(settings, SLUGS, LOCALES)  # the broken file is read again, nothing written
    assert again.parsed == [str(broken)] and not again.written and again.units == out.units
    assert load_project_units(settings, [], LOCALES) == medloc.projectunits.ProjectUnits()
    assert rows(settings) == cached  # asked for nothing: the cache stays for next time
    fewer = load_project_units(settings, ["alpha"], LOCALES)
    assert fewer.units == expected_units(settings, ["alpha"]) and fewer.dropped == 3
    assert set(rows(settings)) == {str(po_path(settings, loc, "alpha")) for loc in LOCALES}


def test_texts_left_behind_by_changed_files_are_dropped(project: tuple[Settings, list[Path]]) -> None:
    """A changed file's old texts stay in the texts table until a quarter of it is unused."""
    settings, _ = project
    edited = po_path(settings, "de", "alpha")
    load_project_units(settings, SLUGS, LOCALES)
    for n in range(12):
        po = parse(edited.read_text(encoding="utf-8"))
        next(e for e in po.entries if e.msgstr.startswith("Fragen")).msgid = f"{ASK} (version {n})"
        edited.write_text(dump(po), encoding="utf-8")
        out = load_project_units(settings, SLUGS, LOCALES)
        assert out.parsed == [str(edited)] and out.units == expected_units(settings)
        used = {t for _, units in rows(settings).values() for column in json.loads(units)[:2] for t in column}
        ((count, top),) = sql(settings, f"SELECT count(*), max(id) FROM {medloc.projectunits._TEXTS}")
        assert count <= len(used) * 4 // 3 + 1 and max(used) <= top  # type: ignore[operator]
    assert load_project_units(settings, SLUGS, LOCALES).units == expected_units(settings)


def test_an_unwritable_state_folder_still_gives_the_units(project: tuple[Settings, list[Path]]) -> None:
    settings, _ = project
    state = settings.path(settings.project.state_dir)
    for child in state.iterdir():
        child.unlink()
    state.rmdir()
    state.write_text("a file where the state folder should be\n")
    for _ in range(2):
        out = load_project_units(settings, SLUGS, LOCALES)
        assert out.units == expected_units(settings) and not out.written and len(out.parsed) == 8


def _consistency(findings: object) -> list[tuple[str, ...]]:
    return sorted((f.article, f.locale, f.source, f.target, f.message, str(f.suggestion))
                  for f in findings if f.check == "consistency")  # type: ignore[attr-defined]


def test_project_qa_consistency_findings_are_those_of_reading_every_file(
        project: tuple[Settings, list[Path]]) -> None:
    settings, _ = project
    checks = [ConsistencyCheck()]
    # What run_project_qa found before the cache: every unit of read_locale_units, ignore flags honoured.
    expected = _consistency(ConsistencyCheck().run_all(
        [u for u in every_unit(settings) if "ignore-consistency" not in u.flags], CheckContext()))
    assert len(expected) >= 3 and any("(in alpha)" in row[4] for row in expected)
    runner = runner_for(settings, checks)
    for slug in SLUGS:  # the pipeline's stored per-article QA, so run_project_qa reuses it
        qa, _ = check_article(slug, settings, runner)
        path = article_qa_path(settings, slug)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(qa.to_dict()), encoding="utf-8")
        assert ArticleQA.from_dict(json.loads(path.read_text(encoding="utf-8"))).article == slug

    def found() -> list[tuple[str, ...]]:
        report = run_project_qa(settings, checks=checks, reuse=True, previous=None)
        return _consistency(r.finding for r in report.findings)

    assert found() == expected  # cold: every PO file parsed
    assert cache_path(settings).is_file()
    assert found() == expected  # warm: every unit from the cache
    article_qa_path(settings, "beta").unlink()  # beta re-checked between two reused articles
    assert found() == expected


def test_normal_forms_from_the_cache_give_the_findings_of_computing_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real PO files (Django's, nine locales, three catalogs each as three "articles"): the consistency
    findings with the cached normal forms are those computed from scratch, and the check normalises
    only what it was not given."""
    django = CORPUS / "django-po"
    locales = sorted(p.name for p in django.iterdir() if p.is_dir())
    settings = make_project(tmp_path, locales=locales)
    slugs = sorted({p.stem for p in django.glob("*/*.po")})
    for path in django.glob("*/*.po"):
        target = po_path(settings, path.parent.name, path.stem)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    runner = Runner([ConsistencyCheck()], CheckContext())
    computed = _consistency(runner.run_project(
        [u for slug in slugs for loc in locales for u in read_locale_units(settings, slug, loc, None).units]))
    assert len(computed) >= 3 and "pl" in {row[1] for row in computed}

    normalised: list[str] = []
    real = medloc.checks.consistency.normal_form
    for module in (medloc.checks.consistency, medloc.projectunits):
        monkeypatch.setattr(module, "normal_form", lambda t: normalised.append(t) or real(t))
    cold = load_project_units(settings, slugs, locales)
    assert len(cold.parsed) == len(list(django.glob("*/*.po")))
    warm = load_project_units(settings, slugs, locales)  # units and normal forms from the SQLite file
    assert warm.parsed == [] and warm.units == cold.units
    assert warm.normal_forms.keys() >= {t for u in warm.units for t in (u.source, u.target)}
    normalised.clear()
    given = _consistency(runner.run_project(warm.units, options={NORMAL_FORMS: warm.normal_forms}))
    assert given == computed and normalised == []  # nothing normalised again
    assert all(warm.normal_forms[t] == real(t) for t in list(warm.normal_forms)[:500])

    # one file changed: only its new texts are normalised, by the cache; the findings follow the edit
    edited = po_path(settings, "pl", "core.django")
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace('msgstr "To pole nie może być puste."',
                                   'msgstr "To pole nie może pozostać puste, wypełnij je."'),
                      encoding="utf-8")
    normalised.clear()
    once = load_project_units(settings, slugs, locales)
    assert once.parsed == [str(edited)] and 0 < len(normalised) < 50
    assert "to pole nie może pozostać puste wypełnij je" in once.normal_forms.values()
    fresh = _consistency(runner.run_project(
        [u for slug in slugs for loc in locales for u in read_locale_units(settings, slug, loc, None).units]))
    assert fresh != computed
    assert _consistency(runner.run_project(once.units, options={NORMAL_FORMS: once.normal_forms})) == fresh
