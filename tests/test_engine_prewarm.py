"""Harper's linter built in the background while the run does other work (medloc.engines.grammar)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from medloc.config import load_settings
from medloc.engines import grammar
from medloc.pipeline import prepare_article_resources


@pytest.fixture(autouse=True)
def no_engines() -> Iterator[None]:
    grammar.forget_engines()
    yield
    grammar.forget_engines()


def _counting_builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each real build of the English engine (the builder itself is the real one)."""
    builds: list[str] = []
    real = grammar.OFFLINE["en"]

    def build() -> tuple[grammar.GrammarEngine | None, str]:
        builds.append(threading.current_thread().name)
        return real()

    monkeypatch.setitem(grammar.OFFLINE, "en", build)
    return builds


def test_a_prewarmed_engine_is_built_once_in_the_background_and_then_shared(
        monkeypatch: pytest.MonkeyPatch) -> None:
    builds = _counting_builds(monkeypatch)
    assert grammar.prewarm_offline_engine("en") is True
    engine, why = grammar.shared_offline_engine("en")  # waits for the background build
    assert engine is not None and engine.name == "harper" and why == ""
    assert builds == ["medloc-prewarm-en"]
    assert grammar.prewarm_offline_engine("en") is False  # built already
    result = engine.check(["Its important that you goes to the doctor."], "en")
    assert result.issues[0], "the prewarmed linter checks like any other"
    grammar.forget_engines()
    assert grammar.shared_offline_engine("en")[0] is not engine  # forgotten: built again on use
    assert len(builds) == 2


def test_forgetting_waits_for_a_build_still_running(monkeypatch: pytest.MonkeyPatch) -> None:
    _counting_builds(monkeypatch)
    assert grammar.prewarm_offline_engine("en")
    grammar.forget_engines()  # right away: the build finishes, then nothing is kept
    assert not grammar._BUILT and not grammar._PREWARMING


def test_only_engines_built_outside_the_gil_are_prewarmed() -> None:
    assert grammar.prewarm_offline_engine("fr") is False  # Grammalecte builds in Python
    assert grammar.prewarm_offline_engine("de") is False  # no offline engine
    assert not grammar._BUILT


def test_harpers_build_leaves_the_gil_to_other_threads() -> None:
    """The premise of prewarming (BUILT_OUTSIDE_GIL): while the linter is built, a Python thread
    keeps running. If a harper-py release held the GIL through the build, this fails, and prewarming
    would only take turns with the run: drop "en" from BUILT_OUTSIDE_GIL then."""
    import harper

    count, stop = [0], [False]

    def ticker() -> None:
        while not stop[0]:
            count[0] += 1

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        time.sleep(0.2)
        before, started = count[0], time.perf_counter()
        time.sleep(0.3)
        rate = (count[0] - before) / (time.perf_counter() - started)
        before, started = count[0], time.perf_counter()
        harper.Linter(harper.Dialect.AMERICAN)
        during = (count[0] - before) / (time.perf_counter() - started)
    finally:
        stop[0] = True
        thread.join()
    # Held through the build, the GIL would stop the ticker (~0). Competing for a core on a loaded
    # machine slows it (to ~30 % seen with 2 cores and other processes busy): 5 % tells them apart.
    assert during > 0.05 * rate, f"ticker ran at {during:.0f}/s during the build, {rate:.0f}/s before"


def _project(tmp_path: Path, toml: str) -> Path:
    (tmp_path / "medloc.toml").write_text(toml, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("toml", "started"), [
    ("", True),  # English source, offline grammar, no server: Harper is built in the background
    ('[qa]\nlanguagetool_url = "http://127.0.0.1:9"\n', False),  # the server answers first
    ("[qa]\noffline_grammar = false\n", False),
    ('[qa]\ndisable = ["source-grammar"]\n', False),
    ('[project]\nsource_locale = "fr"\nlocales = ["en"]\n', False),  # Grammalecte: built in Python
])
def test_prepare_article_resources_prewarms_only_what_the_articles_will_use(
        tmp_path: Path, toml: str, started: bool) -> None:
    settings = load_settings(_project(tmp_path, toml), env={})
    assert prepare_article_resources(settings) is started
    grammar.forget_engines()
