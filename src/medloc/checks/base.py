"""What every check is and what it is given.

A check is a small class with an id, a severity, an MQM category, a docstring saying what it
guards against, and wrong/right examples that the test suite runs (`tests/test_checks_examples.py`).
Findings are returned, never raised: a finding is the normal result of a check, not an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar, Literal

from medloc.model import BlockKind, Finding, Severity


class Category(StrEnum):
    """MQM top-level error types (MQM Core)."""

    ACCURACY = "accuracy"
    TERMINOLOGY = "terminology"
    LINGUISTIC = "linguistic-conventions"
    LOCALE = "locale-conventions"
    STYLE = "style"
    MARKUP = "design-and-markup"


@dataclass(frozen=True, slots=True)
class Unit:
    """One source/target pair as a check sees it (a PO entry, or a source segment for source checks).

    `source` and `target` are msgid/msgstr (HTML fragments with raw inline tags for HTML articles).
    `target` is "" for source checks and for untranslated entries.
    """

    source: str
    target: str = ""
    locale: str = ""
    source_locale: str = "en"
    article: str = ""
    kind: BlockKind | None = None
    fuzzy: bool = False
    flags: frozenset[str] = frozenset()
    context: str | None = None
    reference: str = ""
    line: int = 0
    obsolete: bool = False

    @property
    def reviewed(self) -> bool:
        """A translation someone stands behind: translated, not fuzzy, not obsolete (what a
        `ProjectCheck` sees, and what `medloc.projectunits` keeps between runs)."""
        return bool(self.target) and not self.fuzzy and not self.obsolete

    def ignores(self, check_id: str) -> bool:
        """The PO flag `ignore-<check-id>` silences one check on one entry."""
        return f"ignore-{check_id}" in self.flags


@dataclass(frozen=True, slots=True)
class Example:
    """A wrong or right case: `fails` says whether the check must report something on it."""

    source: str
    target: str = ""
    locale: str = "es"
    fails: bool = True
    note: str = ""


@dataclass
class CheckContext:
    """What checks may consult besides the unit: settings-derived resources and engines.

    Fields are filled by the engine once per run; a check that needs one that is missing reports
    nothing rather than guessing (and the engine reports the engine as unavailable).
    """

    terminology: object | None = None
    spellers: dict[str, object] = field(default_factory=dict)
    options: dict[str, object] = field(default_factory=dict)


class Check:
    """Base class: a per-unit check. Subclasses set the ClassVars and implement `run`."""

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    category: ClassVar[Category]
    scope: ClassVar[Literal["translation", "source"]] = "translation"
    examples: ClassVar[Sequence[Example]] = ()

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(
        self,
        unit: Unit,
        message: str,
        *,
        span: tuple[int, int] | None = None,
        in_target: bool = True,
        severity: Severity | None = None,
        suggestion: str | None = None,
        **extra: str,
    ) -> Finding:
        """A finding of this check on `unit`, with the check's id, category and severity."""
        return Finding(
            check=self.id,
            severity=severity or self.severity,
            message=message,
            category=self.category.value,
            article=unit.article,
            locale=unit.locale,
            source=unit.source,
            target=unit.target,
            span=span,
            in_target=in_target,
            suggestion=suggestion,
            extra=dict(extra),
        )


class ProjectCheck:
    """A check over all units of the project at once (consistency across articles).

    It sees translated, reviewed units only: non-empty `target`, not `fuzzy`, not `obsolete`. A
    fuzzy or empty entry is not a translation anyone stands behind, so comparing it across articles
    would only produce noise; and the flow keeps just these units between runs
    (`medloc.projectunits`), so a project check must not depend on the others.
    `Runner.run_project` passes only these, whatever units it is given. It compares units with each
    other: in the flow its context may hold only `options["settings"]` (the glossary and engines are
    loaded only when an article has to be checked again; see `medloc.projectreport`).
    """

    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    category: ClassVar[Category]
    scope: ClassVar[Literal["translation", "source"]] = "translation"
    examples: ClassVar[Sequence[Example]] = ()

    def run_all(self, units: Sequence[Unit], context: CheckContext) -> Iterable[Finding]:
        raise NotImplementedError
