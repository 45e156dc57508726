"""Articles whose source is gone come out of the report and off the site; translators' PO files stay;
a source folder that vanished, a source that could not be read or too many at once withdraw nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness

from medloc.config import load_settings
from medloc.withdraw import SourceHealth, gone_articles, plan_withdrawal
from paths import REPO

KEPT, GONE = "menopause-muscle-twitching", "menopause-muscle-twitching-md"
LOCALES = ["es", "fr", "de", "zh_CN"]


def _entry(origin: str) -> dict[str, object]:
    return {"origin": origin, "fingerprint": "x", "result": {"outputs": []}}


RECORDED = {"a": _entry("source_articles/a.md"), "b": _entry("source_articles/b.md"),
            "r": _entry("https://example.org/r")}


@pytest.mark.parametrize(("health", "templates", "gone"), [
    (SourceHealth(), [], ["b", "r"]),
    (SourceHealth(unreadable={"source_articles/b.md"}), [], ["r"]),  # not read is not gone
    (SourceHealth(folder_ok=False), [], ["r"]),  # the folder is missing: nothing from it
    (SourceHealth(remote_ok=False), [], ["b"]),  # a remote source failed: nothing remote
    (SourceHealth(), ["a", "c"], ["b", "c", "r"]),  # c: a template, no record (its last run failed)
    (SourceHealth(unreadable={"elsewhere.md"}), ["c"], ["b", "r"]),  # c's origin unknown: kept
])
def test_gone_articles_leave_out_what_the_run_could_not_see(
        health: SourceHealth, templates: list[str], gone: list[str]) -> None:
    assert gone_articles(RECORDED, templates, ["a"], health) == gone


def test_more_gone_than_the_limit_withdraws_nothing_and_says_why(tmp_path: Path) -> None:
    (tmp_path / "medloc.toml").write_text("[sources]\nmax_withdrawn = 1\n", encoding="utf-8")
    settings = load_settings(tmp_path, env={})
    plan = plan_withdrawal(settings, RECORDED, [], ["a"], SourceHealth())
    assert plan.withdrawn == [] and plan.held == ["b", "r"]
    assert plan.error is not None and "2 articles' sources are gone (b, r)" in plan.error
    assert "max_withdrawn = 1" in plan.error
    assert plan_withdrawal(settings, RECORDED, [], ["a", "b"], SourceHealth()).withdrawn == ["r"]


def test_a_negative_limit_is_a_settings_error_naming_the_file(tmp_path: Path) -> None:
    from medloc.model import MedlocError

    (tmp_path / "medloc.toml").write_text("[sources]\nmax_withdrawn = -1\n", encoding="utf-8")
    settings = load_settings(tmp_path, env={})
    with pytest.raises(MedlocError, match=r"sources\.max_withdrawn' must be 0 or more, got -1") as caught:
        plan_withdrawal(settings, RECORDED, [], ["a"], SourceHealth())
    assert str(tmp_path / "medloc.toml") in str(caught.value)


@pytest.fixture(scope="module")
def prefect_server():
    with prefect_test_harness(server_startup_timeout=180):
        yield


def _project(tmp_path: Path) -> Path:
    """The bundled sample's two muscle-twitching articles with their translations (both publish)."""
    shutil.copy(REPO / "medloc.toml", tmp_path / "medloc.toml")
    shutil.copytree(REPO / "glossary", tmp_path / "glossary")
    (tmp_path / "source_articles").mkdir()
    for name in (f"{KEPT}.html", f"{KEPT}.md"):
        shutil.copy(REPO / "source_articles" / name, tmp_path / "source_articles" / name)
    for locale in LOCALES:
        folder = tmp_path / "locales" / locale
        folder.mkdir(parents=True)
        for slug in (KEPT, GONE):
            shutil.copy(REPO / "locales" / locale / f"{slug}.po", folder / f"{slug}.po")
    return tmp_path


def _manifest(project: Path) -> dict[str, dict[str, object]]:
    data = json.loads((project / "publish" / "manifest.json").read_text(encoding="utf-8"))
    return {f"{e['locale']}/{e['slug']}": e for e in data["entries"]}


def _pages(project: Path, slug: str) -> list[str]:
    return sorted(p.parent.name for p in (project / "publish").glob(f"*/{slug}.html"))


@pytest.mark.slow
def test_a_removed_source_takes_its_article_off_the_site_and_keeps_its_translations(
        prefect_server, tmp_path: Path) -> None:
    from flows.localize import localize

    project = _project(tmp_path)
    localize(project_dir=str(project))
    assert _pages(project, GONE) == sorted(["en", *LOCALES]), "the test needs both articles published"
    po_files = {p: p.read_bytes() for p in (project / "locales").glob(f"*/{GONE}.po")}

    # An editor removes the Markdown version.
    (project / "source_articles" / f"{KEPT}.md").unlink()
    summary = localize(project_dir=str(project))
    assert summary["withdrawn"] == [GONE] and summary["failed"] == 0
    assert _pages(project, GONE) == []
    assert not [key for key in _manifest(project) if key.endswith(f"/{GONE}")]
    assert sorted(summary["publish"]["withdrawn"]) == sorted(f"{loc}/{GONE}" for loc in ["en", *LOCALES])
    assert _pages(project, KEPT) == sorted(["en", *LOCALES])  # the other article is untouched
    report = json.loads((project / "out" / "reports" / "qa.json").read_text(encoding="utf-8"))
    assert {row["article"] for row in report["articles"]} == {KEPT}
    assert not (project / "out" / "reports" / "articles" / f"{GONE}.html").exists()
    assert not (project / "locales" / "templates" / f"{GONE}.pot").exists()
    assert {p: p.read_bytes() for p in (project / "locales").glob(f"*/{GONE}.po")} == po_files
    assert GONE in (project / "out" / "summary.md").read_text(encoding="utf-8")

    # It comes back: processed again from its kept translations, published again.
    shutil.copy(REPO / "source_articles" / f"{KEPT}.md", project / "source_articles" / f"{KEPT}.md")
    back = localize(project_dir=str(project))
    assert back["withdrawn"] == [] and _pages(project, GONE) == sorted(["en", *LOCALES])


@pytest.mark.slow
def test_a_vanished_source_folder_or_an_unreadable_source_withdraws_nothing(
        prefect_server, tmp_path: Path) -> None:
    from flows.localize import localize

    project = _project(tmp_path)
    localize(project_dir=str(project))
    pages = {slug: _pages(project, slug) for slug in (KEPT, GONE)}

    # The Markdown source becomes unreadable (a link out of the source folder is refused).
    md = project / "source_articles" / f"{KEPT}.md"
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    md.rename(outside)
    md.symlink_to(outside)
    unreadable = localize(project_dir=str(project))
    assert unreadable["withdrawn"] == [] and unreadable["failed"] == 1
    assert {slug: _pages(project, slug) for slug in pages} == pages

    # The whole folder is gone (a share not mounted): an error, nothing withdrawn.
    shutil.rmtree(project / "source_articles")
    vanished = localize(project_dir=str(project))
    assert vanished["withdrawn"] == []
    assert any("source folder does not exist" in e for e in vanished["source_errors"])
    assert {slug: _pages(project, slug) for slug in pages} == pages

    # An empty folder (a sync that deleted everything): more than max_withdrawn = 1 at once.
    (project / "source_articles").mkdir()
    toml = project / "medloc.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[sources]\n", "[sources]\nmax_withdrawn = 1\n"),
                    encoding="utf-8")
    emptied = localize(project_dir=str(project))
    assert emptied["withdrawn"] == [] and sorted(emptied["held"]) == sorted([KEPT, GONE])
    assert any("nothing withdrawn" in e for e in emptied["source_errors"])
    assert {slug: _pages(project, slug) for slug in pages} == pages
