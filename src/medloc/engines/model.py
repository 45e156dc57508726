"""What grammar engines return, whatever the engine (LanguageTool, Harper, Grammalecte).

Plain data so the checks map it to findings without knowing which engine spoke; `category` keeps
the engine's own category id (LanguageTool's GRAMMAR, TYPOS, PUNCTUATION, STYLE ...; Harper's and
Grammalecte's kinds are translated to those ids in their modules) and the checks map it to MQM.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from medloc.engines.status import EngineStatus


@dataclass(frozen=True, slots=True)
class GrammarIssue:
    """One problem in one segment; `start:end` indexes the segment's original text (markup included)."""

    start: int
    end: int
    message: str
    rule: str
    category: str = "GRAMMAR"
    category_name: str = ""
    issue_type: str = ""
    replacements: tuple[str, ...] = ()
    engine: str = ""


@dataclass(slots=True)
class GrammarResult:
    """Per input text: its issues, or None when the text was not checked (see `status`)."""

    issues: list[list[GrammarIssue] | None]
    status: EngineStatus
    requests: int = 0
    notes: list[str] = field(default_factory=list)

    def unchecked(self) -> list[int]:
        return [i for i, found in enumerate(self.issues) if found is None]
