"""The run summary in Markdown: whole in out/summary.md, a bounded digest for the Prefect artifact."""

from __future__ import annotations

from medloc.pipeline import ArticleResult
from medloc.summary import RunSummary


def _summary() -> RunSummary:
    articles = [ArticleResult(f"source_articles/{name}.html", slug=name, format="html", segments=3, words=40)
                for name in ("a-cached", "b-new", "c-cached", "d-new")]
    broken = "source_articles/e-broken.html"
    articles.append(ArticleResult(broken, error=f"{broken}:1: bad"))
    return RunSummary(articles, cached=["a-cached", "c-cached"], seconds=1.5)


def _listed(markdown: str) -> list[str]:
    return [line.split("|")[1].strip() for line in markdown.splitlines()
            if line.startswith("| ") and not line.startswith("| article")]


def test_the_file_lists_every_article_by_origin() -> None:
    markdown = _summary().to_markdown()
    assert _listed(markdown) == ["a-cached", "b-new", "c-cached", "d-new", "source_articles/e-broken.html"]
    assert "more article(s)" not in markdown


def test_the_digest_lists_failures_then_this_runs_articles_then_unchanged_ones_up_to_the_limit() -> None:
    summary = _summary()
    assert _listed(summary.to_markdown(limit=3)) == ["source_articles/e-broken.html", "b-new", "d-new"]
    assert "… and 2 more article(s): see summary.md" in summary.to_markdown(limit=3)
    assert _listed(summary.to_markdown(limit=4))[-1] == "a-cached"
    whole = summary.to_markdown(limit=5)
    assert len(_listed(whole)) == 5 and "more article(s)" not in whole
    assert "5 article(s) processed" not in whole and "4 article(s) processed, 1 failed" in whole


def test_the_digest_bounds_every_list_and_puts_what_needs_attention_first() -> None:
    """A 1,000-article run's page lists made the artifact 650 KB although its article table was cut."""
    summary = _summary()
    summary.publish = {
        "output_dir": "publish",
        "published": [f"es/new-{n}.html" for n in range(3)],
        "unchanged": [],
        "stale": [{"page": "fr/b-new.html", "reason": "1 critical finding (numbers)"}],
        "skipped": [{"page": f"de/page-{n}.html", "reason": "0 % translated"} for n in range(4000)],
        "withdrawn": [],
        "escaped": [],
        "errors": ["publish/es/x.html: disk full"],
    }
    summary.source_errors = [f"source_articles/bad-{n}.html:1: not UTF-8" for n in range(500)]
    whole = summary.to_markdown()
    assert whole.count("- not published: ") == 4000 and whole.count("not UTF-8") == 500
    digest = summary.to_markdown(limit=3)
    pages = [line for line in digest.splitlines() if line.startswith("- ") and ".html" in line
             and "not UTF-8" not in line]
    assert pages == ["- **error**: publish/es/x.html: disk full",
                     "- **stale** (last good page kept): fr/b-new.html: 1 critical finding (numbers)",
                     "- written: es/new-0.html"]
    assert "- … and 4002 more page line(s)" in digest and "- … and 497 more source(s)" in digest
    assert digest.count("not UTF-8") == 3 and len(digest) < 2_000
