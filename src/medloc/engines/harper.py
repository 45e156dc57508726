"""The only module that imports harper (harper-py): offline English grammar, no server, no Java.

Harper (Automattic, Rust) lints ~200,000 characters/s here after a ~1 s dictionary build, so it is
the grammar engine for English source text when no LanguageTool server is configured or reachable.
Rules another check owns are off: spelling (hunspell with the medical dictionary knows drug
names; Harper's curated dictionary does not), repeated words (`source-repeated-word`), sentence
capitalisation (list items and headings start lowercase on purpose) and sentence length (style
advice, not an error). Lints are mapped to LanguageTool's category ids so one MQM mapping serves all.
"""

from __future__ import annotations

import bisect
import importlib.metadata
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import harper

from medloc.engines.memo import fingerprint, source_digest
from medloc.engines.model import GrammarIssue, GrammarResult
from medloc.engines.status import EngineStatus, State
from medloc.engines.text import plain_text

ENGINE = "harper"
_SEPARATOR = "\n\n"  # a paragraph break between segments
OFF_RULES = ("SpellCheck", "RepeatedWords", "SentenceCapitalization", "LongSentences")
_CATEGORIES = {
    "Spelling": "TYPOS",
    "Capitalization": "CASING",
    "Punctuation": "PUNCTUATION",
    "Formatting": "TYPOGRAPHY",
    "Style": "STYLE",
    "Readability": "STYLE",
    "Enhancement": "STYLE",
    "Redundancy": "REDUNDANCY",
    "Repetition": "REDUNDANCY",
}


class HarperEngine:
    """One Harper linter (building it is the expensive step; a linter is not thread-safe).

    Prefect runs articles in threads and they share this engine, so calls into the linter are
    serialised: concurrent use raises "Already borrowed" from the Rust side.
    """

    languages = ("en",)
    name = ENGINE

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # What the engine memo keys answers by: the library, our rule settings and mapping (code).
        self.fingerprint = fingerprint(ENGINE, importlib.metadata.version("harper-py"), OFF_RULES,
                                       source_digest(__file__))
        self._linter = harper.Linter(harper.Dialect.AMERICAN)
        config = self._linter.get_lint_config()
        config.update({rule: False for rule in OFF_RULES if rule in config})
        self._linter.set_lint_config(config)

    def check(self, texts: Sequence[str], locale: str) -> GrammarResult:
        """Lint the segments as one document, one paragraph per segment, and hand each lint back to
        its segment (a lint never spans two segments).

        Why one call: a Harper `lint` call costs ~5 ms whatever its length (measured: "Hi." takes as
        long as a 150-character sentence), so 25 segments linted one by one cost ~6x what the same
        text costs in one call. Segments are separated by a blank line (a paragraph break for
        Harper); a lint that would cross the break is not kept from the joined run, and its segment
        is linted on its own instead, so results are those of linting each segment alone.
        """
        plains = [plain_text(text) for text in texts]
        issues: list[list[GrammarIssue] | None] = [[] for _ in texts]
        parts: list[str] = []
        starts: list[tuple[int, int, int]] = []  # (start, end, segment index) in the joined text
        position = 0
        for index, plain in enumerate(plains):
            if plain.text.strip():
                starts.append((position, position + len(plain.text), index))
                parts.append(plain.text)
                position += len(plain.text) + len(_SEPARATOR)
        alone: set[int] = set()
        if parts:
            with self._lock:  # the lints borrow from the linter too: read them inside the lock
                lints = [self._issue(lint, 0) for lint in self._linter.lint(
                    _SEPARATOR.join(parts), language=harper.Language.PLAINTEXT)]
            bounds = [b[0] for b in starts]
            for issue in lints:
                slot = bisect.bisect_right(bounds, issue.start) - 1
                begin, end, index = starts[max(slot, 0)]
                if slot < 0 or issue.end > end:
                    alone.add(index)
                    continue
                found = issues[index]
                assert found is not None
                found.append(replace(issue, start=issue.start - begin, end=issue.end - begin))
        for index in sorted(alone):
            with self._lock:
                issues[index] = [self._issue(lint, 0) for lint in self._linter.lint(
                    plains[index].text, language=harper.Language.PLAINTEXT)]
        for index, found in enumerate(issues):  # plain-text offsets -> offsets in the segment
            assert found is not None
            issues[index] = [replace(i, start=a, end=b) for i in found
                             for a, b in [plains[index].span(i.start, i.end)]]
        status = EngineStatus("grammar", locale, State.CHECKED, ENGINE, "", len(texts), len(texts))
        return GrammarResult(issues, status)

    @staticmethod
    def _issue(lint: Any, offset: int) -> GrammarIssue:
        return GrammarIssue(
            start=lint.span.start - offset, end=lint.span.end - offset, message=lint.message,
            rule=f"HARPER_{lint.lint_kind}", category=_CATEGORIES.get(lint.lint_kind, "GRAMMAR"),
            category_name=lint.lint_kind_pretty, issue_type=lint.lint_kind,
            replacements=tuple(s.replacement_text for s in lint.suggestions[:5] if s.replacement_text),
            engine=ENGINE,
        )
