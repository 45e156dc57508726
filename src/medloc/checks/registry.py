"""The one list of checks. Adding a check = writing its class and naming it here; nothing is
discovered by reflection, so what runs is exactly what this file says."""

from __future__ import annotations

from collections.abc import Iterable

from medloc.checks.base import Check, ProjectCheck
from medloc.checks.completeness import FuzzyCheck, UnchangedCheck, UntranslatedCheck
from medloc.checks.consistency import ConsistencyCheck
from medloc.checks.doses import UnitsCheck
from medloc.checks.language import GrammarCheck, SourceGrammarCheck, SourceSpellingCheck, SpellingCheck
from medloc.checks.markup import EmailsCheck, MarkupCheck, PlaceholdersCheck, UrlsCheck
from medloc.checks.negation import NegationCheck
from medloc.checks.numbers import NumbersCheck
from medloc.checks.source import DoNotUseCheck, SourceForbiddenTermCheck, SourceRepeatedWordCheck
from medloc.checks.terms import TerminologyCheck
from medloc.checks.typography import (
    BracketsCheck,
    LengthCheck,
    PunctuationCheck,
    RepeatedWordsCheck,
    WhitespaceCheck,
)
from medloc.model import MedlocError

CHECKS: tuple[type[Check] | type[ProjectCheck], ...] = (
    # translation checks: completeness
    UntranslatedCheck,
    FuzzyCheck,
    UnchangedCheck,
    # translation checks: accuracy (patient safety first)
    NumbersCheck,
    UnitsCheck,
    NegationCheck,
    # translation checks: markup and code
    MarkupCheck,
    PlaceholdersCheck,
    UrlsCheck,
    EmailsCheck,
    # translation checks: locale conventions and form
    PunctuationCheck,
    WhitespaceCheck,
    BracketsCheck,
    LengthCheck,
    RepeatedWordsCheck,
    # translation checks: glossary and project-wide
    TerminologyCheck,
    ConsistencyCheck,
    # translation checks: engines (hunspell, LanguageTool / Grammalecte)
    SpellingCheck,
    GrammarCheck,
    # source checks (for editors)
    SourceForbiddenTermCheck,
    DoNotUseCheck,
    SourceRepeatedWordCheck,
    SourceSpellingCheck,
    SourceGrammarCheck,
)


def all_checks() -> dict[str, type[Check] | type[ProjectCheck]]:
    return {check.id: check for check in CHECKS}


def select_checks(
    enable: Iterable[str] = (), disable: Iterable[str] = (), *, origin: str = "settings"
) -> list[Check | ProjectCheck]:
    """Instances of the enabled checks (all, unless `enable` lists some), minus `disable`.

    An unknown id is an error naming it and where it came from: a typo must not silently turn a
    safety check off.
    """
    known = all_checks()
    enable, disable = list(enable), list(disable)
    for check_id in enable + disable:
        if check_id not in known:
            raise MedlocError(
                f"unknown check id {check_id!r} (known: {', '.join(sorted(known))})", path=origin
            )
    chosen = enable or list(known)
    return [known[i]() for i in chosen if i not in disable]
