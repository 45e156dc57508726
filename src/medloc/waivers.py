"""Waivers: a reviewer accepts one finding, with a reason, in `qa/waivers.toml` (kept in the project).

Why keyed by the finding's fingerprint: a waiver covers exactly the text the reviewer saw. When
the segment changes (source or translation), the fingerprint changes, the waiver no longer matches
and the finding comes back — a stale acceptance can never hide a new error. Waivers that match
nothing any more are listed in the report so the file can be tidied.

The file is TOML, one table per fingerprint:

    [waivers."3f2a9c0d1e2b4a5c"]
    reason = "The Spanish guideline writes 1 g here; checked by Dr. Ruiz."
    by = "mruiz"
    date = "2025-03-01"
    check = "numbers"          # the rest only helps a person reading the file
    article = "aspirin"
    locale = "es"
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from medloc.config import Settings
from medloc.fsutil import atomic_write_text
from medloc.model import MedlocError

HEADER = (
    "# QA waivers: each table accepts one finding of the QA report, keyed by its fingerprint.\n"
    "# A waiver stops matching when the segment changes, and the finding comes back.\n"
    "# Add one with: medloc waive FINGERPRINT --reason \"why this is acceptable\"\n"
)


@dataclass(frozen=True, slots=True)
class Waiver:
    fingerprint: str
    reason: str
    by: str = ""
    date: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"reason": self.reason, "by": self.by, "date": self.date}


def waivers_path(settings: Settings) -> Path:
    return settings.path(settings.qa.waivers_file)


def load_waivers(path: Path) -> dict[str, Waiver]:
    """Waivers by fingerprint; a missing file is no waivers, a malformed one an error naming it."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise MedlocError(f"cannot read waivers: {exc}", path=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise MedlocError(f"invalid TOML: {exc}", path=str(path)) from exc
    unknown = set(data) - {"waivers"}
    if unknown:
        raise MedlocError(f"unknown table(s) {', '.join(sorted(unknown))}; waivers go in [waivers.\"FP\"]",
                          path=str(path))
    table = data.get("waivers", {})
    if not isinstance(table, dict):
        raise MedlocError("[waivers] must be a table of tables keyed by fingerprint", path=str(path))
    waivers: dict[str, Waiver] = {}
    for fp, entry in table.items():
        if not isinstance(entry, dict):
            raise MedlocError(f"waiver {fp!r} must be a table", path=str(path))
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise MedlocError(f"waiver {fp!r} has no reason; say why the finding is acceptable",
                              path=str(path))
        waivers[fp] = Waiver(fp, reason.strip(), str(entry.get("by", "")), str(entry.get("date", "")))
    return waivers


def _toml_string(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes (\" \\ \n \uXXXX).
    return json.dumps(value, ensure_ascii=False)


def add_waiver(path: Path, fingerprint: str, reason: str, *, by: str, about: dict[str, str] | None = None,
               today: str | None = None) -> Waiver:
    """Append one waiver to the file (created if needed), keeping what reviewers wrote by hand."""
    if not reason.strip():
        raise MedlocError("a waiver needs a reason (--reason \"why this finding is acceptable\")")
    if not fingerprint or any(c in fingerprint for c in "\"\\\n"):
        raise MedlocError(f"not a finding fingerprint: {fingerprint!r}")
    existing = load_waivers(path)
    if fingerprint in existing:
        raise MedlocError(f"finding {fingerprint} is already waived ({existing[fingerprint].reason})",
                          path=str(path))
    waiver = Waiver(fingerprint, reason.strip(), by, today or datetime.now(UTC).date().isoformat())
    lines = [f"[waivers.{_toml_string(fingerprint)}]"]
    for key, value in {**waiver.to_dict(), **(about or {})}.items():
        lines.append(f"{key} = {_toml_string(value)}")
    old = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    text = old.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    tomllib.loads(text)  # never write a file we could not read back
    atomic_write_text(path, text)
    return waiver
