"""Third-party language engines behind one small API, one module per engine library.

- `languagetool.py` (language_tool_python + stdlib HTTP): grammar for any language via a server.
- `harper.py` (harper-py): offline English grammar; `grammalecte.py` (Debian's grammalecte): French.
- `spelling.py` (hunspell): spelling with Debian's dictionaries, the medical word list, project words.
- `grammar.py`: picks the engine per locale and falls back; `status.py`: what was (not) checked.

What the QA runner calls (see docs/qa-engines.md):
    engines = open_engines(settings.qa, locales, words_by_locale)   # once per run
    context = CheckContext(terminology=..., spellers=engines.spellers, options={"engines": engines})
    ... run the checks (grammar/spelling checks call engines.grammar.check(texts, locale)) ...
    engines.lines()  # "grammar: not checked for de: LanguageTool at ... unreachable: ..." for the report
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from medloc.engines.grammar import GrammarService
from medloc.engines.languagetool import LanguageToolClient
from medloc.engines.memo import FILENAME as MEMO_FILENAME
from medloc.engines.memo import EngineMemo
from medloc.engines.model import GrammarIssue, GrammarResult
from medloc.engines.spelling import DICTIONARY_DIR, Misspelling, Speller, open_speller
from medloc.engines.status import EngineStatus, State, merge

if TYPE_CHECKING:
    from medloc.checks.base import CheckContext
    from medloc.config import QASettings, Settings

ENGINES_OPTION = "engines"  # key in CheckContext.options

__all__ = [
    "EngineStatus", "Engines", "GrammarIssue", "GrammarResult", "GrammarService", "LanguageToolClient",
    "Misspelling", "Speller", "State", "attach", "open_engines",
]


@dataclass
class Engines:
    """The engines of one run and what they managed to check (statuses accumulate as checks run)."""

    grammar: GrammarService
    spellers: dict[str, Speller] = field(default_factory=dict)
    spelling_statuses: dict[str, EngineStatus] = field(default_factory=dict)
    dictionary_dir: Path = DICTIONARY_DIR
    memo: EngineMemo = field(default_factory=EngineMemo)

    def speller(self, locale: str) -> Speller | None:
        return self.spellers.get(locale)

    def add_speller(self, locale: str, words: Iterable[str] = ()) -> Speller | None:
        """Open (once) the speller of a locale; a missing dictionary becomes its status."""
        if locale in self.spelling_statuses:
            return self.spellers.get(locale)
        speller, status = open_speller(locale, words, self.dictionary_dir, memo=self.memo)
        self.spelling_statuses[locale] = status
        if speller is not None:
            self.spellers[locale] = speller
        return speller

    def statuses(self) -> list[EngineStatus]:
        """One status per (kind, locale), the worst of the run so far."""
        return merge([*self.spelling_statuses.values(), *self.grammar.statuses])

    def lines(self) -> list[str]:
        """Report lines, e.g. "grammar: not checked for de: ...", sorted by kind and locale."""
        return [s.line() for s in sorted(self.statuses(), key=lambda s: (s.kind, s.locale))]



def open_engines(
    qa: QASettings | None = None,
    locales: Iterable[str] = (),
    words: Mapping[str, Iterable[str]] | None = None,
    *,
    dictionary_dir: Path | None = None,
    memo_path: Path | None = None,
) -> Engines:
    """Spellers for `locales` (with each locale's accepted words) and the grammar service.

    Nothing here contacts LanguageTool: the first check does, so a run with no grammar check
    enabled never waits on a server. `memo_path`: the engine memo's file (`memo.py`); None keeps
    answers in memory for this run only.
    """
    client = None
    offline = True
    if qa is not None:
        offline = qa.offline_grammar
        if qa.languagetool_url:
            client = LanguageToolClient(
                qa.languagetool_url, timeout=qa.languagetool_timeout_seconds,
                retries=qa.languagetool_retries, batch_chars=qa.languagetool_batch_chars,
                disabled_rules=qa.languagetool_disabled_rules,
                disabled_categories=qa.languagetool_disabled_categories,
            )
    if dictionary_dir is None:
        dictionary_dir = Path(qa.hunspell_dir) if qa is not None else DICTIONARY_DIR
    memo = EngineMemo(memo_path)
    grammar = GrammarService(client, offline=offline, memo=memo)
    engines = Engines(grammar, dictionary_dir=dictionary_dir, memo=memo)
    for locale in dict.fromkeys(locales):
        engines.add_speller(locale, (words or {}).get(locale, ()))
    return engines



def attach(settings: Settings, context: CheckContext) -> Engines:
    """Open the run's engines and put them in the check context (called by the QA runner).

    Spellers are opened for the source locale and every target locale with the words the project
    word list and the glossary (`context.terminology`) accept; the grammar service contacts no
    server until a check asks it something.
    """
    from medloc.engines.words import accepted_words

    source = settings.project.source_locale
    locales = [source, *settings.project.locales]
    words = accepted_words(context.terminology, locales, settings.path(settings.qa.word_list), source)
    memo_path = settings.path(settings.project.state_dir) / MEMO_FILENAME
    engines = open_engines(settings.qa, locales, words, memo_path=memo_path)
    context.spellers.update(engines.spellers)
    context.options[ENGINES_OPTION] = engines
    return engines
