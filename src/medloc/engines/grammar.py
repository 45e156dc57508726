"""Grammar for a locale from whichever engine can answer: LanguageTool first, then an offline one.

LanguageTool (a configured server) covers every language; Harper (English) and Grammalecte
(French) run in-process without a server. When LanguageTool is not configured, or stops answering
mid-run, the segments it did not check go to the offline engine for that language when there is
one; what nobody checked is reported in the status (never a silent pass). Offline engines are
built lazily: a run that never checks French never loads Grammalecte.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import astuple
from typing import Any, Protocol

from medloc.engines.languagetool import LanguageToolClient
from medloc.engines.memo import EngineMemo
from medloc.engines.model import GrammarIssue, GrammarResult
from medloc.engines.status import EngineStatus, State


class GrammarEngine(Protocol):
    name: str
    fingerprint: str  # the engine's version and our settings for it: the engine memo's namespace

    def check(self, texts: Sequence[str], locale: str) -> GrammarResult: ...


def _harper() -> tuple[GrammarEngine | None, str]:
    try:
        from medloc.engines.harper import HarperEngine
    except ImportError as exc:  # harper-py not installed
        return None, f"Harper not installed ({exc}); pip install harper-py"
    return HarperEngine(), ""


def _grammalecte() -> tuple[GrammarEngine | None, str]:
    from medloc.engines.grammalecte import open_engine

    return open_engine()


OFFLINE: dict[str, Callable[[], tuple[GrammarEngine | None, str]]] = {"en": _harper, "fr": _grammalecte}
# Engines whose build runs outside the GIL (Harper builds its dictionary in Rust; a Python thread
# counting meanwhile keeps its full rate): worth starting in the background. Grammalecte's build is
# Python, so a background build would only take turns with the run.
BUILT_OUTSIDE_GIL = ("en",)
_BUILT: dict[str, tuple[GrammarEngine | None, str]] = {}
_BUILD_LOCKS = {language: threading.Lock() for language in OFFLINE}  # one language waits for no other
_PREWARMING: list[threading.Thread] = []


def shared_offline_engine(language: str) -> tuple[GrammarEngine | None, str]:
    """One offline engine per language and process: building one costs up to a second, and the
    articles of a run (Prefect threads) share it; the engines serialise their own calls."""
    with _BUILD_LOCKS[language]:
        if language not in _BUILT:
            _BUILT[language] = OFFLINE[language]()
        return _BUILT[language]


def prewarm_offline_engine(language: str) -> bool:
    """Start building `language`'s offline engine in a background thread, so the first article that
    needs it finds it built (or waits for the rest of the build). Returns whether a build started.

    Why: a run that changed one English article spent ~0.65 s building Harper's linter before its
    first check, while its other work (reading the glossary, merging the catalogs) waited; started
    when the flow knows articles will be checked, the build overlaps that work on the other core."""
    if language not in BUILT_OUTSIDE_GIL or language in _BUILT:
        return False
    thread = threading.Thread(target=shared_offline_engine, args=(language,), daemon=True,
                              name=f"medloc-prewarm-{language}")
    _PREWARMING.append(thread)
    thread.start()
    return True


def forget_engines() -> None:
    """Drop the built engines (medloc.pipeline.release_article_resources); the next use builds again.
    A background build still running is waited for first, so it cannot put an engine back after."""
    while _PREWARMING:
        _PREWARMING.pop().join()
    for language, lock in _BUILD_LOCKS.items():
        with lock:
            _BUILT.pop(language, None)


class GrammarService:
    """Checks batches of segments per locale and keeps one status per call in `statuses`."""

    def __init__(
        self, languagetool: LanguageToolClient | None, *, offline: bool = True, memo: EngineMemo | None = None
    ) -> None:
        self.languagetool = languagetool
        self.offline = offline
        self.memo = memo if memo is not None else EngineMemo()
        self.statuses: list[EngineStatus] = []
        self._offline: dict[str, tuple[GrammarEngine | None, str]] = {}

    def offline_engine(self, locale: str) -> tuple[GrammarEngine | None, str]:
        language = locale.replace("-", "_").split("_")[0].lower()
        if not self.offline or language not in OFFLINE:
            return None, ""
        if language not in self._offline:
            self._offline[language] = shared_offline_engine(language)
        return self._offline[language]

    def check(self, texts: Sequence[str], locale: str) -> GrammarResult:
        """Issues per text (None where no engine could check it) and the status of this call."""
        issues: list[list[GrammarIssue] | None] = [None] * len(texts)
        used: list[str] = []
        details: list[str] = []
        requests = 0
        if self.languagetool is not None:
            result = self.languagetool.check(texts, locale)
            requests = result.requests
            issues = result.issues
            if result.status.checked:
                used.append("languagetool")
            if result.status.detail:
                details.append(result.status.detail)
        else:
            details.append("no LanguageTool server configured (set qa.languagetool_url)")
        missing = [i for i, found in enumerate(issues) if found is None]
        if missing:
            engine, why = self.offline_engine(locale)
            if engine is not None:
                fallback = self._remembered(engine, [texts[i] for i in missing], locale)
                for index, found in zip(missing, fallback, strict=True):
                    issues[index] = found
                used.append(engine.name)
            elif why:
                details.append(why)
        checked = sum(found is not None for found in issues)
        if checked == len(texts):
            state = State.CHECKED
        elif checked:
            state = State.PARTIAL
        elif self.languagetool is None:
            state = State.NOT_CONFIGURED
        else:
            state = State.UNAVAILABLE
        # Offline by choice and fully checked: nothing to explain. A configured server that failed
        # is worth a line even when the offline engine covered for it.
        offline_by_choice = self.languagetool is None and state is State.CHECKED
        detail = "" if offline_by_choice else "; ".join(details)
        status = EngineStatus("grammar", locale, state, "+".join(used) or "none", detail, checked, len(texts))
        self.statuses.append(status)
        return GrammarResult(issues, status, requests)

    def _remembered(
        self, engine: GrammarEngine, texts: list[str], locale: str
    ) -> list[list[GrammarIssue] | None]:
        """The offline engine's issues per text, asking it only about texts the memo has not seen."""

        def compute(missing: list[str]) -> list[Any]:
            result = engine.check(missing, locale)
            return [None if found is None else [list(astuple(i)) for i in found] for found in result.issues]

        answers = self.memo.through(f"grammar {engine.fingerprint} {locale}", texts, compute)
        return [None if answer is None else [_issue(fields) for fields in answer] for answer in answers]


def _issue(fields: list[Any]) -> GrammarIssue:
    """A GrammarIssue back from its stored field list (replacements come back as a JSON list)."""
    *head, replacements, engine = fields
    return GrammarIssue(*head, tuple(replacements), engine)
