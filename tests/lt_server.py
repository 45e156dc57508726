"""A real HTTP server on 127.0.0.1 that speaks LanguageTool's /v2 protocol, for client tests.

It answers GET /v2/languages and form-encoded POST /v2/check with JSON shaped like LanguageTool
6.x's (offsets in UTF-16 code units, rule with category, replacements, context), finds a few
real-looking problems with regular expressions, and can misbehave on purpose: answer slowly, fail
with 5xx, send malformed JSON, refuse a language, or shut itself down after N answers.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LANGUAGES = [
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "Spanish", "code": "es", "longCode": "es"},
    {"name": "French", "code": "fr", "longCode": "fr"},
    {"name": "German", "code": "de", "longCode": "de"},
    {"name": "German (Germany)", "code": "de", "longCode": "de-DE"},
    {"name": "Chinese", "code": "zh", "longCode": "zh-CN"},
]

# (pattern, group whose span is reported, rule id, category id, category name, issue type, message, fix)
RULES = [
    (re.compile(r"\b(\w+) (\1)\b", re.IGNORECASE), 0, "ENGLISH_WORD_REPEAT_RULE", "MISC", "Miscellaneous",
     "duplication", "Possible typo: you repeated a word.", lambda m: m.group(1)),
    (re.compile(r"\byou (goes)\b"), 1, "PERS_PRONOUN_AGREEMENT", "GRAMMAR", "Grammar", "grammar",
     "The pronoun 'you' must be used with a non-third-person form of a verb.", lambda m: "go"),
    (re.compile(r"(\w) (,)"), 2, "COMMA_PARENTHESIS_WHITESPACE", "TYPOGRAPHY", "Typography",
     "whitespace", "Don't put a space before the full stop or comma.", lambda m: ","),
    (re.compile(r"\b(recieve)\b"), 1, "MORFOLOGIK_RULE_EN_US", "TYPOS", "Possible Typo", "misspelling",
     "Possible spelling mistake found.", lambda m: "receive"),
    (re.compile(r"\b(very unique)\b"), 1, "VERY_UNIQUE", "STYLE", "Style", "style",
     "'Unique' cannot be graded.", lambda m: "unique"),
    (re.compile(r"\b(Les patient)\b"), 1, "D_N", "GRAMMAR", "Grammaire", "grammar",
     "Accord de nombre erroné.", lambda m: "Les patients"),
    # A rule that reads across a paragraph break: the client must not pin it on either segment.
    (re.compile(r"(END\n\nSTART)"), 1, "CROSS_PARAGRAPH", "GRAMMAR", "Grammar", "grammar",
     "Spans two paragraphs.", lambda m: ""),
]


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


@dataclass
class Behaviour:
    """How the server misbehaves; counters count POST /v2/check requests."""

    delay_first: int = 0  # the first N check requests answer after `delay` seconds
    delay: float = 0.0
    fail_first: int = 0  # the first N check requests get HTTP `fail_status`
    fail_status: int = 503
    malformed_first: int = 0  # the first N check requests get broken JSON
    die_after: int | None = None  # shut down after answering N check requests
    refuse_languages: tuple[str, ...] = ()  # 400 for these language codes
    checks: int = 0
    texts: list[str] = field(default_factory=list)
    forms: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def check_answer(text: str, language: str) -> dict[str, object]:
    matches = []
    for pattern, group, rule, cat, cat_name, issue, message, fix in RULES:
        for m in pattern.finditer(text):
            start, end = m.span(group)
            matches.append({
                "message": message, "shortMessage": "",
                "replacements": [{"value": fix(m)}] if fix(m) else [],
                "offset": utf16(text, start), "length": utf16(text, end) - utf16(text, start),
                "context": {"text": text[max(0, start - 20):end + 20], "offset": min(20, start),
                            "length": end - start},
                "sentence": text[max(0, start - 40):end + 40],
                "type": {"typeName": "Other"},
                "rule": {"id": rule, "description": message, "issueType": issue,
                         "category": {"id": cat, "name": cat_name}},
                "ignoreForIncompleteSentence": False, "contextForSureMatch": 0,
            })
    matches.sort(key=lambda m: m["offset"])  # type: ignore[arg-type, return-value]
    return {
        "software": {"name": "LanguageTool", "version": "6.5", "buildDate": "2024-09-27 11:47:39 +0000",
                     "apiVersion": 1, "premium": False, "status": ""},
        "warnings": {"incompleteResults": False},
        "language": {"name": language, "code": language,
                     "detectedLanguage": {"name": language, "code": language, "confidence": 0.99}},
        "matches": matches,
    }


class FakeLanguageTool:
    """Start with `with FakeLanguageTool() as lt:`; `lt.url` is the base URL (no /v2)."""

    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour = behaviour or Behaviour()
        handler = _handler(self)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.alive = False

    def __enter__(self) -> FakeLanguageTool:
        self._thread.start()
        self.alive = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        if self.alive:
            self.alive = False
            self.server.shutdown()
            self.server.server_close()


def _handler(fake: FakeLanguageTool) -> type[BaseHTTPRequestHandler]:
    behaviour = fake.behaviour

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v2/languages":
                self._send(200, json.dumps(LANGUAGES).encode())
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8")
            if self.path.rstrip("/") != "/v2/check":
                self._send(404, b"not found", "text/plain")
                return
            if not self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
                self._send(400, b"Error: expected a form-encoded body", "text/plain")
                return
            form = {k: v[0] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
            with behaviour.lock:
                behaviour.checks += 1
                n = behaviour.checks
                behaviour.forms.append(form)
            text, language = form.get("text", ""), form.get("language", "")
            if n <= behaviour.delay_first:
                time.sleep(behaviour.delay)
            if n <= behaviour.fail_first:
                self._send(behaviour.fail_status, b"<html>Service Unavailable</html>", "text/html")
                return
            if n <= behaviour.malformed_first:
                self._send(200, b'{"software": {"name": "LanguageTool"}, "matches": [{"offset": ')
                return
            if language in behaviour.refuse_languages:
                self._send(400, f"Error: '{language}' is not a language code known to LanguageTool".encode(),
                           "text/plain")
                return
            with behaviour.lock:
                behaviour.texts.append(text)
            answer = json.dumps(check_answer(text, language)).encode()
            if behaviour.die_after is not None and n >= behaviour.die_after:
                fake.stop()  # the listening socket is closed before this answer leaves
            self._send(200, answer)

    return Handler
