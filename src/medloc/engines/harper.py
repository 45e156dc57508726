"""The only module that imports harper (harper-py): offline English grammar, no server, no Java.

Harper (Automattic, Rust) lints ~200,000 characters/s here after a ~1 s dictionary build, so it is
the grammar engine for English source text when no LanguageTool server is configured or reachable.
Rules another check owns are off: spelling (hunspell with the medical dictionary knows drug
names; Harper's curated dictionary does not), repeated words (`source-repeated-word`), sentence
capitalisation (list items and headings start lowercase on purpose) and sentence length (style
advice, not an error). Lints are mapped to LanguageTool's category ids so one MQM mapping serves all.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import harper

from medloc.engines.model import GrammarIssue, GrammarResult
from medloc.engines.status import EngineStatus, State
from medloc.engines.text import plain_text

ENGINE = "harper"
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

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._linter = harper.Linter(harper.Dialect.AMERICAN)
        config = self._linter.get_lint_config()
        config.update({rule: False for rule in OFF_RULES if rule in config})
        self._linter.set_lint_config(config)

    def check(self, texts: Sequence[str], locale: str) -> GrammarResult:
        """Lint every segment on its own (a lint never spans two segments)."""
        issues: list[list[GrammarIssue] | None] = []
        for text in texts:
            plain = plain_text(text)
            found: list[GrammarIssue] = []
            if plain.text.strip():
                with self._lock:  # the lints borrow from the linter too: read them inside the lock
                    for lint in self._linter.lint(plain.text, language=harper.Language.PLAINTEXT):
                        start, end = plain.span(lint.span.start, lint.span.end)
                        found.append(GrammarIssue(
                            start=start, end=end, message=lint.message, rule=f"HARPER_{lint.lint_kind}",
                            category=_CATEGORIES.get(lint.lint_kind, "GRAMMAR"),
                            category_name=lint.lint_kind_pretty, issue_type=lint.lint_kind,
                            replacements=tuple(s.replacement_text for s in lint.suggestions[:5]
                                               if s.replacement_text),
                            engine=ENGINE,
                        ))
            issues.append(found)
        status = EngineStatus("grammar", locale, State.CHECKED, ENGINE, "", len(texts), len(texts))
        return GrammarResult(issues, status)
