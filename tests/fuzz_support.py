"""Seeds, mutations and the outcome rule shared by the fuzz tests (issue 7, part 1).

Why mutate real files rather than only generate: parsers break on the almost-valid — a PO file cut
mid-string, a TMX with one byte flipped, an HTML page with a stray `<!--` — and those are cheapest to
reach from real inputs. Every mutation is drawn through hypothesis, so a failure shrinks to a short
list of edits on a named seed and replays from the printed example.

The rule every target is held to: it returns a result, or raises `MedlocError` whose `path` is the
file we gave it and whose `line` (when set) lies inside that file. Anything else is an unhandled
exception and fails the test after being counted in the reliability record.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from reliability import Tally

from medloc.model import MedlocError
from paths import CORPUS, REPO

T = TypeVar("T")

# Fixed-size campaign inside `make test`; `pytest -m fuzz` runs each target FUZZ_SCALE times longer
# (MEDLOC_FUZZ_SCALE, default 20) with fresh random seeds.
FUZZ_SCALE = int(os.environ.get("MEDLOC_FUZZ_SCALE", "20"))


def campaign(examples: int, *, long: bool = False) -> settings:
    """Hypothesis settings: deterministic in `make test`, random and `FUZZ_SCALE`× longer under -m fuzz."""
    return settings(
        max_examples=examples * FUZZ_SCALE if long else examples,
        deadline=None,
        derandomize=not long,
        database=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )


# ---------------------------------------------------------------- seeds


def seed_files(*patterns: tuple[Path, str], limit_bytes: int = 40_000) -> list[tuple[str, bytes]]:
    """(name, bytes) of real files matching the glob patterns, small enough to fuzz quickly."""
    out = []
    for folder, pattern in patterns:
        for path in sorted(folder.glob(pattern)):
            data = path.read_bytes()
            if len(data) <= limit_bytes:
                out.append((f"{folder.name}/{path.relative_to(folder)}", data))
    return out


def article_seeds() -> list[tuple[str, bytes]]:
    return seed_files(
        (REPO / "source_articles", "*.*"),
        (REPO / "tests" / "data" / "extraction", "*.html"),
        (REPO / "tests" / "data" / "extraction", "*.txt"),
        (CORPUS / "nci-press-releases-en-es" / "en", "pr0[1-3].html"),
        (CORPUS / "nci-press-releases-en-es" / "es", "pr0[1-3].html"),
    )


def po_seeds() -> list[tuple[str, bytes]]:
    return seed_files((CORPUS / "django-po", "*/*.po"), (REPO / "locales", "*/*.po"), limit_bytes=60_000)


def tmx_seeds(units: int = 12) -> list[tuple[str, bytes]]:
    """The head of each TICO-19 TMX sample (header + first `units` <tu>), closed properly."""
    out = []
    for path in sorted((CORPUS / "tico19-tm").glob("*.tmx")):
        text = path.read_text(encoding="utf-8")
        cut = 0
        for _ in range(units):
            found = text.find("</tu>", cut)
            if found < 0:
                break
            cut = found + len("</tu>")
        out.append((path.name, (text[:cut] + "\n</body>\n</tmx>\n").encode("utf-8")))
    return out


# ---------------------------------------------------------------- mutations

TOKENS: dict[str, list[bytes]] = {
    "html": [
        b"<",
        b">",
        b"</",
        b"<!--",
        b"-->",
        b"<![CDATA[",
        b"&",
        b"&#",
        b"&#x110000;",
        b"&amp",
        b'"',
        b"'",
        b"<p>",
        b"</p>",
        b"<article>",
        b"</div>",
        b"<script>",
        b"<style>",
        b"<br/>",
        b'<img alt="',
        b'<meta charset="utf-16">',
        b'<meta charset="x-bogus">',
        b'<html lang="',
        b"<table><td>",
        b"\x00",
        b"\r",
        b"\r\n",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\xc3",
        b"\xe2\x80\x8b",
        b"\t",
    ],
    "markdown": [
        b"---\n",
        b"...\n",
        b"# ",
        b"\n\n",
        b"* ",
        b"1. ",
        b"|",
        b"|---|",
        b"```",
        b"    ",
        b"> ",
        b"[",
        b"](",
        b"<b>",
        b"*",
        b"_",
        b"\\",
        b"slug: ",
        b"title: ",
        b"lang: ",
        b": ",
        b"&a ",
        b"*a",
        b"!!python/object ",
        b"{",
        b"\x00",
        b"\r\n",
        b"\xef\xbb\xbf",
        b"\xff",
        b"\t",
    ],
    "text": [
        b"\n",
        b"\n\n",
        b"1. ",
        b"Comments (0)\n",
        b"About the Author\n",
        b"\r\n",
        b"\x00",
        b"\xff",
        b"\xef\xbb\xbf",
        b"\xc3\xa9",
        b"\t",
        b" ",
        b"#",
    ],
    "po": [
        b"msgid ",
        b"msgstr ",
        b"msgctxt ",
        b"msgid_plural ",
        b"msgstr[0] ",
        b"msgstr[9999999999] ",
        b'"',
        b"\\",
        b"\\x",
        b"\\777",
        b"\\q",
        b"\\u00e9",
        b"\n",
        b"\n\n",
        b"#, fuzzy\n",
        b"#~ ",
        b"#| msgid ",
        b"#: ",
        b"#. ",
        b"\x00",
        b"\xff\xfe",
        b"\xc3",
        b"\xe9",
        b"\r",
        b'""\n',
        b"msgstr[",
        b"]",
    ],
    "xml": [
        b"<",
        b">",
        b"</",
        b'<!DOCTYPE x [<!ENTITY a "aaaa">]>',
        b"&a;",
        b"&#0;",
        b"&#x110000;",
        b"<![CDATA[",
        b"]]>",
        b'<?xml version="1.0"?>',
        b'xml:lang=""',
        b"<tu>",
        b"</tu>",
        b'<tuv xml:lang="fr"><seg>',
        b"</seg></tuv>",
        b"<termSec><term>",
        b"</term></termSec>",
        b'<langSec xml:lang="es">',
        b"<conceptEntry>",
        b"\x00",
        b"\xff",
        b"&",
        b'"',
        b"\n",
    ],
    "yaml": [
        b"- id: ",
        b"  term: ",
        b"  es:\n    preferred: ",
        b"  forbidden: [",
        b"]",
        b"{",
        b"}",
        b"&x ",
        b"*x",
        b"!!python/object/apply:os.system ",
        b"!!binary ",
        b"? ",
        b": ",
        b"- ",
        b"\n",
        b"  ",
        b"\t",
        b"'",
        b'"',
        b"\\",
        b"|\n",
        b">-\n",
        b"\x00",
        b"\xff",
        b"---\n",
        b"%YAML 1.1\n",
        b"#",
    ],
    "toml": [
        b"[",
        b"]",
        b"[[",
        b"]]",
        b"=",
        b'"',
        b"'''",
        b'"""',
        b"\\",
        b"\\u",
        b"\n",
        b"true",
        b"1e999",
        b"-0",
        b"9999999999999999999999",
        b"1979-05-27T07:32:00Z",
        b"{",
        b"}",
        b",",
        b"#",
        b".",
        b"\x00",
        b"\xff",
        b"[project]\n",
        b"locales = ",
        b"[publish]\n",
        b"max_file_bytes = ",
    ],
}


@st.composite
def mutated(
    draw: st.DrawFn, seeds: Sequence[tuple[str, bytes]], kind: str, max_edits: int = 4
) -> tuple[str, bytes]:
    """A seed file after 0–`max_edits` edits: cut, delete, duplicate, flip, insert a token, re-encode."""
    name, data = draw(st.sampled_from(list(seeds)))
    tokens = TOKENS[kind]
    for _ in range(draw(st.integers(0, max_edits))):
        size = len(data)
        op = draw(
            st.sampled_from(["truncate", "delete", "duplicate", "flip", "token", "bytes", "recode", "swap"])
        )
        at = draw(st.integers(0, size))
        if op == "truncate":
            data = data[:at]
        elif op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)) :]
        elif op == "duplicate":
            end = min(size, at + draw(st.integers(1, 400)))
            data = data[:end] + data[at:end] + data[end:]
        elif op == "flip" and size:
            i = min(at, size - 1)
            data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1 :]
        elif op == "token":
            data = data[:at] + draw(st.sampled_from(tokens)) * draw(st.integers(1, 3)) + data[at:]
        elif op == "bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
        elif op == "recode":
            end = min(size, at + draw(st.integers(1, 2000)))
            codec = draw(st.sampled_from(["latin-1", "cp1252", "utf-16-le", "utf-16", "utf-32", "shift_jis"]))
            piece = data[at:end].decode("utf-8", errors="replace").encode(codec, errors="replace")
            data = data[:at] + piece + data[end:]
        elif op == "swap" and size:
            other = draw(st.integers(0, size))
            a, b = sorted((at, other))
            data = data[:a] + data[b:] + data[a:b] if draw(st.booleans()) else data[b:] + data[:a]
    return name, data


# ---------------------------------------------------------------- the outcome rule


def attempt(
    tally: Tally, what: str, path: str | Collection[str], data: bytes | str, call: Callable[[], T]
) -> T | None:
    """Run one case: count a result, a clean rejection (MedlocError naming `path`) or an unhandled error.

    `path` may be several names (a settings error may name the file or an environment variable).
    A MedlocError that names another file, or a line outside the input, counts as `failed` and is
    raised as an AssertionError so hypothesis shrinks it; any other exception is counted as
    `unhandled` and re-raised as is.
    """
    try:
        result = call()
    except MedlocError as exc:
        lines = len(data.splitlines()) + 1  # \r alone ends a line for expat; EOF may be one past the end
        problem = ""
        if exc.path not in ({path} if isinstance(path, str) else set(path)):
            problem = f"error names {exc.path!r}, not the input {path!r}"
        elif exc.line is not None and not 1 <= exc.line <= lines:
            problem = f"error line {exc.line} outside the input's {lines} lines"
        if problem:
            tally.add(failed=1)
            tally.example(f"{what}: {problem}: {exc}")
            raise AssertionError(f"{what}: {problem}: {exc}") from exc
        tally.add(rejected=1)
        return None
    except Exception as exc:
        tally.add(unhandled=1)
        tally.example(f"{what}: {type(exc).__name__}: {str(exc)[:200]}")
        raise
    tally.add()
    return result


def violated(tally: Tally, what: str, message: str) -> None:
    """Count a broken property on a case that was already counted, and fail the example."""
    tally.failed += 1
    tally.example(f"{what}: {message}")
    raise AssertionError(f"{what}: {message}")
