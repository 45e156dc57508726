"""`fails(check, source, target, locale)` in the style of translate-toolkit's filter tests."""

from __future__ import annotations

from medloc.checks.base import Check, CheckContext, Unit
from medloc.model import Finding


def findings(
    check: type[Check], source: str, target: str, locale: str = "es", **unit: object
) -> list[Finding]:
    return list(check().run(Unit(source, target, locale=locale, **unit), CheckContext()))  # type: ignore[arg-type]


def fails(check: type[Check], source: str, target: str, locale: str = "es", **unit: object) -> bool:
    return bool(findings(check, source, target, locale, **unit))


def passes(check: type[Check], source: str, target: str, locale: str = "es", **unit: object) -> bool:
    return not findings(check, source, target, locale, **unit)
