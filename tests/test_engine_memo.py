"""The engine memo: offline engines' answers kept by content in <state_dir>/engine-memo.sqlite."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pytest

from medloc import qa
from medloc.config import load_settings
from medloc.engines import ENGINES_OPTION, open_engines
from medloc.engines.grammalecte import open_engine
from medloc.engines.grammar import GrammarService
from medloc.engines.memo import FILENAME, EngineMemo
from medloc.engines.model import GrammarResult
from medloc.pipeline import process_document
from medloc.sources.folder import scan_folder
from paths import REPO

FRENCH = ["Les patient doit prendre 5 mg par jour.", "Les patients doivent prendre 5 mg par jour.",
          "Il faut <strong>les</strong> prendre avec de l’eau."]


class CountingEngine:
    """The real Grammalecte engine, counting the texts it is asked about."""

    def __init__(self) -> None:
        engine, why = open_engine()
        assert engine is not None, why
        self.engine = engine
        self.name = engine.name
        self.fingerprint = engine.fingerprint
        self.asked: list[str] = []

    def check(self, texts: Sequence[str], locale: str) -> GrammarResult:
        self.asked.extend(texts)
        return self.engine.check(texts, locale)


def _service(memo: EngineMemo, engine: CountingEngine) -> GrammarService:
    service = GrammarService(None, memo=memo)
    service._offline["fr"] = (engine, "")
    return service


def test_answers_survive_the_process_and_equal_the_engines(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    first_engine = CountingEngine()
    first = _service(EngineMemo(path), first_engine).check(FRENCH + FRENCH[:1], "fr")
    assert first_engine.asked == FRENCH  # a text repeated within a call is asked once
    assert first.issues[0] and first.issues[0] == first.issues[3]  # "Les patient doit" is wrong

    again_engine = CountingEngine()
    memo = EngineMemo(path)  # a new run: nothing in memory, the file answers
    again = _service(memo, again_engine).check(FRENCH, "fr")
    assert again_engine.asked == [] and memo.hits == len(FRENCH)
    assert again.issues == first.issues[:3] and again.status.engine == "grammalecte"
    assert again.status.checked == len(FRENCH) and again.status.state.value == first.status.state.value


def test_another_engine_configuration_does_not_reuse_answers(tmp_path: Path) -> None:
    memo = EngineMemo(tmp_path / FILENAME)
    engine = CountingEngine()
    _service(memo, engine).check(FRENCH[:1], "fr")
    engine.fingerprint = engine.fingerprint + "-other-options"
    engine.asked.clear()
    _service(memo, engine).check(FRENCH[:1], "fr")
    assert engine.asked == FRENCH[:1]


def test_unchecked_texts_are_not_remembered(tmp_path: Path) -> None:
    memo = EngineMemo(tmp_path / FILENAME)
    answers = memo.through("ns", ["a", "b"], lambda texts: [None, ["found"]])
    assert answers == [None, ["found"]]
    assert memo.get_many("ns", ["a", "b"]) == {"b": ["found"]}


def test_spelling_corrections_are_remembered_per_dictionary(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    engines = open_engines(None, ["de"], memo_path=path)
    speller = engines.speller("de")
    assert speller is not None and speller.suggest("Qualittsvereinbarung") == ("Qualitätsvereinbarung",)
    fresh = open_engines(None, ["de"], memo_path=path)
    assert fresh.speller("de").suggest("Qualittsvereinbarung") == ("Qualitätsvereinbarung",)  # type: ignore[union-attr]
    assert fresh.memo.hits == 1
    other_words = open_engines(None, ["de"], {"de": ["Qualittsvereinbarung"]}, memo_path=path)
    assert other_words.speller("de").suggest("Kalzim") == ("Kalzium",)  # type: ignore[union-attr]
    assert other_words.memo.hits == 0  # another word list: another namespace


def test_a_damaged_file_is_set_aside_and_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    path.write_bytes(b"this is not a database" * 100)
    memo = EngineMemo(path)
    memo.put_many("ns", [("text", [1, 2])])
    assert memo.get_many("ns", ["text"]) == {"text": [1, 2]}
    assert (tmp_path / (FILENAME + ".damaged")).read_bytes().startswith(b"this is not")
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM memo").fetchone() == (1,)


def test_an_unwritable_place_keeps_answers_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the state folder should be")
    memo = EngineMemo(blocker / FILENAME)
    assert memo.through("ns", ["x"], lambda texts: [["answer"]]) == [["answer"]]
    assert memo.get_many("ns", ["x"]) == {"x": ["answer"]}


def _writer(path: str, worker: int) -> None:
    memo = EngineMemo(Path(path))
    for batch in range(20):
        memo.put_many("ns", [(f"{worker}-{batch}-{i}", [worker, batch, i]) for i in range(25)])


def test_processes_write_at_once_without_losing_answers(tmp_path: Path) -> None:
    path = tmp_path / FILENAME
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(path), n)) for n in range(3)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
        assert process.exitcode == 0
    texts = [f"{w}-{b}-{i}" for w in range(3) for b in range(20) for i in range(25)]
    assert len(EngineMemo(path).get_many("ns", texts)) == len(texts)


def test_prune_keeps_the_file_bounded(tmp_path: Path) -> None:
    memo = EngineMemo(tmp_path / FILENAME)
    memo.put_many("ns", [(str(i), i) for i in range(1000)])
    assert memo.prune(max_rows=500) == 600
    assert len(memo.get_many("ns", [str(i) for i in range(1000)])) == 400
    assert memo.prune(max_rows=500) == 0


def _article_findings(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "out" / "qa").glob("*.json"))}


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    for name in ("source_articles", "glossary", "locales"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("templates"))
    shutil.copy(REPO / "medloc.toml", root / "medloc.toml")
    return root


def test_reprocessing_with_the_memo_gives_the_same_findings(sample: Path) -> None:
    """What a glossary or settings change does: every article again. With the memo the engines are
    asked nothing new, and the per-article findings are byte for byte those of the cold run."""

    def run() -> tuple[int, int]:
        qa._CONTEXTS.clear()  # a new process: no runner, no in-memory caches
        settings = load_settings(sample, env={})
        for document in scan_folder(settings).documents:
            assert process_document(document, settings).ok
        memo = qa.runner_for(settings).context.options[ENGINES_OPTION].memo  # type: ignore[attr-defined]
        return memo.hits, memo.misses

    cold_hits, cold_misses = run()
    assert cold_misses > 50 and cold_hits < cold_misses  # hits: texts repeated across articles
    cold = _article_findings(sample)
    assert cold and (sample / ".medloc" / FILENAME).is_file()
    shutil.rmtree(sample / "out")
    (sample / ".medloc" / "articles.json").unlink(missing_ok=True)
    hits, misses = run()
    assert misses == 0 and hits >= cold_misses
    assert _article_findings(sample) == cold
    qa._CONTEXTS.clear()
