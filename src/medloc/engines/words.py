"""Words the spell checkers accept besides their dictionaries: the project word list and the glossary.

Why: a medical article is full of correct words no general dictionary has (drug names, gene names,
acronyms, brand names). The glossary already says which terms are right — approved source terms,
approved translations per locale, do-not-translate terms — so they are accepted automatically
(forbidden variants never are); `glossary/words.txt` holds the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from medloc.engines.spelling import read_word_list

_WORD_RE = re.compile(r"[\w'’\-]+")


def _words(terms: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for term in terms:
        for word in _WORD_RE.findall(term):
            found.add(word)
            found.update(part for part in re.split(r"-", word) if part)
    return found


def accepted_words(terminology: Any, locales: Iterable[str], word_list: Path | None,
                   source_locale: str = "en") -> dict[str, set[str]]:
    """Per locale: the word list's words plus the glossary's approved terms for that locale."""
    common = set(read_word_list(word_list)) if word_list is not None else set()
    glossary = getattr(terminology, "glossary", None) or ()
    dnt = _words(c.term for c in glossary if c.dnt)
    result: dict[str, set[str]] = {}
    for locale in locales:
        if locale == source_locale:
            terms = [t for c in glossary for t in (c.term, *c.allowed)]
        else:
            terms = [t for c in glossary if locale in c.translations for t in c.translations[locale].approved]
        result[locale] = common | dnt | _words(terms)
    return result
