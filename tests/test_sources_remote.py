"""Remote sources against a real HTTP server on 127.0.0.1 serving the shared NCI corpus.

No mocks: every test runs `fetch_remote` through httpx against pytest-httpserver and then looks at
what the server saw (request headers, status codes, how many attempts) as well as what came back.
"""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from medloc.config import ProjectSettings, Settings, SourcesSettings
from medloc.model import MedlocError
from medloc.sources.http_cache import CACHE_FOLDER, HttpCache
from medloc.sources.remote import SLUG_PATTERN, RemoteFetch, fetch_remote, slug_from_url

CORPUS = Path("/work/shared/corpus/nci-press-releases-en-es")
HTML = "text/html; charset=utf-8"


def page(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def make_settings(
    tmp_path: Path,
    *,
    urls: list[str] | None = None,
    sitemaps: list[str] | None = None,
    feeds: list[str] | None = None,
    retries: int = 0,
    timeout: float = 5.0,
    max_bytes: int = 5_000_000,
) -> Settings:
    return Settings(
        project=ProjectSettings(state_dir=".medloc", max_file_bytes=max_bytes),
        sources=SourcesSettings(
            urls=urls or [],
            sitemaps=sitemaps or [],
            feeds=feeds or [],
            retries=retries,
            timeout_seconds=timeout,
        ),
        root=tmp_path,
    )


def fetch(settings: Settings) -> RemoteFetch:
    return fetch_remote(settings, backoff_seconds=0.01)


def serve_pages(httpserver: HTTPServer, names: dict[str, str]) -> None:
    for path, corpus_name in names.items():
        httpserver.expect_request(path).respond_with_data(page(corpus_name), content_type=HTML)


def statuses(httpserver: HTTPServer, path: str) -> list[int]:
    return [response.status_code for request, response in httpserver.log if request.path == path]


def free_port() -> int:
    """A port nothing listens on (bound then released), for a real "connection refused"."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- pages, sitemaps, feeds ----------------------------------------------------------------------


def test_page_urls_are_fetched_as_documents(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve_pages(
        httpserver, {"/news/MPACTlaunch": "en/pr01.html", "/noticias/estudioMPACT.html": "es/pr01.html"}
    )
    urls = [httpserver.url_for("/news/MPACTlaunch"), httpserver.url_for("/noticias/estudioMPACT.html")]

    result = fetch(make_settings(tmp_path, urls=urls))

    assert result.errors == []
    assert [d.slug for d in result.documents] == ["mpactlaunch", "estudiompact"]
    assert [d.name for d in result.documents] == ["mpactlaunch.html", "estudiompact.html"]
    assert [d.origin for d in result.documents] == urls
    assert result.documents[0].data == page("en/pr01.html")
    assert result.documents[1].data == page("es/pr01.html")
    assert {(d.media_type, d.charset) for d in result.documents} == {("text/html", "utf-8")}
    assert (result.stats.fetched, result.stats.not_modified, result.stats.failed) == (2, 0, 0)


def test_sitemap_index_leads_to_every_page_once(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve_pages(httpserver, {f"/news/pr0{i}": f"en/pr0{i}.html" for i in (1, 2, 3)})
    index = f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{httpserver.url_for("/sitemap-1.xml")}</loc></sitemap>
  <sitemap><loc>{httpserver.url_for("/sitemap-2.xml.gz")}</loc></sitemap>
  <sitemap><loc>{httpserver.url_for("/sitemap-index.xml")}</loc></sitemap>
</sitemapindex>"""
    first = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{httpserver.url_for("/news/pr01")}</loc><lastmod>2014-01-30</lastmod></url>
  <url><loc>{httpserver.url_for("/news/pr02")}</loc></url>
</urlset>"""
    second = f"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{httpserver.url_for("/news/pr02")}</loc></url>
  <url><loc>{httpserver.url_for("/news/pr03")}</loc></url>
</urlset>"""
    httpserver.expect_request("/sitemap-index.xml").respond_with_data(index, content_type="application/xml")
    httpserver.expect_request("/sitemap-1.xml").respond_with_data(first, content_type="application/xml")
    httpserver.expect_request("/sitemap-2.xml.gz").respond_with_data(
        gzip.compress(second.encode()), content_type="application/gzip"
    )

    result = fetch(make_settings(tmp_path, sitemaps=[httpserver.url_for("/sitemap-index.xml")]))

    assert result.errors == []
    assert [d.slug for d in result.documents] == ["pr01", "pr02", "pr03"]
    assert [d.data for d in result.documents] == [page(f"en/pr0{i}.html") for i in (1, 2, 3)]
    # The index lists itself: read once, not forever; pr02 is in both sitemaps: fetched once.
    assert len(statuses(httpserver, "/sitemap-index.xml")) == 1
    assert len(statuses(httpserver, "/news/pr02")) == 1


def test_rss_items_are_fetched(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve_pages(httpserver, {"/news/pr04": "en/pr04.html", "/news/pr05": "en/pr05.html"})
    rss = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
  <title>NCI press releases</title><link>{httpserver.url_for("/")}</link>
  <item><title>Four</title><link>{httpserver.url_for("/news/pr04")}</link></item>
  <item><title>Five</title><guid isPermaLink="true">{httpserver.url_for("/news/pr05")}</guid></item>
  <item><title>No link at all</title><guid isPermaLink="false">tag:nci,2014:1</guid></item>
</channel></rss>"""
    httpserver.expect_request("/feed.rss").respond_with_data(rss, content_type="application/rss+xml")

    result = fetch(make_settings(tmp_path, feeds=[httpserver.url_for("/feed.rss")]))

    assert result.errors == []
    assert [(d.slug, d.data) for d in result.documents] == [
        ("pr04", page("en/pr04.html")),
        ("pr05", page("en/pr05.html")),
    ]


def test_atom_entries_use_alternate_links_and_xml_base(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve_pages(
        httpserver, {"/espanol/noticias/pr06": "es/pr06.html", "/espanol/noticias/pr07": "es/pr07.html"}
    )
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{httpserver.url_for("/espanol/")}">
  <title>Noticias</title>
  <link rel="self" href="{httpserver.url_for("/atom.xml")}"/>
  <entry><title>Seis</title>
    <link rel="enclosure" href="/media/pr06.mp3"/>
    <link rel="alternate" type="text/html" href="noticias/pr06"/></entry>
  <entry xml:base="noticias/"><title>Siete</title><link href="pr07"/></entry>
</feed>"""
    httpserver.expect_request("/atom.xml").respond_with_data(atom, content_type="application/atom+xml")

    result = fetch(make_settings(tmp_path, feeds=[httpserver.url_for("/atom.xml")]))

    assert result.errors == []
    assert [d.origin for d in result.documents] == [
        httpserver.url_for("/espanol/noticias/pr06"),
        httpserver.url_for("/espanol/noticias/pr07"),
    ]
    assert [d.data for d in result.documents] == [page("es/pr06.html"), page("es/pr07.html")]
    assert statuses(httpserver, "/media/pr06.mp3") == []


def test_unsafe_xml_is_refused_and_other_sources_go_on(httpserver: HTTPServer, tmp_path: Path) -> None:
    laughs = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol2;</loc></url></urlset>"""
    httpserver.expect_request("/evil.xml").respond_with_data(laughs, content_type="application/xml")
    httpserver.expect_request("/broken.xml").respond_with_data(
        "<urlset><url>", content_type="application/xml"
    )
    serve_pages(httpserver, {"/news/pr01": "en/pr01.html"})

    result = fetch(
        make_settings(
            tmp_path,
            urls=[httpserver.url_for("/news/pr01")],
            sitemaps=[httpserver.url_for("/evil.xml"), httpserver.url_for("/broken.xml")],
        )
    )

    assert [d.slug for d in result.documents] == ["pr01"]
    assert [e.path for e in result.errors] == [
        httpserver.url_for("/evil.xml"),
        httpserver.url_for("/broken.xml"),
    ]
    assert "unsafe XML" in result.errors[0].message
    assert "not well-formed" in result.errors[1].message


# --- conditional GET and the cache ---------------------------------------------------------------


def test_etag_second_run_gets_304_and_still_returns_the_document(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    body = page("en/pr02.html")
    etag = '"pr02-v1"'

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, content_type=HTML, headers={"ETag": etag})

    httpserver.expect_request("/news/pr02").respond_with_handler(handler)
    settings = make_settings(tmp_path, urls=[httpserver.url_for("/news/pr02")])

    first = fetch(settings)
    second = fetch(settings)

    (req1, resp1), (req2, resp2) = httpserver.log
    assert "If-None-Match" not in req1.headers and resp1.status_code == 200
    assert req2.headers["If-None-Match"] == etag and resp2.status_code == 304
    assert (first.stats.fetched, first.stats.not_modified) == (1, 0)
    assert (second.stats.fetched, second.stats.not_modified) == (0, 1)
    assert second.documents == first.documents
    assert second.documents[0].data == body
    assert (second.documents[0].media_type, second.documents[0].charset) == ("text/html", "utf-8")


def test_changed_etag_replaces_the_cached_body(httpserver: HTTPServer, tmp_path: Path) -> None:
    versions = iter([(page("en/pr03.html"), '"v1"'), (page("es/pr03.html"), '"v2"')])
    current: list[tuple[bytes, str]] = [next(versions)]

    def handler(request: Request) -> Response:
        body, etag = current[0]
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, content_type=HTML, headers={"ETag": etag})

    httpserver.expect_request("/news/pr03").respond_with_handler(handler)
    settings = make_settings(tmp_path, urls=[httpserver.url_for("/news/pr03")])

    fetch(settings)
    current[0] = next(versions)
    changed = fetch(settings)
    unchanged = fetch(settings)

    assert [r.status_code for _, r in httpserver.log] == [200, 200, 304]
    assert httpserver.log[1][0].headers["If-None-Match"] == '"v1"'
    assert changed.documents[0].data == unchanged.documents[0].data == page("es/pr03.html")


def test_last_modified_is_sent_back_as_if_modified_since(httpserver: HTTPServer, tmp_path: Path) -> None:
    stamp = "Thu, 30 Jan 2014 15:00:00 GMT"
    body = page("en/pr04.html")

    def handler(request: Request) -> Response:
        if request.headers.get("If-Modified-Since") == stamp:
            return Response(status=304)
        return Response(body, content_type="text/html; charset=ISO-8859-1", headers={"Last-Modified": stamp})

    httpserver.expect_request("/news/pr04").respond_with_handler(handler)
    settings = make_settings(tmp_path, urls=[httpserver.url_for("/news/pr04")])

    fetch(settings)
    second = fetch(settings)

    (req1, _), (req2, resp2) = httpserver.log
    assert "If-Modified-Since" not in req1.headers
    assert req2.headers["If-Modified-Since"] == stamp and "If-None-Match" not in req2.headers
    assert resp2.status_code == 304
    assert second.documents[0].data == body
    assert second.documents[0].charset == "iso-8859-1"
    assert second.stats.not_modified == 1


def test_cache_is_written_atomically_and_a_damaged_entry_means_a_plain_get(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    body = page("en/pr05.html")
    httpserver.expect_request("/news/pr05").respond_with_data(
        body, content_type=HTML, headers={"ETag": '"e"'}
    )
    url = httpserver.url_for("/news/pr05")
    settings = make_settings(tmp_path, urls=[url])

    fetch(settings)
    folder = tmp_path / ".medloc" / CACHE_FOLDER
    key = HttpCache.key(url)
    assert sorted(p.name for p in folder.iterdir()) == [f"{key}.body", f"{key}.json"]  # no temp files left
    (folder / f"{key}.body").write_bytes(body[:100])  # a torn or edited body no longer matches its hash
    again = fetch(settings)

    assert "If-None-Match" not in httpserver.log[1][0].headers
    assert again.documents[0].data == body
    assert HttpCache(folder).get(url) is not None


def test_response_without_validators_is_not_cached(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve_pages(httpserver, {"/news/pr06": "en/pr06.html"})
    settings = make_settings(tmp_path, urls=[httpserver.url_for("/news/pr06")])

    fetch(settings)
    second = fetch(settings)

    assert [r.status_code for _, r in httpserver.log] == [200, 200]
    assert second.stats.fetched == 1
    assert not (tmp_path / ".medloc" / CACHE_FOLDER).exists()


# --- failures ------------------------------------------------------------------------------------


def test_5xx_is_retried_until_success(httpserver: HTTPServer, tmp_path: Path) -> None:
    answers = iter([503, 500])

    def handler(request: Request) -> Response:
        status = next(answers, 200)
        return Response(page("en/pr07.html") if status == 200 else "busy", status=status, content_type=HTML)

    httpserver.expect_request("/news/pr07").respond_with_handler(handler)

    result = fetch(make_settings(tmp_path, urls=[httpserver.url_for("/news/pr07")], retries=2))

    assert statuses(httpserver, "/news/pr07") == [503, 500, 200]
    assert result.errors == []
    assert result.documents[0].data == page("en/pr07.html")


def test_retries_are_bounded(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/down").respond_with_data("maintenance", status=503)
    url = httpserver.url_for("/down")

    result = fetch(make_settings(tmp_path, urls=[url], retries=1))

    assert statuses(httpserver, "/down") == [503, 503]
    assert [e.path for e in result.errors] == [url]
    assert "HTTP 503" in result.errors[0].message and "2 attempts" in result.errors[0].message


def test_timeout_is_retried_then_reported(tmp_path: Path) -> None:
    slow_requests: list[float] = []

    def slow(request: Request) -> Response:
        slow_requests.append(time.monotonic())
        time.sleep(0.6)
        return Response("late", content_type=HTML)

    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.expect_request("/slow-page").respond_with_handler(slow)
    server.start()
    try:
        url = server.url_for("/slow-page")
        result = fetch(make_settings(tmp_path, urls=[url], retries=1, timeout=0.2))
    finally:
        server.clear()
        server.stop()

    assert len(slow_requests) == 2
    assert [e.path for e in result.errors] == [url]
    assert "timed out" in result.errors[0].message


def test_permanent_failures_are_reported_and_never_stop_the_others(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_pages(httpserver, {"/news/pr08": "en/pr08.html", "/news/pr09": "en/pr09.html"})
    httpserver.expect_request("/gone").respond_with_data("not here", status=404)
    refused = f"http://127.0.0.1:{free_port()}/news/unreachable"
    urls = [
        httpserver.url_for("/gone"),
        httpserver.url_for("/news/pr08"),
        refused,
        "file:///etc/passwd",
        httpserver.url_for("/news/pr09"),
    ]

    result = fetch(make_settings(tmp_path, urls=urls, retries=1))

    assert [d.slug for d in result.documents] == ["pr08", "pr09"]
    assert [e.path for e in result.errors] == [urls[0], refused, "file:///etc/passwd"]
    assert "HTTP 404" in result.errors[0].message
    assert "connection failed" in result.errors[1].message
    assert "not an http(s) URL" in result.errors[2].message
    assert statuses(httpserver, "/gone") == [404]  # a 404 is not worth a retry
    assert (result.stats.fetched, result.stats.not_modified, result.stats.failed) == (2, 0, 3)


def test_size_limit_is_enforced_while_streaming(httpserver: HTTPServer, tmp_path: Path) -> None:
    big = page("en/pr01.html")
    small = b"<html><body><p>Short.</p></body></html>"
    limit = 2000
    assert len(big) > limit > len(small)

    def chunks() -> Iterator[bytes]:  # no Content-Length: only counting while reading can stop it
        for start in range(0, len(big), 500):
            yield big[start : start + 500]

    httpserver.expect_request("/declared").respond_with_data(big, content_type=HTML)
    httpserver.expect_request("/streamed").respond_with_response(Response(chunks(), content_type=HTML))
    httpserver.expect_request("/small").respond_with_data(small, content_type=HTML)
    urls = [httpserver.url_for(p) for p in ("/declared", "/streamed", "/small")]

    result = fetch(make_settings(tmp_path, urls=urls, max_bytes=limit))

    streamed_headers = next(r.headers for q, r in httpserver.log if q.path == "/streamed")
    assert "Content-Length" not in streamed_headers
    assert [e.path for e in result.errors] == urls[:2]
    assert all(f"size limit of {limit} bytes" in e.message for e in result.errors)
    assert [d.data for d in result.documents] == [small]


# --- slugs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "slug"),
    [
        ("/news-events/press-releases/2014/MPACTlaunch", "mpactlaunch"),
        ("/2019/03/menopause-muscle-twitching/", "menopause-muscle-twitching"),
        ("/articles/Café_Noir.HTML", "cafe-noir"),
        ("/espanol/noticias/comunicados-de-prensa/2014/estudio%20MPACT", "estudio-mpact"),
        ("/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "etc-passwd"),
        ("/../../etc/passwd", "passwd"),
        ("/a/..%5C..%5Cwindows%5Csystem32", "windows-system32"),
        ("/x/" + "long-" * 40, ("long-" * 16).rstrip("-")),
    ],
)
def test_slug_from_url_is_always_a_safe_name(path: str, slug: str) -> None:
    result = slug_from_url("https://www.cancer.gov" + path + "?utm=1#top")
    assert result == slug
    assert SLUG_PATTERN.fullmatch(result) and len(result) <= 80


@pytest.mark.parametrize("path", ["/", "", "/%2e%2e/", "/..", "/-_-.html", "/新闻"])
def test_slug_from_url_refuses_what_has_no_letters_or_digits(path: str) -> None:
    url = "https://example.org" + path
    with pytest.raises(MedlocError) as caught:
        slug_from_url(url)
    assert caught.value.path == url and "slug" in caught.value.message


def test_hostile_and_duplicate_slugs_are_errors_not_files(httpserver: HTTPServer, tmp_path: Path) -> None:
    serve_pages(
        httpserver, {"/a/pr10": "en/pr10.html", "/b/PR10.html": "es/pr10.html", "/news/pr11": "en/pr11.html"}
    )
    hostile = httpserver.url_for("/%2e%2e/")
    urls = [
        hostile,
        httpserver.url_for("/a/pr10"),
        httpserver.url_for("/b/PR10.html"),
        httpserver.url_for("/news/pr11"),
    ]

    result = fetch(make_settings(tmp_path, urls=urls))

    assert [(d.slug, d.data) for d in result.documents] == [
        ("pr10", page("en/pr10.html")),
        ("pr11", page("en/pr11.html")),
    ]
    assert [e.path for e in result.errors] == [hostile, urls[2]]
    assert "already used by " + urls[1] in result.errors[1].message
    assert statuses(httpserver, "/b/PR10.html") == []  # refused before any request
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir() if p.name != ".medloc")
