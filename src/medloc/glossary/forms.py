"""Word forms: one comparison key per word, and English inflection for the source fixer.

Matching compares keys, not surfaces, so "espasmo muscular" finds "espasmos musculares" and
"Muskelzucken" finds "Muskelzuckungen". A key is the Snowball stem of the simplemma lemma: the
lemmatiser folds irregular forms the stemmer splits (es "musculares" → "muscular" but "muscular" →
"muscul"), the stemmer folds what the lemmatiser's dictionary lacks. Both are real libraries; there is
no hand-written suffix list here. Chinese has no inflection: a character is its own key.

English generation (twitch → twitching/twitches/twitched) uses lemminflect's lexicon, so the fixer
can put the preferred term in the grammatical form the forbidden variant had.

simplemma's lemma dictionaries are read through its trie factory (marisa-trie), not its default
one: the default decodes each language's compressed stream into a Python dict at first use, 1.1 s
and 35-135 MB per language (4.4 s and 240 MB for en/es/fr/de, in every worker process); a trie
built once per machine (`LEMMA_CACHE`, ~7 s for four languages, 13 MB on disk) loads in
milliseconds and stays a few MB. Same lemmas (a test compares both). The trie is written to a
temporary name and renamed, so worker processes building it at once never read half a file.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import snowballstemmer
from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieDictionaryFactory

from medloc.fsutil import atomic_write_bytes

_SNOWBALL = {
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "de": "german",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "ru": "russian",
    "sv": "swedish",
}
_NO_INFLECTION = {"zh", "ja", "ko", "th"}


class _AtomicTrieFactory(TrieDictionaryFactory):  # type: ignore[misc]
    """simplemma's trie factory, writing its per-machine cache by rename (it writes in place)."""

    def _write_trie_to_disk(self, lang: str, trie: Any) -> None:
        atomic_write_bytes(self._cache_dir / f"{lang}.dic", trie.tobytes())


@lru_cache(maxsize=1)
def lemmatizer() -> Lemmatizer:
    """The process's lemmatiser over trie dictionaries (in simplemma's per-user cache folder)."""
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_AtomicTrieFactory()))


def prepare_lemmas(locales: list[str]) -> None:
    """Build the lemma tries of these locales' languages now (set-up runs it, so no run pays)."""
    for language in dict.fromkeys(language_of(locale) for locale in locales):
        if language in _SNOWBALL:
            with contextlib.suppress(ValueError):
                lemmatizer().lemmatize("test", lang=language)


def language_of(locale: str) -> str:
    """`zh_CN` → `zh`, `es-419` → `es`, `de_DE` → `de`."""
    return locale.replace("-", "_").split("_")[0].lower()


@lru_cache(maxsize=64)
def key_function(locale: str) -> Callable[[str], str]:
    """Return a cached word → key function for a locale (one per language, shared by all matchers)."""
    language = language_of(locale)
    cache: dict[str, str] = {}
    if language in _NO_INFLECTION or language not in _SNOWBALL:
        def plain(word: str) -> str:
            key = cache.get(word)
            if key is None:
                key = cache[word] = _fold(word)
            return key

        return plain
    stemmer = snowballstemmer.stemmer(_SNOWBALL[language])
    lemmatize = lemmatizer().lemmatize

    def key_of(word: str) -> str:
        key = cache.get(word)
        if key is None:
            folded = word.casefold()
            if not folded.isdigit():
                with contextlib.suppress(ValueError):
                    folded = lemmatize(folded, lang=language).casefold()
            key = cache[word] = _fold(stemmer.stemWord(folded))
        return key

    return key_of


def _fold(text: str) -> str:
    """Casefold and normalise to NFC so "Östrogen" typed two ways compares equal."""
    return unicodedata.normalize("NFC", text.casefold())


# Penn tags tried, most specific first, when the form of a matched word is identified.
_TAGS = ("VBG", "VBD", "VBN", "VBZ", "NNS", "JJR", "JJS", "VB", "NN", "JJ")


@lru_cache(maxsize=65536)
def english_lemma(word: str) -> str:
    """The dictionary form of an English word ("jumping" → "jump"), or the word when unknown."""
    from lemminflect import getAllLemmas

    lowered = word.lower()
    lemmas = getAllLemmas(lowered)
    for upos in ("VERB", "NOUN", "ADJ"):
        if upos in lemmas:
            return lemmas[upos][0]
    return lowered


@lru_cache(maxsize=65536)
def english_forms(lemma: str) -> dict[str, tuple[str, ...]]:
    """lemminflect's forms of `lemma` by Penn tag (once per lemma: the lookup copies a dict each time)."""
    from lemminflect import getAllInflections

    return getAllInflections(lemma)


@lru_cache(maxsize=65536)
def english_tags(word: str, lemma: str) -> tuple[str, ...]:
    """Penn tags under which `word` is a form of `lemma` (["VBZ", "NNS"] for jumps/jump)."""
    lowered = word.lower()
    if lowered == lemma:
        return ("VB", "NN", "JJ")
    forms = english_forms(lemma)
    return tuple(tag for tag in _TAGS if lowered in forms.get(tag, ()))


@lru_cache(maxsize=65536)
def english_inflect(lemma: str, tags: tuple[str, ...]) -> str | None:
    """The form of `lemma` for the first of `tags` lemminflect knows, or None."""
    from lemminflect import getInflection

    for tag in tags:
        if tag in ("VB", "NN", "JJ"):
            return lemma
        forms = getInflection(lemma, tag=tag)
        if forms:
            return forms[0]
    return None
