"""One article through every stage, as plain functions on plain data (no Prefect here).

The Prefect flow in `flows/` decides what runs, in parallel, cached and retried; this module decides
what a run *does* to one article. Each stage appends its timing and outputs to the `ArticleResult`,
and a failing article yields a result carrying the error instead of stopping the run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from medloc.config import Settings
from medloc.extract import extract_article, validate_slug
from medloc.extract.markdown import read_front_matter
from medloc.fsutil import atomic_write_text
from medloc.model import Article, MedlocError, SourceDocument


@dataclass
class ArticleResult:
    """What happened to one article in one run (JSON-serialisable for summaries and Prefect)."""

    origin: str
    slug: str | None = None
    format: str | None = None
    segments: int = 0
    words: int = 0
    outputs: list[str] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@contextmanager
def stage(result: ArticleResult, name: str) -> Iterator[None]:
    """Time a stage; the figure lands in the run summary and the flow's logs."""
    started = time.perf_counter()
    try:
        yield
    finally:
        result.stages[name] = round(time.perf_counter() - started, 4)


def slug_of(document: SourceDocument) -> str:
    """The slug a document will get, computed cheaply (to catch two files claiming one slug)."""
    if document.slug:
        return validate_slug(document.slug, document.origin)
    name = Path(document.name)
    if name.suffix.lower() in (".md", ".markdown"):
        try:
            front, _ = read_front_matter(document.data.decode("utf-8-sig", errors="replace"), document.origin)
        except MedlocError:
            front = {}
        if front.get("slug") is not None:
            return validate_slug(str(front["slug"]), document.origin, "front matter")
    return validate_slug(name.stem, document.origin)


def process_document(document: SourceDocument, settings: Settings) -> ArticleResult:
    """Run every stage for one document; never raises for a bad article."""
    result = ArticleResult(origin=document.origin)
    try:
        with stage(result, "extract"):
            article = extract_article(
                document.name,
                document.data,
                settings,
                origin=document.origin,
                media_type=document.media_type,
                charset=document.charset,
                slug=document.slug,
            )
        result.slug, result.format = article.slug, article.format
        if settings.glossary.fix_source:
            with stage(result, "glossary-fix"):
                from medloc.glossary import fix_article, load_terminology, write_fix_log

                fixed = fix_article(load_terminology(settings), article, settings)
                article = fixed.article
                result.notes.extend(f"glossary fix: {fix}" for fix in fixed.fixes)
                if fixed.changed:
                    result.outputs.append(str(write_fix_log(fixed, settings)))
        result.segments, result.words = len(article.segments), article.word_count()
        with stage(result, "write-segments"):
            result.outputs.append(write_segments(article, settings))
        with stage(result, "catalogs"):
            from medloc.catalog import update_catalogs

            catalogs = update_catalogs(article, settings)
            result.outputs.extend(catalogs.written)
            result.notes.extend(f"catalog: {problem}" for problem in catalogs.problems)
        with stage(result, "qa"):  # per-article checks; project-wide ones run once in the flow
            from medloc.qa import qa_stage

            result.outputs.append(qa_stage(article, settings))
    except MedlocError as exc:
        result.error = str(exc)
    except Exception as exc:  # a bug must not hide the other articles' results; report it loudly
        result.error = f"{document.origin}: internal error {type(exc).__name__}: {exc}"
    return result


def segments_payload(article: Article) -> dict[str, object]:
    """The JSON form of an extraction, shared by `medloc extract --json` and `out/segments/`."""
    return {
        "slug": article.slug,
        "path": article.path,
        "format": article.format,
        "title": article.title,
        "segments": [
            {"index": s.index, "kind": s.kind.value, "line": s.line, "element": s.element, "text": s.text}
            for s in article.segments
        ],
    }


def write_segments(article: Article, settings: Settings) -> str:
    """`out/segments/<slug>.json`: what an editor or a script can inspect of the extraction."""
    out = settings.path(settings.project.output_dir) / "segments" / f"{article.slug}.json"
    payload = segments_payload(article)
    atomic_write_text(out, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    return str(out.relative_to(settings.root)) if out.is_relative_to(settings.root) else str(out)


def prepare_article_resources(settings: Settings) -> bool:
    """Start building, in the background, what this process's articles will need and what can be
    built alongside other work: the source language's offline grammar engine (Harper for English:
    ~0.65 s, outside the GIL), when no LanguageTool server is configured and the source grammar is
    checked. Returns whether a build started. For runs whose articles are checked in this process
    (threads); worker processes build their own."""
    from medloc.checks.engine import selected_checks
    from medloc.engines.grammar import prewarm_offline_engine

    qa = settings.qa
    if not qa.offline_grammar or qa.languagetool_url:
        return False
    if "source-grammar" not in {check.id for check in selected_checks(settings)}:
        return False
    language = settings.project.source_locale.replace("-", "_").split("_")[0].lower()
    return prewarm_offline_engine(language)


def release_article_resources() -> None:
    """Drop what processing articles loaded in this process: the checks' runners and grammar
    engines, the translation memory. Not the compiled glossary (`load_terminology`): under a megabyte, and
    publishing applies its source fixes to the articles this run changed (reading it again: ~0.4 s).

    Why: the flow's process goes on to the project report, which needs none of them; freed, their
    memory is reused by the report instead of the process growing past both (on the 1,000-article
    benchmark's one-edit run: ~70 MB off the peak). A later run in the same process (`medloc serve`)
    loads them again, ~1-2 s.
    """
    import gc

    from medloc import projectmemory, qa
    from medloc.engines import grammar

    qa.forget_runners()
    projectmemory.forget_instances()
    grammar.forget_engines()
    gc.collect()
