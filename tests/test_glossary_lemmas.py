"""Lemma dictionaries as tries (glossary/forms.py): the lemmas of simplemma's default dictionaries,
a fraction of the memory, and a per-machine cache that concurrent builders cannot corrupt."""

from __future__ import annotations

import multiprocessing
import re
from pathlib import Path

import pytest
import simplemma
from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy

from medloc.glossary.forms import _AtomicTrieFactory, lemmatizer
from paths import CORPUS, REPO


def _words(language: str, limit: int = 3000) -> list[str]:
    """Real words: the glossary's terms and, for es/fr/zh, TICO-19's translations."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "glossary").glob("*.y*ml")))
    tmx = {"es": "tico19.en-es-419.sample.tmx", "fr": "tico19.en-fr.sample.tmx"}.get(language)
    if tmx and (CORPUS / "tico19-tm" / tmx).is_file():
        text += " " + (CORPUS / "tico19-tm" / tmx).read_text(encoding="utf-8")
    words = [w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)]
    return list(dict.fromkeys(words))[:limit]


@pytest.mark.parametrize("language", ["en", "es", "fr", "de"])
def test_trie_lemmas_equal_the_default_dictionaries(language: str) -> None:
    words = _words(language)
    assert len(words) > 300
    ours = [lemmatizer().lemmatize(w, lang=language) for w in words]
    default = [simplemma.lemmatize(w, lang=language) for w in words]
    assert ours == default


def _build(folder: str) -> None:
    strategy = DefaultStrategy(dictionary_factory=_AtomicTrieFactory(disk_cache_dir=folder))
    Lemmatizer(lemmatization_strategy=strategy).lemmatize("tests", lang="es")


def test_processes_building_the_cache_at_once_leave_a_whole_file(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    builders = [context.Process(target=_build, args=(str(tmp_path),)) for _ in range(2)]
    for process in builders:
        process.start()
    for process in builders:
        process.join(120)
        assert process.exitcode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["es.dic"]  # no temporary file left behind
    factory = _AtomicTrieFactory(disk_cache_dir=str(tmp_path))
    reader = Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))
    assert reader.lemmatize("pacientes", lang="es") == "paciente"
