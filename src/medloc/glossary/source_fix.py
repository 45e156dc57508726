"""Fix a whole article: every segment through the fixer, the source rebuilt, the result re-extracted.

The fixed source is a real document an editor can open (and `medloc fix --write` saves); later
stages see the re-extracted article, so catalogs, QA and publishing all work from corrected text.
Every change becomes a `Fix` record: the editor's change list, the QA report's log, a PO comment.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from medloc.config import Settings
from medloc.extract import extract_article, rebuild
from medloc.glossary.fixer import fix_text
from medloc.glossary.terminology import Terminology
from medloc.model import Article, MedlocError

_SUFFIX = {"html": ".html", "markdown": ".md", "text": ".txt"}


@dataclass(frozen=True, slots=True)
class Fix:
    """One source rewrite: which article and block, what it said before and after."""

    article: str
    path: str
    segment: int
    block: str
    line: int
    before: str
    after: str
    concept: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} [{self.block}] {self.before!r} → {self.after!r} ({self.concept})"

    def comment(self) -> str:
        """The text of a PO `#.` comment recording this fix for translators."""
        return f"glossary fix: \"{self.before}\" → \"{self.after}\" ({self.concept})"


@dataclass(frozen=True, slots=True)
class ArticleFix:
    """`article` is the fixed, re-extracted article; `source` its document text."""

    article: Article
    source: str
    fixes: tuple[Fix, ...]

    @property
    def changed(self) -> bool:
        return bool(self.fixes)

    def comments_for(self, segment_index: int) -> list[str]:
        """PO comment lines for one segment (the catalog writer adds them as `#.`)."""
        return [f.comment() for f in self.fixes if f.segment == segment_index]


def fix_article(terms: Terminology, article: Article, settings: Settings) -> ArticleFix:
    """Apply the glossary's source fixes to one article; unchanged articles come back as they were."""
    replacements: dict[int, str] = {}
    fixes: list[Fix] = []
    for segment in article.segments:
        result = fix_text(terms, segment.text)
        if not result.changes:
            continue
        replacements[segment.index] = result.text
        fixes.extend(
            Fix(article.slug, article.path, segment.index, segment.reference, segment.line,
                change.before, change.after, change.concept)
            for change in result.changes
        )
    if not fixes:
        return ArticleFix(article, article.text, ())
    source = rebuild(article, replacements, None)
    fixed = extract_article(
        article.slug + _SUFFIX[article.format], source.encode("utf-8"), settings,
        origin=article.path, charset="utf-8", slug=article.slug,
    )
    if len(fixed.segments) != len(article.segments):
        raise MedlocError(
            f"glossary fixes changed the article's structure ({len(article.segments)} → "
            f"{len(fixed.segments)} segments); please report this with the article",
            path=article.path,
        )
    return ArticleFix(fixed, source, tuple(fixes))


def write_fix_log(result: ArticleFix, settings: Settings) -> Path:
    """`out/glossary-fixes/<slug>.json`: the fix log the QA report and editors read."""
    from medloc.fsutil import atomic_write_text

    out = settings.path(settings.project.output_dir) / "glossary-fixes" / f"{result.article.slug}.json"
    payload = {"article": result.article.slug, "path": result.article.path,
               "fixes": [asdict(f) for f in result.fixes]}
    atomic_write_text(out, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    return out
