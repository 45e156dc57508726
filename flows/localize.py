"""The `localize` flow: sources → per-article pipeline → run summary.

Thin on purpose: every decision about an article lives in `medloc.pipeline`; this module only says
what runs, in parallel, skipped when unchanged (`medloc.incremental`), and what is logged and
shown as artifacts.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, get_current_settings, temporary_settings
from prefect.utilities.annotations import quote

from flows.batches import run_articles
from medloc.batching import choose_runner, validate_flow_settings
from medloc.config import Settings, load_settings
from medloc.fsutil import project_lock, sweep_temporary_files
from medloc.gcpause import frozen_heap, paused_gc
from medloc.incremental import ArticleState
from medloc.model import MedlocError, SourceDocument
from medloc.pipeline import ArticleResult, prepare_article_resources, release_article_resources, slug_of
from medloc.progress import stage
from medloc.report.markdown import DIGEST_ROWS
from medloc.sources.folder import scan_folder
from medloc.sources.remote import fetch_remote
from medloc.summary import RunSummary, write_summary
from medloc.withdraw import SourceHealth, Withdrawal, plan_withdrawal, withdraw_outputs


@task(name="project-qa")
def project_qa(settings: Settings) -> dict[str, Any]:
    """Project-wide checks once per run over the per-article findings; writes out/reports/."""
    from medloc.qastage import qa_run

    return qa_run(settings)


@task(name="publish", cache_policy=NO_CACHE)
def publish(settings: Settings, documents: list[SourceDocument], qa: dict[str, Any]) -> dict[str, Any]:
    """Pages of the article × locale pairs that passed the QA gate, and the manifest (medloc.publish)."""
    from medloc.publish import publish_after_qa

    return publish_after_qa(settings, documents, qa["counts"])


@task(name="collect-sources")
def collect_sources(
        settings: Settings) -> tuple[list[SourceDocument], list[str], dict[str, int], SourceHealth]:
    """Folder and remote documents, minus those whose slug another document already claimed, and
    what the run could not see of its sources (an article missing there is not withdrawn)."""
    scan = scan_folder(settings)
    documents, errors = list(scan.documents), [str(e) for e in scan.errors]
    source_root = str(settings.path(settings.project.source_dir))
    health = SourceHealth(folder_ok=not any(e.path == source_root for e in scan.errors),
                          unreadable={e.path for e in scan.errors if e.path})
    remote_stats: dict[str, int] = {}
    if settings.sources.urls or settings.sources.sitemaps or settings.sources.feeds:
        remote = fetch_remote(settings)
        documents += remote.documents
        errors += [str(e) for e in remote.errors]
        health.remote_ok = not remote.errors
        health.unreadable |= {e.path for e in remote.errors if e.path}
        remote_stats = {
            "fetched": remote.stats.fetched,
            "not_modified": remote.stats.not_modified,
            "failed": remote.stats.failed,
        }
    claimed: dict[str, str] = {}
    kept: list[SourceDocument] = []
    for document in documents:
        try:
            slug = slug_of(document)
        except MedlocError as exc:
            errors.append(str(exc))
            continue
        if slug in claimed:
            errors.append(
                str(
                    MedlocError(
                        f"slug {slug!r} is already used by {claimed[slug]}; "
                        "give one of them another file name or front-matter slug",
                        path=document.origin,
                    )
                )
            )
            continue
        claimed[slug] = document.origin
        kept.append(replace(document, slug=slug))  # later stages read it instead of re-parsing
    return kept, errors, remote_stats, health


@flow(name="localize", log_prints=False, validate_parameters=False)
def localize(project_dir: str = ".") -> dict[str, object]:
    """Run medloc over the project at `project_dir` and return the run summary (as a dict)."""
    logger = get_run_logger()
    started = time.perf_counter()
    settings = load_settings(Path(project_dir))
    validate_flow_settings(settings.flow)
    from medloc.checks.engine import selected_checks

    selected_checks(settings)  # an unknown check id in [qa] stops the run before anything is written
    with project_lock(
        settings.path(settings.project.state_dir), timeout=settings.catalog.lock_timeout_seconds
    ):
        debris = sweep_temporary_files([settings.path(d) for d in _written_folders(settings)])
        if debris:
            logger.warning("removed %d temporary file(s) left by a killed run", len(debris))
        with paused_gc():  # every source read, every recorded result parsed: see medloc.gcpause
            sources = _read_sources(settings, logger)
        # What exists now (imports, Prefect, the sources and recorded results) is left out of the
        # collections the run's work triggers: see medloc.gcpause.frozen_heap.
        with frozen_heap():
            fresh = _process_articles(settings, sources, logger)
            summary, qa = _report_and_publish(settings, sources, fresh, logger, started)
    _show_artifacts(settings, summary, qa)
    return summary.to_dict()


@dataclass
class _Sources:
    """What a run read before any work: the documents, what could not be read, what was withdrawn,
    and the recorded results of the articles that did not change (`todo`: those that did)."""

    documents: list[SourceDocument]
    errors: list[str]
    remote_stats: dict[str, int]
    state: ArticleState
    withdrawal: Withdrawal
    results: list[ArticleResult] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    todo: list[SourceDocument] = field(default_factory=list)


def _read_sources(settings: Settings, logger: Any) -> _Sources:
    """The sources stage, the withdrawal of articles whose source is gone, and which articles changed."""
    with stage("sources", logger) as step:
        documents, source_errors, remote_stats, health = collect_sources(settings)
        step.done(len(documents), "document(s)", f"{len(source_errors)} error(s)")
    state = ArticleState(settings)
    withdrawal = _withdraw_gone(settings, state, documents, health, logger)
    if withdrawal.error:
        source_errors.append(withdrawal.error)
    sources = _Sources(documents, source_errors, remote_stats, state, withdrawal)
    for document in documents:
        previous = state.unchanged(document, slug_of(document), settings)
        if previous is None:
            sources.todo.append(document)
        else:
            sources.results.append(ArticleResult(**previous))
            sources.cached.append(sources.results[-1].slug or document.origin)
    return sources


def _process_articles(settings: Settings, sources: _Sources, logger: Any) -> list[ArticleResult]:
    """The articles stage over the changed articles; their results recorded for the next run."""
    todo = sources.todo
    runner = choose_runner(settings.flow, len(todo))  # what run_articles uses ("auto" resolved)
    if todo and runner == "threads":
        prepare_article_resources(settings)  # Harper's build overlaps the glossary and catalogs
    if todo and settings.glossary.fix_source:
        # Read only when an article is processed (an unchanged run never needs it: 0.9 s on a
        # 221-concept glossary). A malformed glossary changes every article's fingerprint, so it
        # is always read, and stops the run here, before anything is written.
        from medloc.glossary import load_terminology

        terminology = load_terminology(settings)
        if runner == "threads" and len(todo) > 1:
            # Word forms compiled once, in one thread, before the tasks share it. Not for one
            # article (loaded on its first fix, if it has one: ~0.6 s of lemminflect's lexicon)
            # nor for worker processes (each compiles its own).
            terminology.prepare()
    with stage("articles", logger, total=len(todo)) as step:
        fresh = run_articles(todo, settings, step.advance)
        step.done(len(todo), "article(s)", f"{len(sources.cached)} cached, on {runner}")
    if todo:
        release_article_resources()  # the report needs neither the engines nor the memory
    for document, result in zip(todo, fresh, strict=True):
        if result.ok and result.slug:
            sources.state.record(document, result.slug, settings, result.to_dict())
        elif result.slug:
            sources.state.forget(result.slug)
    sources.state.save()
    return fresh


def _report_and_publish(settings: Settings, sources: _Sources, fresh: list[ArticleResult], logger: Any,
                        started: float) -> tuple[RunSummary, dict[str, Any]]:
    """The QA and publish stages, then the run summary (logged and written to out/summary.*)."""
    with stage("QA", logger) as step:
        qa = project_qa(settings)
        step.done(qa["counts"].get("rows", 0), "article × locale pair(s)", qa["headline"])
    results = sources.results + fresh
    summary = RunSummary(results, sources.errors, sources.remote_stats, sources.cached,
                         time.perf_counter() - started)
    summary.withdrawn, summary.held = sources.withdrawal.withdrawn, sources.withdrawal.held
    summary.qa = qa["counts"]
    with stage("publish", logger) as step:
        # quote(): Prefect walks task parameters for futures to wait on; walking 1,000 documents and
        # the QA table cost ~0.5 s of a one-article run, and there are none in them.
        summary.publish = publish(settings, quote(sources.documents), quote(qa))
        pages = len(summary.publish.get("published", [])) + len(summary.publish.get("unchanged", []))
        step.done(pages, "page(s)", summary.publish["headline"])
    _log_stages(logger, fresh, len(sources.cached))
    for error in [r.error for r in results if r.error] + sources.errors:
        logger.error("%s", error)
    write_summary(summary, settings)
    return summary, qa


def _show_artifacts(settings: Settings, summary: RunSummary, qa: dict[str, Any]) -> None:
    """The run summary, the QA digest and the decisions as Prefect artifacts: digests of
    DIGEST_ROWS rows each (the server keeps every run's artifacts; the files are whole)."""
    out = settings.project.output_dir
    create_markdown_artifact(
        key="medloc-run-summary",
        markdown=summary.to_markdown(limit=DIGEST_ROWS),
        description=f"medloc: articles processed in this run (all of them: {out}/summary.md)",
    )
    create_markdown_artifact(key="medloc-qa-report", markdown=qa["markdown"],
                             description=f"medloc QA: publish decisions and findings (all: {out}/reports/)")
    pairs = qa["counts"].get("rows", 0)  # the report's decisions; the table lists DIGEST_ROWS of them
    cut = f" (the first {len(qa['table'])} of {pairs}: {out}/reports/qa-decisions.json has all)" \
        if len(qa["table"]) < pairs else ""
    create_table_artifact(key="medloc-qa-decisions", table=qa["table"],
                          description=f"medloc QA: one row per article × locale{cut}")


def run_localize(project_dir: str) -> dict[str, object]:
    """`localize` as `medloc run` starts it: without heartbeats when no server watches for them."""
    with heartbeats_only_for_a_server():
        return localize(project_dir=project_dir)


@contextmanager
def heartbeats_only_for_a_server() -> Iterator[None]:
    """Turn Prefect's flow-run heartbeats off while no Prefect server is configured.

    Why: heartbeats let a long-lived server mark a run whose process died as crashed. Prefect's
    embedded server (no PREFECT_API_URL) lives and dies with the run's own process, so nobody can
    act on them, and they cost every run up to a second at its end: the heartbeat thread sleeps in
    1 s steps and the flow joins it (~0.6-1.0 s of a one-edit run's ~5 s, measured on the
    1,000-article benchmark). With PREFECT_API_URL set they stay as configured.
    """
    if get_current_settings().api.url:
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def _withdraw_gone(settings: Settings, state: ArticleState, documents: list[SourceDocument],
                   health: SourceHealth, logger: Any) -> Withdrawal:
    """Take the articles whose source is gone out of the report (their pages come off the site in
    the publish stage); see medloc.withdraw for what is kept and when nothing is withdrawn."""
    from medloc.qa import project_slugs

    withdrawal = plan_withdrawal(settings, state.entries, project_slugs(settings),
                                 [d.slug or slug_of(d) for d in documents], health)
    for slug in withdrawal.withdrawn:
        withdraw_outputs(settings, slug, state.entries.get(slug))
        state.forget(slug)
        logger.warning("withdrawn: %s (its source is gone; its PO files are kept)", slug)
    if withdrawal.withdrawn:
        state.save()  # before the report leaves them out: a killed run never forgets what it withdrew
    return withdrawal


def _log_stages(logger: Any, fresh: list[ArticleResult], cached: int) -> None:
    """Per-article stage times summed over the articles this run processed."""
    totals: dict[str, tuple[int, float]] = {}
    for result in fresh:
        for name, seconds in result.stages.items():
            count, total = totals.get(name, (0, 0.0))
            totals[name] = (count + 1, total + seconds)
    for name, (count, total) in totals.items():
        logger.info("stage %-16s %4d article(s) %8.3f s", name, count, total)
    logger.info("%d article(s) unchanged since the last run (cached)", cached)


def _written_folders(settings: Settings) -> list[str]:
    """Every folder a run writes into (where a killed run can leave a temporary file)."""
    project = settings.project
    return [project.locales_dir, project.output_dir, project.state_dir, settings.publish.output_dir]
