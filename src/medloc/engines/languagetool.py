"""The only module that imports language_tool_python: a LanguageTool /v2 client built for batch QA.

Choice (measured against language-tool-python 3.4): its `LanguageTool(remote_server=URL)` talks to a
server without downloading anything, but it queries /v2/languages in the constructor (one try, an
exception when the server is down), uses a fixed 300 s timeout, retries at once without backoff,
ignores HTTP status codes and sends one request per text. A QA run of thousands of segments needs
the opposite: one request per ~20,000 characters, a timeout from settings, bounded retries with
backoff, and an outage reported as a status instead of an exception. So the transport here is
stdlib HTTP (urllib: no third library to own), speaking the same /v2 protocol, and the library's
`LanguageTag` resolves a locale ("de", "zh_CN") against the server's language list, as it does
inside language-tool-python.

Batching: segments are stripped of markup (`engines.text.plain_text`), joined with blank lines (a
paragraph break for LanguageTool, so no rule reads across two segments), and every match is mapped
back to its segment and then to the segment's original offsets. LanguageTool counts offsets in
UTF-16 code units (Java strings); they are converted to Python indices before mapping.

Failures: timeouts, connection errors, 5xx/429 and malformed JSON are retried `retries` times with
exponential backoff; when a batch still fails the server is taken as down for the rest of the run
(no minutes lost waiting on every remaining batch) and the result says which segments were not
checked and why. A 4xx answer (unsupported language, text too long) fails that batch only.
"""

from __future__ import annotations

import bisect
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from language_tool_python.language_tag import LanguageTag

from medloc.engines.model import GrammarIssue, GrammarResult
from medloc.engines.status import EngineStatus, State
from medloc.engines.text import PlainText, plain_text

ENGINE = "languagetool"
SEPARATOR = "\n\n"
_MAX_BACKOFF_SECONDS = 8.0
_MAX_REPLACEMENTS = 5
# A bare language code LanguageTool checks better with its main variant (spelling needs one).
_DEFAULT_VARIANTS = {"en": "en-US", "de": "de-DE", "pt": "pt-PT", "nl": "nl-NL", "ca": "ca-ES"}


class _Transient(Exception):
    """A failure worth retrying (timeout, connection, 5xx, malformed JSON)."""


class _Permanent(Exception):
    """A failure retrying cannot fix (4xx)."""


@dataclass(frozen=True, slots=True)
class _Batch:
    indexes: list[int]
    bases: list[int]
    plains: list[PlainText]
    text: str


class LanguageToolClient:
    """A client for one LanguageTool server; one instance per run (it remembers an outage)."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 30.0,
        retries: int = 2,
        batch_chars: int = 20000,
        backoff: float = 0.5,
        disabled_rules: Sequence[str] = (),
        disabled_categories: Sequence[str] = (),
    ) -> None:
        self.url = url.rstrip("/")
        self.base = self.url if self.url.endswith("/v2") else self.url + "/v2"
        self.timeout = timeout
        self.retries = max(0, retries)
        self.batch_chars = max(1, batch_chars)
        self.backoff = backoff
        self.disabled_rules = tuple(disabled_rules)
        self.disabled_categories = tuple(disabled_categories)
        self.requests = 0
        self.down: str | None = None  # why the server is taken as down for the rest of the run
        self._languages: list[str] | None = None

    # -- public API -------------------------------------------------------------------------------

    def languages(self) -> list[str] | None:
        """Codes and long codes the server supports (GET /v2/languages), or None when unreachable."""
        if self._languages is None and self.down is None:
            try:
                answer = self._request("GET", "languages", None)
                if not isinstance(answer, list):
                    raise _Permanent("GET /v2/languages did not return a list")
                codes: list[str] = []
                for entry in answer:
                    if isinstance(entry, dict):
                        codes.extend(str(entry[k]) for k in ("code", "longCode") if entry.get(k))
                self._languages = codes
            except (_Transient, _Permanent) as exc:
                self.down = f"LanguageTool at {self.url} unreachable: {exc}"
        return self._languages

    def resolve(self, locale: str) -> str | None:
        """The server's code for a locale ("de" -> "de-DE", "zh_CN" -> "zh-CN"), None if unsupported."""
        languages = self.languages()
        if not languages:
            return None
        wanted = locale.replace("_", "-")
        candidates = [wanted] if "-" in wanted else [_DEFAULT_VARIANTS.get(wanted, wanted), wanted]
        for candidate in candidates:
            try:
                return str(LanguageTag(candidate, languages))
            except ValueError:
                continue
        return None

    def check(self, texts: Sequence[str], locale: str) -> GrammarResult:
        """Check many segments in few requests; never raises for an outage (see `GrammarResult`)."""
        issues: list[list[GrammarIssue] | None] = [None] * len(texts)
        language = self.resolve(locale)
        if language is None:
            detail = self.down or f"LanguageTool at {self.url} does not support {locale}"
            status = EngineStatus("grammar", locale, State.UNAVAILABLE, ENGINE, detail, 0, len(texts))
            return GrammarResult(issues, status)
        requests_before = self.requests
        failure = ""
        for batch in self._batches(texts, issues):
            if self.down is not None:
                failure = self.down
                break
            try:
                matches = self._check_batch(batch.text, language)
            except _Permanent as exc:
                failure = f"LanguageTool refused a batch: {exc}"
                continue
            except _Transient as exc:
                self.down = failure = f"LanguageTool at {self.url} stopped answering: {exc}"
                break
            for index in batch.indexes:
                issues[index] = []
            for found in matches:
                self._place(batch, found, issues)
        checked = sum(found is not None for found in issues)
        state = State.CHECKED if checked == len(texts) else (State.PARTIAL if checked else State.UNAVAILABLE)
        status = EngineStatus("grammar", locale, state, ENGINE, failure, checked, len(texts))
        return GrammarResult(issues, status, self.requests - requests_before)

    # -- batching and mapping ---------------------------------------------------------------------

    def _batches(self, texts: Sequence[str], issues: list[list[GrammarIssue] | None]) -> list[_Batch]:
        batches: list[_Batch] = []
        indexes: list[int] = []
        bases: list[int] = []
        plains: list[PlainText] = []
        size = 0
        for index, text in enumerate(texts):
            plain = plain_text(text)
            if not plain.text.strip():
                issues[index] = []  # nothing to check is checked
                continue
            added = len(plain.text) + (len(SEPARATOR) if indexes else 0)
            if indexes and size + added > self.batch_chars:
                batches.append(_batch(indexes, bases, plains))
                indexes, bases, plains, size = [], [], [], 0
                added = len(plain.text)
            bases.append(size + (len(SEPARATOR) if indexes else 0))
            indexes.append(index)
            plains.append(plain)
            size += added
        if indexes:
            batches.append(_batch(indexes, bases, plains))
        return batches

    def _place(self, batch: _Batch, found: tuple[int, int, dict[str, Any]],
               issues: list[list[GrammarIssue] | None]) -> None:
        start, end, match = found
        slot = bisect.bisect_right(batch.bases, start) - 1
        if slot < 0:
            return
        base, plain = batch.bases[slot], batch.plains[slot]
        if end > base + len(plain.text) or start >= base + len(plain.text):
            return  # a match on the separator or across two segments is not about either
        span = plain.span(start - base, end - base)
        rule = match.get("rule") if isinstance(match.get("rule"), dict) else {}
        category = rule.get("category") if isinstance(rule.get("category"), dict) else {}
        offered = match.get("replacements") or []
        replacements = tuple(
            str(r["value"]) for r in offered if isinstance(r, dict) and r.get("value")
        )[:_MAX_REPLACEMENTS]
        target = issues[batch.indexes[slot]]
        assert target is not None
        target.append(GrammarIssue(
            start=span[0], end=span[1], message=str(match.get("message") or match.get("shortMessage") or ""),
            rule=str(rule.get("id") or ""), category=str(category.get("id") or ""),
            category_name=str(category.get("name") or ""), issue_type=str(rule.get("issueType") or ""),
            replacements=replacements, engine=ENGINE,
        ))

    # -- transport --------------------------------------------------------------------------------

    def _check_batch(self, text: str, language: str) -> list[tuple[int, int, dict[str, Any]]]:
        form = {"text": text, "language": language}
        if self.disabled_rules:
            form["disabledRules"] = ",".join(self.disabled_rules)
        if self.disabled_categories:
            form["disabledCategories"] = ",".join(self.disabled_categories)
        answer = self._request("POST", "check", form, validate=_valid_check_answer)
        to_python = _utf16_to_python(text)
        found = []
        for match in answer["matches"]:
            start = to_python(match["offset"])
            end = to_python(match["offset"] + match["length"])
            found.append((start, end, match))
        return found

    def _request(self, method: str, path: str, form: dict[str, str] | None,
                 validate: Any = None) -> Any:
        last: Exception | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(self.backoff * 2 ** (attempt - 1), _MAX_BACKOFF_SECONDS))
            try:
                answer = self._send(method, path, form)
                if validate is not None and not validate(answer):
                    raise _Transient(f"malformed answer from {method} /v2/{path}")
                return answer
            except _Transient as exc:
                last = exc
        raise _Transient(f"{last} (after {self.retries + 1} tries)")

    def _send(self, method: str, path: str, form: dict[str, str] | None) -> Any:
        data = urllib.parse.urlencode(form).encode("utf-8") if form is not None else None
        request = urllib.request.Request(f"{self.base}/{path}", data=data, method=method,
                                         headers={"Accept": "application/json"})
        self.requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            code = exc.code
            if code >= 500 or code == 429:
                raise _Transient(f"HTTP {code}") from None
            detail = exc.read()[:200].decode("utf-8", "replace").strip()
            raise _Permanent(f"HTTP {code} {detail}".strip()) from None
        except TimeoutError:
            raise _Transient(f"no answer within {self.timeout:g} s") from None
        except urllib.error.URLError as exc:
            raise _Transient(f"connection failed: {exc.reason}") from None
        except (http.client.HTTPException, OSError) as exc:
            raise _Transient(f"connection failed: {exc.__class__.__name__} {exc}".strip()) from None
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise _Transient(f"malformed JSON from {method} /v2/{path}") from None


def _batch(indexes: list[int], bases: list[int], plains: list[PlainText]) -> _Batch:
    return _Batch(indexes, bases, plains, SEPARATOR.join(p.text for p in plains))


def _valid_check_answer(answer: Any) -> bool:
    if not isinstance(answer, dict) or not isinstance(answer.get("matches"), list):
        return False
    return all(
        isinstance(m, dict) and isinstance(m.get("offset"), int) and isinstance(m.get("length"), int)
        and m["offset"] >= 0 and m["length"] >= 0
        for m in answer["matches"]
    )


def _utf16_to_python(text: str) -> Any:
    """A function from UTF-16 code-unit offsets (LanguageTool's) to Python string indices."""
    if text.isascii() or all(ord(c) <= 0xFFFF for c in text):
        return lambda offset: min(offset, len(text))
    boundaries: list[int] = []  # UTF-16 offset where each Python character starts
    position = 0
    for char in text:
        boundaries.append(position)
        position += 2 if ord(char) > 0xFFFF else 1
    boundaries.append(position)
    return lambda offset: min(bisect.bisect_left(boundaries, offset), len(text))
