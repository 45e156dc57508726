"""Units and doses: the amount keeps its unit ("500 mg" is never "500 g", "500" or "500 µg").

The numbers check already reports an amount that changed; this check reports what it cannot see:
the same number with a changed, dropped or added unit (critical — "500 mg" -> "500 g" is a
thousandfold overdose) and the same quantity converted to another unit (major — see `numbers.py`
for why a conversion is reviewed but does not block). Frequencies count as units: "3 times a week"
must stay "3 veces por semana", not "3 veces al día".
"""

from __future__ import annotations

from collections.abc import Iterable

from medloc.checks.base import Category, Check, CheckContext, Example, Unit
from medloc.checks.numbers import _converted
from medloc.checks.quantities import DIGIT_RE, Number, numbers, same_value, unit_nearby
from medloc.checks.text import raw_span
from medloc.model import Finding, Severity

# Units whose loss changes a dose or a duration; "years" of age or of follow-up are often left
# implicit in good translations ("women aged 50 to 74" / "mujeres de 50 a 74"), so their loss is not.
_DOSE_DIMS = frozenset({"mass", "volume", "iu", "percent", "pp", "times"})


def _label(n: Number) -> str:
    if n.unit is None:
        return n.text
    per = f" per {n.per}" if n.per else ""
    return f"{n.text} {n.unit.name}{per}"


class UnitsCheck(Check):
    """A quantity's unit is kept: mg, g, mcg/µg, IU, mL, %, time spans and "times per week".

    For every number that has a unit in the source, the target must write the same number with the
    same unit (any language's spelling: "mg" = "miligramos", "IU" = "UI" = "I.E.", "%" = "por
    ciento", "weeks" = "semanas" = "Wochen" = "周"). Changed or dropped dose unit: critical. Same
    amount converted exactly (1000 mg = 1 g, 2 weeks = 14 days): major, with the reason.
    """

    id = "units"
    name = "Unit or dose changed"
    severity = Severity.CRITICAL
    category = Category.ACCURACY
    examples = (
        Example("Take 500 mg twice a day.", "Tome 500 g dos veces al día.", fails=True, note="mg -> g"),
        Example("Take 500 mg twice a day.", "Tome 500 miligramos dos veces al día.", fails=False),
        Example("Take 1000 mg.", "Tome 1 g.", fails=True, note="exact conversion: major"),
        Example("Give 400 IU of vitamin D.", "Administre 400 UI de vitamina D.", fails=False),
        Example(
            "Give 400 IU of vitamin D.", "Administre 400 de vitamina D.", fails=True, note="unit dropped"
        ),
        Example("Exercise 3 times per week.", "Haga ejercicio 3 veces por semana.", fails=False),
        Example("Exercise 3 times per week.", "Haga ejercicio 3 veces al día.", fails=True),
        Example("for 5 to 10 days", "pendant 5 à 10 jours", locale="fr", fails=False),
        Example("for 5 to 10 days", "5 bis 10 Wochen lang", locale="de", fails=True),
        Example("a 20% reduction", "一项减少20%的研究", locale="zh_CN", fails=False),
    )

    def run(self, unit: Unit, context: CheckContext) -> Iterable[Finding]:
        target = unit.target
        if not target or not DIGIT_RE.search(unit.source):
            return ()
        src = numbers(unit.source, unit.source_locale)
        if not any(n.unit for n in src):
            return ()
        tgt = list(numbers(target, unit.locale))
        findings: list[Finding] = []
        pending: list[Number] = []
        for n in src:  # exact matches (same value, same unit and frequency) pair off first
            for i, t in enumerate(tgt):
                if same_value(n, t) and _same_unit(n, t):
                    del tgt[i]
                    break
            else:
                pending.append(n)
        for n in pending:
            if n.unit is None:
                continue
            conv = next((t for t in tgt if _converted(n, t) and n.per == t.per), None)
            if conv is not None:
                tgt.remove(conv)
                findings.append(
                    self.finding(
                        unit,
                        f"{_label(n)} converted to {_label(conv)}: the same amount in another unit; "
                        "confirm it matches the label (a new decimal point invites tenfold errors)",
                        span=raw_span(target, conv.start, conv.end),
                        severity=Severity.MAJOR,
                        suggestion=n.text + " " + n.unit.name,
                        kind="conversion",
                    )
                )
                continue
            candidates = [t for t in tgt if same_value(n, t)]  # prefer the one that has a unit
            same = next(
                (t for t in candidates if t.unit and t.unit.dim == n.unit.dim),
                next((t for t in candidates if t.unit), candidates[0] if candidates else None),
            )
            if same is None:
                continue  # the number itself is gone: the numbers check reports it
            tgt.remove(same)
            span = raw_span(target, same.start, same.end)
            if same.unit is None:
                if not unit_nearby(target, unit.locale, same.end, n.unit.dim) and (
                    n.unit.dim in _DOSE_DIMS or not _dim_elsewhere(n, target, unit.locale)
                ):
                    findings.append(
                        self.finding(
                            unit,
                            f"unit dropped: {_label(n)} became {same.text}",
                            span=span,
                            suggestion=f"{same.text} {n.unit.name}",
                            kind="dropped",
                        )
                    )
            elif n.unit.dim != same.unit.dim or n.unit.factor != same.unit.factor:
                findings.append(
                    self.finding(
                        unit,
                        f"unit changed: {_label(n)} became {_label(same)}",
                        span=span,
                        suggestion=f"{same.text} {n.unit.name}",
                        kind="changed",
                    )
                )
            elif n.per != same.per and n.per and same.per:
                findings.append(
                    self.finding(
                        unit,
                        f"frequency changed: {_label(n)} became {_label(same)}",
                        span=span,
                        kind="changed",
                    )
                )
        return findings


def _dim_elsewhere(n: Number, target: str, locale: str) -> bool:
    """A time unit of the same dimension follows another number of the target ("18 a 49 años")."""
    return any(
        t.unit is not None and n.unit is not None and t.unit.dim == n.unit.dim
        for t in numbers(target, locale)
    )


def _same_unit(a: Number, b: Number) -> bool:
    """Same unit (any spelling) and frequency; a unit only the target states is accepted."""
    if a.unit is None:
        return True
    if b.unit is None or a.unit.dim != b.unit.dim or a.unit.factor != b.unit.factor:
        return False
    return not (a.per and b.per and a.per != b.per)
