"""Shared set-up for the crash, concurrency and fault tests (issue 7, parts 2–4).

Why a module of its own: those tests all need the same three things — a project with many real
articles and real translations made in a temporary folder, one Prefect API server that every
`medloc run` child process talks to (so a run costs its own work, not Prefect's ~10 s start-up),
and a checker of the project's invariants (valid PO files, parseable JSON, no leftover temporary
files, no lost translation, a manifest that matches the published pages). Everything listens on
127.0.0.1 only, and every process started here is killed in a `finally`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from medloc.catalog import read_catalog
from medloc.po import dump
from paths import NCI, REPO

MEDLOC = Path(sys.executable).with_name("medloc")
TEMP_FILE = re.compile(r"^\..+\.[^.]+\.tmp$")  # fsutil.atomic_write_bytes / http_cache temp names


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def kill_group(proc: subprocess.Popen[bytes] | subprocess.Popen[str], sig: int = signal.SIGKILL) -> None:
    """Kill a child we started in its own session, with everything it started (by its pgid)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=30)


@contextlib.contextmanager
def prefect_server(home: Path, timeout: float = 120.0) -> Iterator[str]:
    """One `prefect server start` on 127.0.0.1 for every run of a test module; yields its API URL."""
    port = free_port()
    env = prefect_env(home)
    env.pop("PREFECT_API_URL", None)
    log = (home / "server.log").open("wb")
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("prefect")), "server", "start", "--host", "127.0.0.1",
         "--port", str(port), "--no-services"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"prefect server exited: {(home / 'server.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("prefect server did not answer /api/health in time")
            time.sleep(0.3)
        yield url
    finally:
        kill_group(proc, signal.SIGTERM)
        kill_group(proc)
        log.close()


def prefect_env(home: Path, api_url: str | None = None) -> dict[str, str]:
    """The environment of a child: Prefect state in `home`, analytics off, our API server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "MEDLOC_"))}
    home.mkdir(parents=True, exist_ok=True)
    env.update({
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_LOCAL_STORAGE_PATH": str(home / "storage"),
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
    })
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def start_run(project: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`medloc run --project` as a child in its own session (so a kill reaches nothing else)."""
    handle = log.open("ab")
    try:
        return subprocess.Popen([str(MEDLOC), "run", "--project", str(project)], env=env, stdout=handle,
                                stderr=subprocess.STDOUT, start_new_session=True, cwd=project)
    finally:
        handle.close()


def run_to_end(project: Path, env: dict[str, str], log: Path, timeout: float = 300.0) -> int:
    proc = start_run(project, env, log)
    try:
        return proc.wait(timeout=timeout)
    finally:
        kill_group(proc)


# -- the project -----------------------------------------------------------------------------------

SETTINGS = """\
[project]
locales = ["es", "fr"]

[qa]
# Engines are exercised by the fault tests; here a run's time goes to what writes files (2-core box).
disable = ["grammar", "source-grammar", "spelling", "source-spelling"]

[flow]
workers = 2
# One runner for every run: the crash test times its kills from one full run (34 articles), which
# "auto" would give worker processes while the trials' few changed articles stay on threads.
task_runner = "threads"
"""


def make_project(root: Path, copies: int = 2, settings: str = SETTINGS) -> Path:
    """`copies` × the 17 NCI press releases as articles, the repository's glossary, `settings`.

    The copies differ (a sentence naming the copy is added after the first paragraph) so every
    article has its own entries and not only translation-memory matches of another.
    """
    sources = root / "source_articles"
    sources.mkdir(parents=True)
    pages = sorted((NCI / "en").glob("pr*.html"))
    for copy in range(copies):
        for page in pages:
            html = page.read_text(encoding="utf-8")
            marker = f"<p>Copy {copy + 1} of press release {page.stem}, kept for 3 years.</p>"
            html = html.replace("</p>", "</p>\n" + marker, 1)
            (sources / f"{page.stem}-v{copy + 1}.html").write_text(html, encoding="utf-8")
    shutil.copytree(REPO / "glossary", root / "glossary")
    (root / "medloc.toml").write_text(settings, encoding="utf-8")
    return root


def pseudo_translation(msgid: str, locale: str) -> str:
    """A translation that keeps every tag, number and URL of the source (so QA lets it publish)."""
    return f"[{locale}] {msgid}"


def translate_po_files(project: Path, share: float = 1.0, every_nth_article: int = 1) -> int:
    """Fill empty msgstr in the PO files of every `every_nth_article`-th article (a fraction `share`
    of its entries); returns how many entries were translated."""
    done = 0
    for number, po_path in enumerate(sorted((project / "locales").glob("*/*.po"))):
        if po_path.parent.name == "templates" or number % every_nth_article:
            continue
        po = read_catalog(po_path)
        locale = po_path.parent.name
        entries = [e for e in po.entries if not e.obsolete and e.msgid_plural is None]
        for index, entry in enumerate(entries):
            if index < int(len(entries) * share) and not entry.msgstr:
                entry.msgstr = pseudo_translation(entry.msgid, locale)
                entry.set_flag("fuzzy", False)
                done += 1
        po_path.write_text(dump(po), encoding="utf-8")
    return done


def edit_sources(project: Path, rng: object, count: int) -> list[str]:
    """Change one sentence in `count` random articles, so the next run has catalogs to merge."""
    files = sorted((project / "source_articles").glob("*.html"))
    chosen = rng.sample(files, min(count, len(files)))  # type: ignore[attr-defined]
    for path in chosen:
        text = path.read_text(encoding="utf-8")
        found = re.search(r"kept for (\d+) years", text)
        years = int(found.group(1)) + 1 if found else 3
        path.write_text(re.sub(r"kept for \d+ years", f"kept for {years} years", text), encoding="utf-8")
    return [p.name for p in chosen]


# -- invariants ------------------------------------------------------------------------------------


def translations(project: Path) -> dict[str, set[str]]:
    """PO file (relative path) -> every non-empty msgstr in it, active, fuzzy or obsolete."""
    found: dict[str, set[str]] = {}
    for po_path in sorted((project / "locales").glob("*/*.po")):
        po = read_catalog(po_path)
        strings = {e.msgstr for e in po.entries if e.msgstr}
        strings |= {s for e in po.entries for s in e.msgstr_plural.values() if s}
        found[str(po_path.relative_to(project))] = strings
    return found


def lost_translations(before: dict[str, set[str]], after: dict[str, set[str]]) -> list[str]:
    """Every (file, msgstr) present before and missing now; empty means nothing was lost."""
    return [f"{path}: {text[:60]!r}" for path, strings in before.items()
            for text in sorted(strings - after.get(path, set()))]


@dataclass
class Inspection:
    """What `inspect_project` found; `problems` must be empty for a consistent project."""

    po_files: int = 0
    json_files: int = 0
    pages: int = 0
    temp_files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def inspect_project(project: Path, *, allow_temp_files: bool = False) -> Inspection:
    """Check every file a run writes: PO files (our parser and `msgfmt -c`), JSON files, temporary
    files, and the publish manifest against the pages on disk."""
    seen = Inspection()
    for po_path in sorted((project / "locales").rglob("*.po*")):
        if TEMP_FILE.match(po_path.name):
            continue
        seen.po_files += 1
        try:
            read_catalog(po_path)
        except Exception as exc:  # any failure to read is the finding
            seen.problems.append(f"{po_path}: unreadable: {exc}")
            continue
        checked = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(po_path)], capture_output=True,
                                 text=True)
        if checked.returncode:
            seen.problems.append(f"{po_path}: msgfmt -c: {checked.stderr.strip()[:300]}")
    for folder in ("out", ".medloc", "publish"):
        for path in sorted((project / folder).rglob("*")):
            if not path.is_file():
                continue
            if TEMP_FILE.match(path.name):
                seen.temp_files.append(str(path.relative_to(project)))
                continue
            if path.suffix == ".json":
                seen.json_files += 1
                try:
                    json.loads(path.read_text(encoding="utf-8"))
                except ValueError as exc:
                    seen.problems.append(f"{path}: not JSON: {exc}")
    seen.temp_files += [str(p.relative_to(project)) for p in sorted((project / "locales").rglob("*"))
                        if TEMP_FILE.match(p.name)]
    seen.temp_files += [str(p.relative_to(project)) for p in sorted((project / "source_articles").rglob("*"))
                        if TEMP_FILE.match(p.name)]
    if seen.temp_files and not allow_temp_files:
        seen.problems.append(f"leftover temporary files: {seen.temp_files[:5]}")
    seen.problems += manifest_problems(project, seen)
    return seen


def manifest_problems(project: Path, seen: Inspection | None = None) -> list[str]:
    """Every manifest entry's page exists and hashes as recorded; every page has an entry."""
    publish = project / "publish"
    manifest = publish / "manifest.json"
    if not manifest.exists():
        return []
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))["entries"]
    except (ValueError, KeyError) as exc:
        return [f"{manifest}: unreadable manifest: {exc}"]
    problems: list[str] = []
    listed = set()
    for entry in entries:
        page = publish / entry["path"]
        listed.add(entry["path"])
        if not page.is_file():
            problems.append(f"manifest lists {entry['path']} but the page is missing")
            continue
        if hashlib.sha256(page.read_bytes()).hexdigest() != entry["page_hash"]:
            problems.append(f"manifest hash of {entry['path']} does not match the page")
    pages = {str(p.relative_to(publish)) for p in publish.rglob("*.html")}
    if seen is not None:
        seen.pages = len(pages)
    problems += [f"page {p} is not in the manifest" for p in sorted(pages - listed)]
    return problems


# -- one Prefect server per pytest session, shared by every module that asks for it ---------------

_SERVER: dict[str, object] = {"users": 0}


@contextlib.contextmanager
def shared_prefect_api(factory: pytest.TempPathFactory) -> Iterator[str]:
    """The session's Prefect API server, started on first use and stopped with its last user.

    Each test module defines a session-scoped `prefect_api` fixture over this, so the server's
    start-up (20–45 s on a loaded 2-core machine) is paid once per session, not once per module.
    """
    if not _SERVER["users"]:
        manager = prefect_server(factory.mktemp("prefect-server"))
        _SERVER["url"] = manager.__enter__()
        _SERVER["manager"] = manager
    _SERVER["users"] = int(_SERVER["users"]) + 1  # type: ignore[call-overload]
    try:
        yield str(_SERVER["url"])
    finally:
        _SERVER["users"] = int(_SERVER["users"]) - 1  # type: ignore[call-overload]
        if not _SERVER["users"]:
            _SERVER.pop("manager").__exit__(None, None, None)  # type: ignore[attr-defined]
