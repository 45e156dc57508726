"""Faults in engines and sources (issue 7, part 4): servers that hang, reset, answer 5xx or garbage.

Why our own fault-injecting server: each request draws its fate from a seeded RNG (answer, 5xx,
429, hang past the client's timeout, connection reset, truncated body, malformed or wrongly shaped
JSON, a 4xx), so one campaign covers every failure mode in every position of a run — first
request, mid-batch, last retry — which fixed "first N requests fail" behaviours cannot. Good answers
come from the same code as tests/lt_server.py (LanguageTool) and the NCI pages (remote sources),
so what the client accepted can be compared with what a healthy server would have said.

Properties: the client never raises; every request is bounded (timeout × (retries + 1) per batch or
URL); what was not checked or fetched is reported (status/errors), never passed off as done; what
was accepted is exactly the healthy answer (no garbage accepted, no truncated page). The end-to-end
test runs `medloc run` against a grammar server that dies mid-run and a flaky page server: the run
finishes, the QA report says grammar was not (fully) checked, failed URLs are named, and no
translation is lost. Traffic goes to 127.0.0.1 only; loops are bounded in count and time.
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import struct
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hardening_support import (
    inspect_project,
    lost_translations,
    make_project,
    prefect_env,
    run_to_end,
    shared_prefect_api,
    translate_po_files,
    translations,
)
from lt_server import LANGUAGES, check_answer
from reliability import Recorder

from medloc.config import ProjectSettings, Settings, SourcesSettings
from medloc.engines.languagetool import LanguageToolClient
from medloc.engines.status import State
from medloc.sources.http_cache import CACHE_FOLDER, HttpCache
from medloc.sources.remote import fetch_remote
from paths import NCI

FAULTS = ("ok", "5xx", "429", "hang", "reset", "truncated", "garbage", "bad-shape", "4xx")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (timeout) and closed its socket is expected here, not news."""


class FaultServer:
    """A threaded HTTP server on 127.0.0.1 whose every answer is drawn from `weights` (seeded).

    `answer(handler, method, path, body)` gives the healthy (status, content type, body); the fault
    drawn decides what is sent instead. Counts requests and faults; `stop()` closes it (also mid-run).
    """

    def __init__(self, answer: Callable[[str, str, bytes], tuple[int, str, bytes]], weights: dict[str, float],
                 seed: int, hang: float = 1.0) -> None:
        self.rng = random.Random(seed)
        self.weights = weights
        self.hang = hang
        self.lock = threading.Lock()
        self.requests = 0
        self.faults: dict[str, int] = dict.fromkeys(FAULTS, 0)
        self.die_after: int | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fault = server.draw()
                if fault == "hang":
                    time.sleep(server.hang)
                    self.close_connection = True
                    return
                if fault == "reset":  # RST instead of an answer
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    return
                status, kind, payload = answer(method, self.path, body)
                if fault == "5xx":
                    status, kind, payload = server.rng.choice((500, 502, 503)), "text/html", b"<h1>down</h1>"
                elif fault == "429":
                    status, kind, payload = 429, "text/plain", b"slow down"
                elif fault == "4xx":
                    status, kind, payload = 404, "text/plain", b"not here"
                elif fault == "garbage":
                    payload = bytes(server.rng.randrange(256) for _ in range(200))
                elif fault == "bad-shape":
                    payload = json.dumps({"matches": [{"offset": "x"}], "urls": None}).encode()
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                if fault == "truncated":
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(payload[: len(payload) // 2])
                    self.close_connection = True
                    return
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.alive = False

    def draw(self) -> str:
        with self.lock:
            self.requests += 1
            fault = self.rng.choices(list(self.weights), weights=list(self.weights.values()))[0]
            self.faults[fault] += 1
            if self.die_after is not None and self.requests >= self.die_after:
                threading.Thread(target=self.stop, daemon=True).start()
            return fault

    def __enter__(self) -> FaultServer:
        self.thread.start()
        self.alive = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.alive:
            self.alive = False
            self.server.shutdown()
            self.server.server_close()


def lt_answer(method: str, path: str, body: bytes) -> tuple[int, str, bytes]:
    """What a healthy LanguageTool answers (tests/lt_server.py's rules)."""
    if path.rstrip("/") == "/v2/languages":
        return 200, "application/json", json.dumps(LANGUAGES).encode()
    form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
    answer = check_answer(form.get("text", ""), form.get("language", ""))
    return 200, "application/json", json.dumps(answer).encode()


SEGMENTS = [
    "Talk to your doctor about the the side effects.",
    "It is important that you goes to the doctor.",
    "Take <b>the</b> the tablets &amp; rest , then drink water.",
    "Nothing wrong here.",
    "Emoji 😀 first, then the the repeat.",
    "You will recieve 500 mg twice a day.",
]


def issues_key(issues: list[object] | None) -> object:
    return None if issues is None else [(i.start, i.end, i.rule) for i in issues]  # type: ignore[attr-defined]


@pytest.mark.slow
def test_grammar_server_faults_over_many_requests(reliability: Recorder) -> None:
    """≥ 1,000 requests to a LanguageTool server failing in every way: each `check` returns, takes
    bounded time, reports unchecked segments, and what it did check matches a healthy server."""
    tally = reliability.tally(
        "faults", "LanguageTool /v2 server: 5xx, 429, hang, reset, truncated, garbage, bad JSON shape, 4xx",
        "check() never raises; bounded requests and time; unchecked segments reported; accepted "
        "findings equal a healthy server's")
    seed = random.SystemRandom().randrange(2**32)
    print(f"grammar faults: seed {seed}")
    rng = random.Random(seed)
    texts = [rng.choice(SEGMENTS) + f" Segment {n}." for n in range(60)]
    with FaultServer(lt_answer, {"ok": 1.0}, seed) as healthy:
        expected = LanguageToolClient(healthy.url, timeout=2, batch_chars=400, backoff=0).check(texts, "en")
    assert expected.status.state is State.CHECKED
    weights = {"ok": 0.55, "5xx": 0.1, "429": 0.04, "hang": 0.03, "reset": 0.06, "truncated": 0.06,
               "garbage": 0.06, "bad-shape": 0.06, "4xx": 0.04}
    started = time.monotonic()
    calls = partial = unavailable = 0
    with FaultServer(lt_answer, weights, seed, hang=0.6) as server:
        while server.requests < 1000 and time.monotonic() - started < 120:
            client = LanguageToolClient(server.url, timeout=0.25, retries=2, batch_chars=400, backoff=0.001)
            before, t0 = server.requests, time.monotonic()
            try:
                result = client.check(texts, "en")
            except Exception as exc:  # the property under test: never
                tally.add(unhandled=1)
                tally.example(f"{type(exc).__name__}: {exc}")
                raise
            calls += 1
            spent, sent = time.monotonic() - t0, server.requests - before
            batches = expected.requests  # POST /v2/check requests a healthy server needed
            bounded = sent <= 1 + (batches + 1) * 3 and spent < (batches + 1) * 3 * 0.7 + 2
            checked = [i for i, found in enumerate(result.issues) if found is not None]
            wrong = [i for i in checked if issues_key(result.issues[i]) != issues_key(expected.issues[i])]
            incomplete = result.status.state in (State.PARTIAL, State.UNAVAILABLE)
            reported = len(checked) == len(texts) or (incomplete and bool(result.status.detail))
            partial += result.status.state is State.PARTIAL
            unavailable += result.status.state is State.UNAVAILABLE
            tally.add(failed=int(not bounded) + int(not reported), corrupted=len(wrong))
            if wrong or not bounded or not reported:
                tally.example(f"call {calls}: sent {sent}, {spent:.2f} s, wrong {wrong[:3]}, {result.status}")
            assert bounded and reported and not wrong, (sent, spent, wrong, result.status)
        requests, faults = server.requests, dict(server.faults)
    tally.note(f"grammar: {requests} requests over {calls} runs of 60 segments (seed {seed}); faults "
               + ", ".join(f"{k} {v}" for k, v in faults.items() if k != "ok")
               + f"; {partial} partial and {unavailable} unavailable results, all reported")
    assert requests >= 1000


def page_answer(pages: dict[str, bytes]) -> Callable[[str, str, bytes], tuple[int, str, bytes]]:
    def answer(method: str, path: str, body: bytes) -> tuple[int, str, bytes]:
        name = path.rsplit("/", 1)[-1]
        if name in pages:
            return 200, "text/html; charset=utf-8", pages[name]
        return 404, "text/plain", b"no such page"
    return answer


def nci_pages() -> dict[str, bytes]:
    return {f"{p.stem}.html": p.read_bytes() for p in sorted((NCI / "en").glob("pr*.html"))}


@pytest.mark.slow
def test_remote_sources_faults_over_many_requests(tmp_path: Path, reliability: Recorder) -> None:
    """≥ 500 requests to a page server failing in every way: `fetch_remote` returns, each URL ends as
    a document with exactly the page's bytes or as an error naming it, within bounded attempts."""
    tally = reliability.tally(
        "faults", "Remote sources (pages over HTTP): 5xx, 429, hang, reset, truncated body, garbage, 404",
        "fetch_remote never raises; every URL is a document with the exact page or an error naming it; "
        "attempts ≤ retries + 1; cache stays consistent")
    seed = random.SystemRandom().randrange(2**32)
    print(f"source faults: seed {seed}")
    pages = nci_pages()
    weights = {"ok": 0.6, "5xx": 0.1, "429": 0.04, "hang": 0.03, "reset": 0.07, "truncated": 0.08,
               "garbage": 0.04, "4xx": 0.04}
    started = time.monotonic()
    rounds = fetched = failed = 0
    with FaultServer(page_answer(pages), weights, seed, hang=0.6) as server:
        urls = [f"{server.url}/news/{name}" for name in pages]
        settings = Settings(project=ProjectSettings(state_dir=".medloc"),
                            sources=SourcesSettings(urls=urls, retries=2, timeout_seconds=0.25),
                            root=tmp_path)
        while server.requests < 500 and time.monotonic() - started < 120:
            before, t0 = server.requests, time.monotonic()
            try:
                result = fetch_remote(settings, backoff_seconds=0.001)
            except Exception as exc:  # the property under test: never
                tally.add(unhandled=1)
                tally.example(f"{type(exc).__name__}: {exc}")
                raise
            rounds += 1
            sent, spent = server.requests - before, time.monotonic() - t0
            got = {d.origin: d for d in result.documents}
            named = {u for u in urls if any(u in str(e) for e in result.errors)}
            wrong = [u for u, d in got.items() if d.data != pages[u.rsplit("/", 1)[-1]]
                     and not _garbage_served(d.data)]
            unaccounted = [u for u in urls if (u in got) == (u in named)]
            bounded = sent <= len(urls) * 3 and spent < len(urls) * 3 * 0.7 + 5
            fetched += len(got)
            failed += len(named)
            tally.add(n=len(urls), corrupted=len(wrong), failed=len(unaccounted) + int(not bounded))
            if wrong or unaccounted or not bounded:
                tally.example(f"round {rounds}: wrong {wrong[:2]}, unaccounted {unaccounted[:2]}, "
                              f"sent {sent}")
            assert not wrong and not unaccounted and bounded, (wrong, unaccounted, sent, spent)
        requests, faults = server.requests, dict(server.faults)
    cache = HttpCache(tmp_path / ".medloc" / CACHE_FOLDER)
    cached = [cache.get(u) for u in urls]
    assert all(c is None or c.body in pages.values() or _garbage_served(c.body) for c in cached)
    tally.note(f"sources: {requests} requests over {rounds} passes of {len(urls)} URLs (seed {seed}); "
               f"{fetched} documents, {failed} reported failures; faults "
               + ", ".join(f"{k} {v}" for k, v in faults.items() if k not in ("ok", "bad-shape")))
    assert requests >= 500


def _garbage_served(data: bytes) -> bool:
    """A 200 with 200 random bytes is what the server sent: accepting it is right (extraction judges)."""
    return len(data) == 200


# -- end to end: `medloc run` with a dying grammar server and a flaky page server ------------------


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with shared_prefect_api(tmp_path_factory) as url:
        yield url


@pytest.mark.slow
def test_run_survives_dying_grammar_server_and_flaky_sources(
    tmp_path: Path, prefect_api: str, reliability: Recorder
) -> None:
    """`medloc run` over 17 local articles and 17 remote ones: LanguageTool dies after 15 requests and
    fails on the way; the page server resets, hangs and answers 5xx. The run finishes; the QA report
    says what grammar did not check; failed URLs are named; no translation is lost."""
    tally = reliability.tally(
        "faults", "`medloc run` end to end: grammar server dies mid-run, page server flaky",
        "run finishes; report says grammar not (fully) checked; failed URLs named; nothing lost")
    seed = random.SystemRandom().randrange(2**32)
    print(f"end-to-end faults: seed {seed}")
    pages = nci_pages()
    lt_weights = {"ok": 0.7, "5xx": 0.1, "reset": 0.1, "garbage": 0.1}
    src_weights = {"ok": 0.7, "5xx": 0.1, "reset": 0.1, "hang": 0.05, "truncated": 0.05}
    with FaultServer(lt_answer, lt_weights, seed, hang=0.6) as lt, \
            FaultServer(page_answer(pages), src_weights, seed + 1, hang=0.6) as src:
        lt.die_after = 15
        urls = ", ".join(f'"{src.url}/remote/{name}"' for name in pages)
        settings = (
            f'[project]\nlocales = ["es", "fr"]\n'
            f'[sources]\nurls = [{urls}]\ntimeout_seconds = 0.3\nretries = 2\n'
            f'[qa]\nlanguagetool_url = "{lt.url}"\nlanguagetool_timeout_seconds = 0.5\n'
            f"languagetool_retries = 1\nlanguagetool_batch_chars = 3000\noffline_grammar = false\n"
            f'disable = ["spelling", "source-spelling"]\n'
        )
        project = make_project(tmp_path / "project", copies=1, settings=settings)
        env = prefect_env(tmp_path / "client", prefect_api)
        log = tmp_path / "run.log"
        first_rc = run_to_end(project, env, log)
        translate_po_files(project, share=0.8)
        before = translations(project)
        lt.stop()  # the grammar server is gone for the second run
        rc = run_to_end(project, env, log)
        requests = lt.requests + src.requests
    summary = json.loads((project / "out" / "summary.json").read_text())
    report = json.loads((project / "out" / "reports" / "qa.json").read_text())
    text = json.dumps(report)
    failed_urls = [e for e in summary["source_errors"] if src.url in e]
    grammar_reported = "grammar" in text and ("not checked" in text or "unreachable" in text
                                              or "stopped answering" in text)
    seen = inspect_project(project)
    lost = lost_translations(before, translations(project))
    tally.add(n=2, failed=int(rc not in (0, 1)) + int(first_rc not in (0, 1)) + int(not grammar_reported),
              lost=len(lost), corrupted=len(seen.problems))
    tally.note(f"end to end: {requests} requests in 2 runs (seed {seed}); {len(failed_urls)} URL failures "
               f"named in the summary; grammar status reported in the QA report")
    assert rc in (0, 1) and first_rc in (0, 1), log.read_text()[-3000:]
    assert grammar_reported, text[:2000]
    assert summary["remote"]["failed"] == len(failed_urls)
    assert not lost and not seen.problems, (lost[:5], seen.problems[:5])
    with contextlib.suppress(Exception):
        print((project / "out" / "summary.md").read_text()[:1500])
