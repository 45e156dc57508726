"""The runner: PO entries and source segments become `Unit`s, the selected checks run over them.

Why a separate runner: checks stay tiny (one unit in, findings out) while everything they share —
which checks are on (settings, with unknown ids as errors), `ignore-<id>` flags, engine statuses,
where a unit came from — is handled once here. The inner loop does nothing per unit beyond calling
the checks, so the runner costs no more than the checks themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from medloc.checks.base import Check, CheckContext, ProjectCheck, Unit
from medloc.checks.registry import select_checks
from medloc.checks.status import STATUS_OPTION, EngineStatus, engine_statuses
from medloc.config import Settings
from medloc.model import Article, BlockKind, Finding, MedlocError
from medloc.po import Entry, POFile
from medloc.stats import Counts, count_entries

_KINDS = {k.value: k for k in BlockKind}
AnyCheck = Check | ProjectCheck


def selected_checks(settings: Settings) -> list[AnyCheck]:
    """The checks the project's settings turn on; an unknown id names the settings file."""
    return select_checks(settings.qa.enable, settings.qa.disable, origin=f"{settings.origin} [qa]")


def build_context(settings: Settings | None, *, terminology: object | None = None) -> CheckContext:
    """Resources the checks consult, made once per run.

    The glossary is loaded when the project has one (a check needing it reports nothing otherwise).
    Engines (spellers, grammar clients) are attached by `medloc.engines.attach(settings, context)`
    when that module provides it; engine-backed checks report availability through
    `medloc.checks.status.report_engine`.
    """
    context = CheckContext(terminology=terminology, options={STATUS_OPTION: []})
    if settings is None:
        return context
    context.options["settings"] = settings
    if terminology is None and settings.path(settings.project.glossary_dir).is_dir():
        from medloc.glossary import load_terminology

        context.terminology = load_terminology(settings)
    try:
        import medloc.engines as engines
    except ImportError:
        engines = None  # type: ignore[assignment]
    attach = getattr(engines, "attach", None)
    if callable(attach):
        attach(settings, context)
    return context


def _kind(entry: Entry) -> BlockKind | None:
    if entry.extracted:
        return _KINDS.get(entry.extracted[0].split(" ", 1)[0])
    return None


def units_from_po(po: POFile, *, article: str, locale: str, source_locale: str = "en") -> list[Unit]:
    """Translation units of a PO file: obsolete entries skipped, one unit per plural form."""
    units: list[Unit] = []
    for e in po.entries:
        if e.obsolete or not e.msgid:
            continue
        flags = frozenset(e.flags)
        reference = e.references[0] if e.references else ""
        common = dict(locale=locale, source_locale=source_locale, article=article, kind=_kind(e),
                      fuzzy="fuzzy" in flags, flags=flags, context=e.msgctxt, reference=reference,
                      line=e.line)
        if e.msgid_plural is None:
            units.append(Unit(e.msgid, e.msgstr, **common))  # type: ignore[arg-type]
            continue
        forms = e.msgstr_plural or {0: ""}
        for n, text in sorted(forms.items()):
            units.append(Unit(e.msgid if n == 0 else e.msgid_plural, text, **common))  # type: ignore[arg-type]
    return units


def units_from_template(po: POFile, *, article: str, source_locale: str = "en") -> list[Unit]:
    """Source units from a POT file (what `medloc check` uses when it has no extracted article)."""
    return [
        Unit(e.msgid, "", locale=source_locale, source_locale=source_locale, article=article,
             kind=_kind(e), flags=frozenset(e.flags), context=e.msgctxt,
             reference=e.references[0] if e.references else "", line=e.line)
        for e in po.entries
        if not e.obsolete and e.msgid
    ]


def units_from_article(article: Article, source_locale: str = "en") -> list[Unit]:
    """Source units from extracted segments: one per distinct text, as in the POT."""
    seen: set[str] = set()
    units: list[Unit] = []
    for seg in article.segments:
        if not seg.text.strip() or seg.text in seen:
            continue
        seen.add(seg.text)
        units.append(Unit(seg.text, "", locale=source_locale, source_locale=source_locale,
                          article=article.slug, kind=seg.kind, reference=f"{article.path}:{seg.line}",
                          line=seg.line))
    return units


def _located(finding: Finding, unit: Unit) -> Finding:
    """Add where the unit is (PO line, reference, msgctxt) so a translator can jump to it."""
    extra = dict(finding.extra)
    if unit.line:
        extra.setdefault("line", str(unit.line))
    if unit.reference:
        extra.setdefault("reference", unit.reference)
    if unit.context:
        extra.setdefault("msgctxt", unit.context)
    if not finding.article and unit.article:
        return replace(finding, article=unit.article, extra=extra)
    return replace(finding, extra=extra)


@dataclass
class Runner:
    """Runs per-unit checks of one scope and collects ProjectCheck units for one pass at the end."""

    checks: Sequence[AnyCheck]
    context: CheckContext = field(default_factory=CheckContext)

    def __post_init__(self) -> None:
        self.context.options.setdefault(STATUS_OPTION, [])
        self._unit_checks = {
            scope: [(c, f"ignore-{c.id}") for c in self.checks if isinstance(c, Check) and c.scope == scope]
            for scope in ("translation", "source")
        }
        self._project_checks = [c for c in self.checks if isinstance(c, ProjectCheck)]

    def run(self, units: Iterable[Unit], scope: str = "translation") -> list[Finding]:
        """Findings of the per-unit checks of `scope` on `units`, honouring `ignore-<id>` flags.

        A check with `run_many` (the engine-backed grammar checks) gets all units at once, so it can
        send few large requests to its engine instead of one per segment.
        """
        checks = self._unit_checks.get(scope, [])
        context = self.context
        units = list(units)
        found: list[Finding] = []
        batched = [(c, i) for c, i in checks if hasattr(c, "run_many")]
        single = [(c, i) for c, i in checks if not hasattr(c, "run_many")]
        for unit in units:
            flags = unit.flags
            for check, ignore in single:
                if flags and ignore in flags:
                    continue
                for finding in check.run(unit, context):
                    found.append(_located(finding, unit))
        for check, ignore in batched:
            chosen = [u for u in units if not u.flags or ignore not in u.flags]
            by_text = {(u.article, u.locale, u.source, u.target): u for u in chosen}
            for finding in check.run_many(chosen, context):  # type: ignore[attr-defined]
                unit = by_text.get((finding.article, finding.locale, finding.source, finding.target))
                found.append(_located(finding, unit) if unit is not None else finding)
        return found

    def run_project(self, units: Sequence[Unit], scope: str = "translation",
                    options: Mapping[str, object] | None = None) -> list[Finding]:
        """ProjectChecks of `scope` over every unit of the project at once: the translated, reviewed
        ones (the `ProjectCheck` contract), so a check sees the same units whether they were just read
        or come from the project-units cache. `options` are added to the context's for this pass only
        (what the cache kept for a check, e.g. `consistency.NORMAL_FORMS`)."""
        found: list[Finding] = []
        reviewed = [u for u in units if u.reviewed]
        context = self.context
        if options:
            context = replace(context, options={**context.options, **options})
        for check in self._project_checks:
            if check.scope != scope:
                continue
            chosen = [u for u in reviewed if not u.flags or f"ignore-{check.id}" not in u.flags]
            found.extend(check.run_all(chosen, context))
        return found

    @property
    def has_project_checks(self) -> bool:
        return bool(self._project_checks)

    def mark(self) -> int:
        """Where the engine-status list is now; `engine_statuses(mark)` gives what came after."""
        recorded = self.context.options.get(STATUS_OPTION) or []
        return len(recorded)  # type: ignore[arg-type]

    def engine_statuses(self, start: int = 0) -> list[EngineStatus]:
        return engine_statuses(self.context, start)


@dataclass
class LocaleUnits:
    """One article × locale: its units, progress counts, and why it could not be read (if so)."""

    article: str
    locale: str
    path: str
    units: list[Unit]
    counts: Counts | None
    error: str | None = None


def read_locale_units(settings: Settings, slug: str, locale: str, template: POFile | None) -> LocaleUnits:
    """The PO file of `slug` in `locale`; a missing file counts as all untranslated."""
    from medloc.catalog import po_path, read_catalog

    path = po_path(settings, locale, slug)
    rel = _rel(settings, path)
    source_locale = settings.project.source_locale
    if not path.is_file():
        counts = count_entries(template.entries) if template else None
        return LocaleUnits(slug, locale, rel, [], counts, "no PO file yet")
    try:
        po = read_catalog(path)
    except MedlocError as exc:
        return LocaleUnits(slug, locale, rel, [], None, str(exc))
    units = units_from_po(po, article=slug, locale=locale, source_locale=source_locale)
    return LocaleUnits(slug, locale, rel, units, count_entries(po.entries))


def _rel(settings: Settings, path: Path) -> str:
    return str(path.relative_to(settings.root)) if path.is_relative_to(settings.root) else str(path)
