"""A tiny QA project on disk and test-local checks, so the runner's tests do not depend on which
checks the registry holds at the moment."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from medloc.checks.base import Category, Check, CheckContext, ProjectCheck, Unit
from medloc.checks.status import EngineStatus, State, report_engine
from medloc.model import Finding, Severity

_NUM = re.compile(r"\d+")


class NumbersCheck(Check):
    """A number of the source missing or changed in the target."""

    id = "t-numbers"
    name = "Numbers (test)"
    severity = Severity.CRITICAL
    category = Category.ACCURACY

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        if not unit.target:
            return
        source = _NUM.findall(unit.source)
        for m in _NUM.finditer(unit.target):
            if m.group() not in source:
                yield self.finding(unit, f"number {m.group()} is not in the source", span=m.span(),
                                   suggestion=" / ".join(source) or None)


class UntranslatedCheck(Check):
    id = "t-untranslated"
    name = "Untranslated (test)"
    severity = Severity.MINOR
    category = Category.ACCURACY

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        if not unit.target:
            yield self.finding(unit, "not translated")


class RepeatedCheck(Check):
    id = "t-repeated"
    name = "Repeated word in the source (test)"
    severity = Severity.MAJOR
    category = Category.LINGUISTIC
    scope = "source"

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        for m in re.finditer(r"\b(\w+) \1\b", unit.source):
            yield self.finding(unit, f"repeated word {m.group(1)!r}", span=m.span(), in_target=False)


class EchoCheck(Check):
    """Reports the target as is: lets a test put any msgstr (even markup) into the report."""

    id = "t-echo"
    name = "Echo (test)"
    severity = Severity.MAJOR
    category = Category.STYLE

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        if "<" in unit.target:
            yield self.finding(unit, f"markup in target: {unit.target}", span=(0, len(unit.target)))


class GrammarDown(Check):
    """Plays a grammar check whose server is unreachable."""

    id = "t-grammar"
    name = "Grammar (test, server down)"
    severity = Severity.MINOR
    category = Category.LINGUISTIC

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        if unit.target:
            report_engine(context, EngineStatus("grammar", unit.locale, State.UNAVAILABLE, "languagetool",
                                                "connection refused (127.0.0.1:8081)", 0, 1))
        return ()


class ConsistencyCheck(ProjectCheck):
    id = "t-consistency"
    name = "Same source, different targets (test)"
    severity = Severity.MINOR
    category = Category.STYLE

    def run_all(self, units: Sequence[Unit], context: CheckContext) -> Iterable[Finding]:
        seen: dict[tuple[str, str], str] = {}
        for u in units:
            if not u.target:
                continue
            first = seen.setdefault((u.locale, u.source), u.target)
            if first != u.target:
                yield Finding(self.id, self.severity, f"also translated as {first!r}", self.category.value,
                              u.article, u.locale, u.source, u.target)


def all_checks() -> list[Check | ProjectCheck]:
    return [NumbersCheck(), UntranslatedCheck(), RepeatedCheck(), ConsistencyCheck()]


def po_text(entries: Sequence[tuple[str, str]], locale: str = "es", fuzzy: Sequence[int] = (),
            flags: dict[int, str] | None = None) -> str:
    lines = ['msgid ""', 'msgstr ""', f'"Language: {locale}\\n"',
             '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for i, (msgid, msgstr) in enumerate(entries):
        marks = (["fuzzy"] if i in fuzzy else []) + ([(flags or {})[i]] if i in (flags or {}) else [])
        lines.append(f"#. paragraph (p#{i})")
        lines.append(f"#: source_articles/a.html:{10 + i}")
        if marks:
            lines.append("#, " + ", ".join(marks))
        esc = lambda s: s.replace("\\", "\\\\").replace('"', '\\"')  # noqa: E731
        lines += [f'msgid "{esc(msgid)}"', f'msgstr "{esc(msgstr)}"', ""]
    return "\n".join(lines)


SOURCE = [
    ("Take 500 mg twice a day.", "Tome 500 mg dos veces al día."),
    ("Do not take more than 4 doses.", "No tome más de 4 dosis."),
    ("Ask your your doctor.", "Consulte a su médico."),
    ("Aspirin may reduce risk.", "La aspirina puede reducir el riesgo."),
]


def make_project(root: Path, *, es: Sequence[tuple[str, str]] | None = None,
                 fr: Sequence[tuple[str, str]] | None = None, settings: str = "") -> Path:
    """Two articles (aspirin, dose) × es, fr; `es`/`fr` replace the aspirin translations."""
    (root / "medloc.toml").write_text('[project]\nlocales = ["es", "fr"]\nglossary_dir = "no-glossary"\n'
                                      + settings)
    templates = root / "locales" / "templates"
    templates.mkdir(parents=True)
    for slug in ("aspirin", "dose"):
        (templates / f"{slug}.pot").write_text(po_text([(s, "") for s, _ in SOURCE], locale=""))
    fr_default = [(s, "") for s, _ in SOURCE]
    for locale, entries in (("es", es or SOURCE), ("fr", fr or fr_default)):
        (root / "locales" / locale).mkdir(parents=True)
        (root / "locales" / locale / "aspirin.po").write_text(po_text(entries, locale))
        (root / "locales" / locale / "dose.po").write_text(po_text(SOURCE if locale == "es" else fr_default,
                                                                   locale))
    return root
