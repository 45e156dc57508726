"""Documents → articles (segments with exact source spans) and articles + translations → documents.

`extract_article` is the one entry point for every format; `rebuild` the one way back. Both are
pure functions of their inputs: the same bytes always give the same segments in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import PurePosixPath

from medloc.config import Settings
from medloc.extract.decode import decode_source
from medloc.extract.html import extract_html, rebuild_html
from medloc.extract.markdown import extract_markdown, read_front_matter, rebuild_markdown
from medloc.extract.text import extract_text, rebuild_text
from medloc.model import SLUG, Article, MedlocError, Segment, SourceFormat

FORMATS: dict[str, SourceFormat] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}
RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"})

__all__ = ["FORMATS", "article_format", "extract_article", "rebuild", "validate_slug"]


def article_format(name: str, media_type: str | None = None, path: str | None = None) -> SourceFormat:
    """The format by file extension, else by media type; errors name `path` (default: `name`)."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if media_type:
        if "html" in media_type:
            return "html"
        if "markdown" in media_type:
            return "markdown"
        if media_type.startswith("text/plain"):
            return "text"
    raise MedlocError(
        f"unsupported file type {suffix or '(none)'}: use .html, .md or .txt", path=path or name
    )


def validate_slug(slug: str, path: str, where: str = "file name") -> str:
    if not SLUG.fullmatch(slug) or len(slug) > 120:
        raise MedlocError(
            f"invalid slug {slug!r} from the {where}: use lowercase letters, digits and hyphens "
            "([a-z0-9][a-z0-9-]*, at most 120 characters)",
            path=path,
        )
    return slug


def extract_article(
    name: str,
    data: bytes,
    settings: Settings,
    *,
    origin: str | None = None,
    media_type: str | None = None,
    charset: str | None = None,
    slug: str | None = None,
) -> Article:
    """Decode and extract one document. `name` gives format and default slug; `origin` is shown in errors."""
    path = origin or name
    limit = settings.project.max_file_bytes
    if len(data) > limit:
        raise MedlocError(
            f"file is {len(data):,} bytes, over the limit of {limit:,} (project.max_file_bytes)", path=path
        )
    fmt = article_format(name, media_type, path)
    text = decode_source(data, path, http_charset=charset, is_html=fmt == "html")
    if not text.strip():
        raise MedlocError("empty article: the file has no text", path=path)
    stem = PurePosixPath(name).stem
    if fmt == "markdown":
        front, body_start = read_front_matter(text, path)
        front_slug = front.get("slug")
        final_slug = (
            validate_slug(str(front_slug), path, "front matter")
            if front_slug is not None
            else validate_slug(slug or stem, path)
        )
        return extract_markdown(text, slug=final_slug, path=path, front=front, body_start=body_start)
    final_slug = validate_slug(slug or stem, path)
    if fmt == "html":
        return extract_html(
            text,
            slug=final_slug,
            path=path,
            include=settings.extract.include,
            exclude=settings.extract.exclude,
        )
    return extract_text(text, slug=final_slug, path=path)


def rebuild(
    article: Article,
    translations: Mapping[int, str] | Callable[[Segment], str | None],
    locale: str | None,
) -> str:
    """The article's source with translations spliced in; untranslated segments fall back to the source.

    `translations` maps segment index → text, or is a function of the segment. The target language
    is written where the format has a place for it (HTML `lang`/`dir`, Markdown front matter);
    `locale=None` leaves the language as it is (identity rebuilds).
    """
    if callable(translations):
        translate = translations
    else:
        mapping = translations

        def translate(segment: Segment) -> str | None:
            return mapping.get(segment.index)

    if article.format == "html":
        rtl = locale is not None and locale.split("_")[0].split("-")[0] in RTL_LANGUAGES
        return rebuild_html(article, translate, locale, rtl=rtl)
    if article.format == "markdown":
        return rebuild_markdown(article, translate, locale)
    return rebuild_text(article, translate)
