"""PO file reading and writing that keeps translators' files byte for byte.

Why not polib's writer: on the 27 Django catalogues polib reorders header fields and wraps long
strings differently from GNU gettext (space at the start of a continuation line instead of the end),
so every run would rewrite files that Poedit, Weblate or msgmerge produced. Here each parsed entry
keeps its original lines and is written back verbatim unless its content changed; new or changed
entries are wrapped the way GNU gettext does (79 columns, breaks after spaces and after `\\n`).
The parser records line numbers, so a syntax error names the file and line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

WIDTH = 79


class POSyntaxError(ValueError):
    """A PO syntax error at `line` (1-based)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(f"line {line}: {message}")
        self.message = message
        self.line = line


@dataclass(slots=True, eq=False)
class Entry:
    """One PO entry. `msgstr_plural` is used instead of `msgstr` when `msgid_plural` is set."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    comments: list[str] = field(default_factory=list)  # "# " translator comments
    extracted: list[str] = field(default_factory=list)  # "#." comments from the source
    references: list[str] = field(default_factory=list)  # "#:" lines, kept as written
    flags: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    line: int = 0
    raw: str | None = None  # the entry's original text, reused while the content is unchanged
    _snapshot: tuple[object, ...] | None = None

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def set_flag(self, flag: str, on: bool = True) -> None:
        if on and flag not in self.flags:
            self.flags.append(flag)
        elif not on and flag in self.flags:
            self.flags.remove(flag)

    @property
    def translated(self) -> bool:
        """Has a translation that is not fuzzy (what msgfmt would compile)."""
        if self.fuzzy or not self.msgid:
            return False
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural.values())
        return bool(self.msgstr)

    def translations(self) -> list[str]:
        """Every non-empty msgstr of the entry (one, or one per plural form)."""
        if self.msgid_plural is not None:
            return [s for _, s in sorted(self.msgstr_plural.items()) if s]
        return [self.msgstr] if self.msgstr else []

    def content(self) -> tuple[object, ...]:
        return (
            self.msgid, self.msgstr, self.msgctxt, self.msgid_plural,
            tuple(sorted(self.msgstr_plural.items())),
            tuple(self.comments), tuple(self.extracted), tuple(self.references), tuple(self.flags),
            self.previous_msgctxt, self.previous_msgid, self.previous_msgid_plural, self.obsolete,
        )  # fmt: skip

    def freeze(self) -> None:
        """Remember the current content: `raw` stays valid until something changes."""
        self._snapshot = self.content()


@dataclass(slots=True, eq=False)
class POFile:
    """A parsed PO/POT file: the header entry (msgid "") and the other entries in file order."""

    header: Entry | None
    entries: list[Entry]
    leading_raw: str = ""  # comment-only text before the first entry (rare; kept as is)

    def header_fields(self) -> dict[str, str]:
        return parse_header(self.header.msgstr if self.header else "")


def parse_header(msgstr: str) -> dict[str, str]:
    fields_: dict[str, str] = {}
    for line in msgstr.split("\n"):
        name, sep, value = line.partition(":")
        if sep:
            fields_[name.strip()] = value.strip()
    return fields_


# ---------------------------------------------------------------- reading

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPE_RE = re.compile(r'\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)')
_KEYWORD_RE = re.compile(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s*(".*)$')


def _unquote(token: str, line: int) -> str:
    token = token.strip()
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise POSyntaxError(f"expected a quoted string, got {token[:40]!r}", line)
    body = token[1:-1]
    if "\\" not in body:
        if '"' in body:
            raise POSyntaxError("unescaped double quote inside a string", line)
        return body

    def repl(m: re.Match[str]) -> str:
        code = m.group(1)
        if code[0] == "x":
            if len(code) == 1:  # `\x` without hex digits: was an unhandled ValueError (found by fuzzing)
                raise POSyntaxError("invalid escape sequence \\x (no hex digits)", line)
            return chr(int(code[1:], 16))
        if code[0] in "01234567":
            return chr(int(code, 8))
        if code in _ESCAPES:
            return _ESCAPES[code]
        raise POSyntaxError(f"invalid escape sequence \\{code}", line)

    if re.search(r'(?<!\\)(?:\\\\)*"', body):
        raise POSyntaxError("unescaped double quote inside a string", line)
    return _ESCAPE_RE.sub(repl, body)


def parse(text: str) -> POFile:
    """Parse PO text. Raises POSyntaxError with a 1-based line number."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    entries: list[Entry] = []
    cur: Entry | None = None
    start = 0  # index of the first line of the current entry
    field_name: str | None = None  # where continuation strings go
    seen_msgstr = False
    started = False  # the current entry has a keyword line (not only comments)
    last_content = -1
    prev_field: str | None = None  # where "#|" continuation strings go

    def finish(end: int) -> None:
        nonlocal cur, field_name, seen_msgstr, started
        if cur is not None and started:
            if not seen_msgstr:
                raise POSyntaxError("entry without msgstr", cur.line)
            cur.raw = "\n".join(lines[start:end]).rstrip("\n")
            cur.freeze()
            entries.append(cur)
        cur, field_name, seen_msgstr, started = None, None, False, False

    for i, line in enumerate(lines):
        n = i + 1
        stripped = line.strip()
        if not stripped:
            if started and seen_msgstr:
                finish(last_content + 1)
            continue
        obsolete = False
        body = stripped
        if body.startswith("#~"):
            obsolete = True
            body = body[2:]
            body = "#" + body if body.startswith("|") else body.lstrip()  # "#~| msgid" = obsolete previous
            if not body:
                continue
        is_comment = body.startswith("#")
        if seen_msgstr and field_name is not None:
            starts_new = is_comment or body.startswith(("msgctxt", "msgid"))
            if starts_new:
                finish(i)
        if cur is None:
            cur = Entry(msgid="", line=n)
            start = i
            prev_field = None
        last_content = i
        if obsolete:
            cur.obsolete = True
        if is_comment:
            kind, rest = body[1:2], body[2:]
            if kind == ".":
                cur.extracted.append(rest[1:] if rest.startswith(" ") else rest)
            elif kind == ":":
                cur.references.append(rest.strip())
            elif kind == ",":
                cur.flags.extend(f.strip() for f in rest.split(",") if f.strip())
            elif kind == "|":
                prev_field = _parse_previous(cur, rest.strip(), prev_field, n)
            elif kind == "~":
                continue
            else:
                text_ = body[1:]
                cur.comments.append(text_[1:] if text_.startswith(" ") else text_)
            continue
        if body.startswith('"'):
            if field_name is None:
                raise POSyntaxError("string continuation outside an entry", n)
            _append(cur, field_name, _unquote(body, n))
            continue
        m = _KEYWORD_RE.match(body)
        if not m:
            raise POSyntaxError(f"unexpected text {body[:40]!r}", n)
        keyword, index, rest = m.group(1), m.group(2), m.group(3)
        value = _unquote(rest, n)
        if keyword in ("msgctxt", "msgid") and started:
            if keyword == "msgid" and field_name == "msgctxt":
                pass
            else:
                raise POSyntaxError(f"{keyword} without msgstr for the entry before it", n)
        if keyword == "msgctxt":
            cur.msgctxt = value
            cur.line = n
        elif keyword == "msgid":
            cur.msgid = value
            if cur.msgctxt is None:
                cur.line = n
        elif keyword == "msgid_plural":
            cur.msgid_plural = value
        elif index is not None:
            cur.msgstr_plural[int(index)] = value
            seen_msgstr = True
            keyword = f"msgstr[{index}]"
        else:
            cur.msgstr = value
            seen_msgstr = True
        started = True
        field_name = keyword
    if cur is not None:
        if not started:
            # trailing comments without an entry: keep them on the last entry's raw text
            if entries:
                entries[-1].raw = (entries[-1].raw or "") + "\n\n" + "\n".join(lines[start:]).rstrip("\n")
                entries[-1].freeze()
        else:
            finish(len(lines))
    header = None
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None and not entries[0].obsolete:
        header = entries.pop(0)
    for e in entries:
        if e.msgid == "" and not e.obsolete:
            raise POSyntaxError("empty msgid outside the header", e.line)
    return POFile(header=header, entries=entries)


def _parse_previous(entry: Entry, rest: str, prev_field: str | None, n: int) -> str:
    """Parse one `#|` line (previous msgctxt/msgid/msgid_plural); returns the field it filled."""
    for keyword in ("msgid_plural", "msgctxt", "msgid"):
        if rest.startswith(keyword):
            setattr(entry, f"previous_{keyword}", _unquote(rest[len(keyword):], n))
            return keyword
    if rest.startswith('"') and prev_field is not None:
        attr = f"previous_{prev_field}"
        setattr(entry, attr, (getattr(entry, attr) or "") + _unquote(rest, n))
        return prev_field
    raise POSyntaxError(f"unexpected previous-field text {rest[:40]!r}", n)


def _append(entry: Entry, field_name: str, value: str) -> None:
    if field_name.startswith("msgstr["):
        idx = int(field_name[7:-1])
        entry.msgstr_plural[idx] += value
    else:
        setattr(entry, field_name, getattr(entry, field_name) + value)


# ---------------------------------------------------------------- writing

def _escape(s: str) -> str:
    return (
        s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
        .replace("\a", "\\a").replace("\b", "\\b").replace("\f", "\\f").replace("\v", "\\v")
        .replace("\n", "\\n")
    )  # fmt: skip


def _width(s: str) -> int:
    if s.isascii():
        return len(s)
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s
    )


def _is_cjk(c: str) -> bool:
    return unicodedata.east_asian_width(c) in "WF"


_BREAK_AFTER = set(".,:;-/?!")
_WORD_START = set("&<_#@*%$~^=+")
_SMALL_KANA = set("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶーゝゞヽヾ々")
_NO_BREAK_BEFORE = _SMALL_KANA | set("，。、；：？！）」』》〉】”’…·,.;:!?)]}")
_NO_BREAK_AFTER = set("（「『《〈【“‘([{")


def _break_points(s: str) -> list[int]:
    """Positions after which a line may break: after spaces, and between wide (CJK) characters."""
    points = []
    for i, c in enumerate(s[:-1]):
        nxt = s[i + 1]
        if c == " ":
            ok = nxt != " "
        elif c in _BREAK_AFTER:  # GNU (libunistring) breaks after these before a word, even in URLs
            ok = (nxt.isalpha() or nxt in _WORD_START or s.startswith('\\"', i + 1)) and i > 0
            ok = ok and s[i - 1] not in " \\"
        else:
            ok = False
        if not ok and nxt != " " and (_is_cjk(c) or _is_cjk(nxt)):
            ok = nxt not in _NO_BREAK_BEFORE and c not in _NO_BREAK_AFTER
        if ok:
            points.append(i + 1)
    return points


def _wrap_piece(piece: str, room: int) -> list[str]:
    """Greedy fill of one escaped piece into chunks of at most `room` columns."""
    if _width(piece) <= room:
        return [piece]
    chunks: list[str] = []
    while _width(piece) > room:
        cut = 0
        for p in _break_points(piece):
            if _width(piece[:p]) <= room:
                cut = p
            else:
                break
        if cut == 0:  # no break point fits: break at the first one (gettext does the same)
            pts = _break_points(piece)
            if not pts:
                break
            cut = pts[0]
        chunks.append(piece[:cut])
        piece = piece[cut:]
    chunks.append(piece)
    return chunks


def format_string(keyword: str, value: str, prefix: str = "") -> list[str]:
    """`keyword "value"` lines the way GNU gettext writes them (page width 79)."""
    escaped = _escape(value)
    pieces = [p for p in re.split(r"(?<=\\n)(?<!\\\\n)", escaped) if p] or [""]
    head = f"{prefix}{keyword} "
    if len(pieces) == 1 and _width(head) + _width(escaped) + 2 <= WIDTH:
        return [f'{head}"{escaped}"']
    room = WIDTH - 2 - _width(prefix)
    lines = [f'{head}""']
    for piece in pieces:
        lines.extend(f'{prefix}"{chunk}"' for chunk in _wrap_piece(piece, room))
    return lines


def format_entry(e: Entry) -> str:
    if e.raw is not None and e._snapshot == e.content():
        return e.raw
    out: list[str] = [f"# {c}" if c else "#" for c in e.comments]
    out += [f"#. {c}" if c else "#." for c in e.extracted]
    out += [f"#: {r}" for r in e.references]
    if e.flags:
        out.append("#, " + ", ".join(e.flags))
    pre = "#~ " if e.obsolete else ""
    for attr in ("msgctxt", "msgid", "msgid_plural"):
        value = getattr(e, f"previous_{attr}")
        if value is not None:
            out += format_string(attr, value, prefix=f"{pre}#| " if not pre else "#~| ")
    if e.msgctxt is not None:
        out += format_string("msgctxt", e.msgctxt, pre)
    out += format_string("msgid", e.msgid, pre)
    if e.msgid_plural is not None:
        out += format_string("msgid_plural", e.msgid_plural, pre)
        for idx in sorted(e.msgstr_plural) or [0]:
            out += format_string(f"msgstr[{idx}]", e.msgstr_plural.get(idx, ""), pre)
    else:
        out += format_string("msgstr", e.msgstr, pre)
    return "\n".join(out)


def dump(po: POFile) -> str:
    """Serialize in `po.entries` order (the merge puts obsolete entries last, as msgmerge does)."""
    blocks = [po.leading_raw] if po.leading_raw else []
    if po.header is not None:
        blocks.append(format_entry(po.header))
    blocks += [format_entry(e) for e in po.entries]
    return "\n\n".join(blocks) + "\n"
