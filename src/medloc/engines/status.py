"""What an engine did for one locale: checked, not checked (and why), or not applicable.

A grammar server that is down must never look like a clean text. Engines therefore never raise on
an outage: they record an `EngineStatus` per (kind, locale), the checks turn every status that is
not `CHECKED` into one `engine-unavailable` finding per locale, and the report prints `line()`
("grammar: not checked for de: ...").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    CHECKED = "checked"
    PARTIAL = "partial"  # some segments checked, then the engine went away
    UNAVAILABLE = "unavailable"  # configured or expected, but unreachable / missing
    NOT_CONFIGURED = "not-configured"  # deliberately off (e.g. no LanguageTool URL in settings)
    NOT_APPLICABLE = "not-applicable"  # the method does not apply (hunspell for Chinese)


@dataclass(frozen=True, slots=True)
class EngineStatus:
    """`kind` is what was checked ("grammar", "spelling"); `engine` names the tool that did it."""

    kind: str
    locale: str
    state: State
    engine: str = ""
    detail: str = ""
    checked: int = 0  # segments checked
    total: int = 0  # segments asked for

    @property
    def ok(self) -> bool:
        """True when every segment asked for was checked, or when the check does not apply."""
        return self.state in (State.CHECKED, State.NOT_APPLICABLE)

    def line(self) -> str:
        """One line for the report: "grammar: checked for es (languagetool, 120 segments)"."""
        if self.state is State.CHECKED:
            note = f": {self.detail}" if self.detail else ""
            return f"{self.kind}: checked for {self.locale} ({self.engine}, {self.checked} segments){note}"
        if self.state is State.PARTIAL:
            return (f"{self.kind}: partly checked for {self.locale} ({self.engine}, {self.checked} of "
                    f"{self.total} segments): {self.detail}")
        if self.state is State.NOT_APPLICABLE:
            return f"{self.kind}: not applicable for {self.locale}: {self.detail}"
        return f"{self.kind}: not checked for {self.locale}: {self.detail}"


def merge(statuses: list[EngineStatus]) -> list[EngineStatus]:
    """One status per (kind, locale): the worst one wins, counts add up (for runs done in batches)."""
    order = [State.UNAVAILABLE, State.NOT_CONFIGURED, State.PARTIAL, State.CHECKED, State.NOT_APPLICABLE]
    merged: dict[tuple[str, str], EngineStatus] = {}
    for status in statuses:
        key = (status.kind, status.locale)
        seen = merged.get(key)
        if seen is None:
            merged[key] = status
            continue
        worst = min(seen, status, key=lambda s: order.index(s.state))
        checked, total = seen.checked + status.checked, seen.total + status.total
        state = worst.state
        if {seen.state, status.state} == {State.CHECKED, State.UNAVAILABLE} and checked:
            state = State.PARTIAL
        merged[key] = EngineStatus(worst.kind, worst.locale, state, worst.engine or seen.engine,
                                   worst.detail, checked, total)
    return list(merged.values())
