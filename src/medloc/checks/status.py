"""How engine-backed checks hand their engines' status to the runner.

Why: a grammar server that is down must never look like "no grammar errors". The engines record an
`EngineStatus` (medloc.engines.status) per kind and locale instead of raising; a check that used one
calls `report_engine(context, status)`. The runner merges them (worst state wins), turns every
status that is not ok into ONE `engine-unavailable` finding per locale, and the report prints
"grammar: not checked for es: <why>". A kind no check reported at all is shown as "not checked
(no check enabled)" — never as a pass.
"""

from __future__ import annotations

from medloc.checks.base import CheckContext
from medloc.engines.status import EngineStatus, State, merge

ENGINE_KINDS: tuple[str, ...] = ("grammar", "spelling")
STATUS_OPTION = "engine_statuses"  # key in CheckContext.options: the list the runner reads

__all__ = ["ENGINE_KINDS", "STATUS_OPTION", "EngineStatus", "State", "engine_statuses", "report_engine",
           "status_from_dict", "status_to_dict"]


def report_engine(context: CheckContext, status: EngineStatus) -> None:
    """Record an engine's status for this run (several per locale are fine: they are merged)."""
    statuses = context.options.setdefault(STATUS_OPTION, [])
    assert isinstance(statuses, list)
    statuses.append(status)


def engine_statuses(context: CheckContext, start: int = 0) -> list[EngineStatus]:
    """Merged statuses recorded since index `start`, one per (kind, locale), sorted."""
    recorded = context.options.get(STATUS_OPTION) or []
    assert isinstance(recorded, list)
    chosen = [s for s in recorded[start:] if isinstance(s, EngineStatus)]
    return sorted(merge(chosen), key=lambda s: (s.kind, s.locale))


def status_to_dict(status: EngineStatus) -> dict[str, object]:
    return {"kind": status.kind, "locale": status.locale, "state": status.state.value,
            "engine": status.engine, "detail": status.detail, "checked": status.checked,
            "total": status.total, "ok": status.ok, "line": status.line()}


def status_from_dict(data: dict[str, object]) -> EngineStatus:
    return EngineStatus(str(data["kind"]), str(data["locale"]), State(str(data["state"])),
                        str(data.get("engine") or ""), str(data.get("detail") or ""),
                        int(data.get("checked") or 0), int(data.get("total") or 0))  # type: ignore[arg-type]
