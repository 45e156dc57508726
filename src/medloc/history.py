"""Run comparison: which findings are new, which are still open, which were fixed since last run.

Why store only fingerprints and a few fields: the comparison needs identity (the fingerprint) and
enough to tell a reviewer what was fixed; the full previous report stays in `out/reports/`.
Stored per article in `<state_dir>/qa-history.sqlite` (medloc.historystore), written by the
scheduled run (and `medloc check --record`). This module holds what the comparison itself needs, and
the reader of the single JSON file older versions kept (`qa-previous.json`, read until the first
recording replaces it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from medloc.config import Settings

STATE_FILE = "qa-history.sqlite"
LEGACY_FILE = "qa-previous.json"  # the whole history in one JSON file, as older versions kept it
SCHEMA = "medloc.qa-previous/2"
_SCHEMA_1 = "medloc.qa-previous/1"  # one object per finding; still read


@dataclass(frozen=True, slots=True)
class Previous:
    """A finding of the previous run, as much as the "fixed" list shows."""

    fingerprint: str
    check: str
    severity: str
    article: str
    locale: str
    message: str

    def row(self) -> tuple[str, str, str, str, str, str]:
        """The fields in FIELDS order (dataclasses.astuple deep-copies: 25x slower on 100,000)."""
        return (self.fingerprint, self.check, self.severity, self.article, self.locale, self.message)

    def to_dict(self) -> dict[str, str]:
        return {"fingerprint": self.fingerprint, "check": self.check, "severity": self.severity,
                "article": self.article, "locale": self.locale, "message": self.message}


FIELDS = ("fingerprint", "check", "severity", "article", "locale", "message")  # Previous's, in order
Row = Sequence[str]  # a finding as `Previous.row()` gives it (FIELDS order)


def canonical_text(rows: Iterable[Row]) -> str:
    """Rows as the store keeps them: sorted, one per fingerprint (the last in that order, as the
    comparison's mapping by fingerprint would keep it), JSON lists. Equal texts, equal comparisons."""
    ordered = sorted(tuple(map(str, row)) for row in rows)
    return json.dumps(list({row[0]: row for row in ordered}.values()), ensure_ascii=False)


def rows_digest(rows: Iterable[Row]) -> str:
    """Digest of `canonical_text`: equal for two row lists exactly when they are the same findings."""
    return hashlib.sha256(canonical_text(rows).encode("utf-8")).hexdigest()


EMPTY = rows_digest([])


@dataclass(frozen=True, slots=True)
class ArticleRows:
    """One article's findings as history rows, with their digest (computed once, where they are made:
    a report part keeps it, so a run compares 1,000 digests instead of 100,000 rows)."""

    rows: list[Row]
    digest: str

    @classmethod
    def of(cls, rows: Iterable[Row]) -> ArticleRows:
        listed = list(rows)
        return cls(listed, rows_digest(listed))


def rows_by_article(rows: Iterable[Row]) -> dict[str, ArticleRows]:
    """Rows grouped by their article ("" for project-level findings)."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(str(row[3]), []).append(row)
    return {article: ArticleRows.of(found) for article, found in groups.items()}


def history_path(settings: Settings) -> Path:
    """The history store (medloc.historystore)."""
    return settings.path(settings.project.state_dir) / STATE_FILE


def legacy_path(settings: Settings) -> Path:
    """The JSON file older versions kept the history in: read while the store has no recording."""
    return settings.path(settings.project.state_dir) / LEGACY_FILE


def load_previous(path: Path) -> dict[str, Previous] | None:
    """The findings of an older version's history file by fingerprint; None when there is none (or
    it is unreadable: the next run is then a first run, the baseline).

    Reads both layouts it had: rows (`/2`) and the objects of `/1`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") not in (SCHEMA, _SCHEMA_1):
        return None
    out: dict[str, Previous] = {}
    rows = data.get("findings", [])
    if data["schema"] == SCHEMA and data.get("fields") == list(FIELDS):
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, list) and len(row) == len(FIELDS):
                out[str(row[0])] = Previous(*map(str, row))
        return out
    for item in rows if isinstance(rows, list) else []:
        try:
            out[item["fingerprint"]] = Previous(**{k: str(item[k]) for k in FIELDS})
        except (KeyError, TypeError):
            continue
    return out


def compare(current: Iterable[str], previous: dict[str, Previous] | None,
            in_scope: Iterable[tuple[str, str]] | None = None) -> tuple[set[str], list[Previous]]:
    """(fingerprints that are new, previous findings now fixed).

    `in_scope` (article, locale) pairs limit "fixed" to what this run looked at, so checking one
    locale does not report every other locale's findings as fixed.

    A first run (no previous run) is the baseline: nothing is new, nothing fixed, every finding is
    open. "New" is what appeared since a run a reviewer has seen — on a first run that would be every
    finding, which tells nobody anything, and the next run would then turn every finding from new to
    open although nothing about them changed (and re-render every article's part of the report).
    The headline says "first run" instead of counting new ones.
    """
    now = set(current)
    if previous is None:
        return set(), []
    scope = set(in_scope) if in_scope is not None else None
    locales = {locale for _, locale in scope or ()}

    def looked_at(p: Previous) -> bool:
        if scope is None:
            return True
        return (p.article, p.locale) in scope if p.article else p.locale in locales

    fixed = [p for fp, p in previous.items() if fp not in now and looked_at(p)]
    return now - set(previous), sorted(fixed, key=lambda p: (p.article, p.locale, p.check))
