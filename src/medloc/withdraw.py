"""Articles whose source is gone: taken out of the QA report and off the site, translations kept.

Why: this is medical content. An article its editors removed (advice withdrawn, a recalled drug)
must not stay on the site in four languages because a template and a QA record were left behind:
before, it stayed in the report and its published pages stayed up (marked stale only).

What withdrawing an article does (in the flow, before the QA stage): its template and the outputs
its last result lists (its QA record, segments, glossary-fix log) are deleted and its record is
forgotten, so the project report no longer lists it; publishing then deletes its pages and manifest
entries (`medloc.publish`: an entry whose article is neither in the report nor among the sources).
Its PO files stay in `locales/`: translators' work, still in the translation memory, merged again if
the article comes back under the same slug.

Safety, because a missing folder looks like every article removed:
- a source that could not be read is not gone (its error is reported; its pages stay);
- a source folder that is missing withdraws nothing from the folder, and a remote fetch with any
  error withdraws nothing fetched remotely (a sitemap that failed lists no pages);
- more than `[sources] max_withdrawn` articles gone at once withdraws nothing (a folder not mounted,
  a half-finished sync): the run says which and how to go on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medloc.catalog import template_path
from medloc.config import Settings
from medloc.model import MedlocError


@dataclass
class SourceHealth:
    """What the run could not see of its sources: their absence means nothing about an article."""

    folder_ok: bool = True  # the source folder exists (was scanned)
    remote_ok: bool = True  # every remote source answered (or none configured)
    unreadable: set[str] = field(default_factory=set)  # origins whose reading failed


@dataclass
class Withdrawal:
    """The articles withdrawn by a run, and those gone but held back by the limit (with why)."""

    withdrawn: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    error: str | None = None


def is_remote(origin: str) -> bool:
    return origin.startswith(("http://", "https://"))


def gone_articles(recorded: dict[str, dict[str, Any]], templates: Iterable[str], present: Iterable[str],
                  health: SourceHealth) -> list[str]:
    """Slugs of articles known to the project whose source the run did not find, leaving out every
    article whose absence may be the run's blindness (see above). Known: processed before
    (`recorded`: ArticleState's entries, with their origin) or with a template (an article whose
    last processing failed has no entry; its origin unknown, it is withdrawn only when the run saw
    every source)."""
    here = set(present)
    everything_seen = health.folder_ok and health.remote_ok and not health.unreadable
    gone = []
    for slug in sorted(set(recorded) | set(templates)):
        if slug in here:
            continue
        entry = recorded.get(slug)
        if entry is None:
            if everything_seen:
                gone.append(slug)
            continue
        origin = str(entry.get("origin", ""))
        if origin in health.unreadable or not (health.remote_ok if is_remote(origin) else health.folder_ok):
            continue
        gone.append(slug)
    return gone


def plan_withdrawal(settings: Settings, recorded: dict[str, dict[str, Any]], templates: Iterable[str],
                    present: Iterable[str], health: SourceHealth) -> Withdrawal:
    """Which articles to withdraw now: all that are gone, unless they are more than the limit."""
    limit = settings.sources.max_withdrawn
    if limit < 0:  # before anything is withdrawn: a negative limit would hold every run's sources
        raise MedlocError(f"setting 'sources.max_withdrawn' must be 0 or more, got {limit}",
                          path=settings.origin)
    gone = gone_articles(recorded, templates, present, health)
    if len(gone) <= limit:
        return Withdrawal(withdrawn=gone)
    shown = ", ".join(gone[:5]) + (f" and {len(gone) - 5} more" if len(gone) > 5 else "")
    return Withdrawal(held=gone, error=(
        f"{len(gone)} articles' sources are gone ({shown}): nothing withdrawn, more than "
        f"[sources] max_withdrawn = {limit} at once looks like a source folder not mounted or a sync "
        "half done. Restore the sources, or raise max_withdrawn for one run to withdraw them."))


def withdraw_outputs(settings: Settings, slug: str, entry: dict[str, Any] | None) -> list[Path]:
    """Delete the article's template and the outputs its last result lists (`entry`: its
    ArticleState record, if any); never a PO file. Returns what was deleted. A file already gone is
    no error (a run killed halfway redoes it)."""
    paths = [template_path(settings, slug)]
    result = (entry or {}).get("result")
    outputs = result.get("outputs", []) if isinstance(result, dict) else []
    paths += [settings.root / str(o) for o in outputs if not str(o).endswith(".po")]
    out = settings.path(settings.project.output_dir)
    paths += [out / "qa" / f"{slug}.json", out / "glossary-fixes" / f"{slug}.json"]
    deleted = []
    for path in dict.fromkeys(paths):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            deleted.append(path)
    return deleted


__all__ = ["SourceHealth", "Withdrawal", "gone_articles", "is_remote", "plan_withdrawal", "withdraw_outputs"]
