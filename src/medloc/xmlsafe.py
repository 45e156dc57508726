"""Parsing untrusted XML: the only module that imports defusedxml.

Why one module: every XML document we read comes from outside (TMX from agencies, TBX from
terminology tools, sitemaps and feeds from the network), and the standard library's parser expands
entities ("billion laughs") and may resolve external ones. Routing every parse through here means
no module can call `xml.etree.ElementTree.fromstring` on such input by accident, and the three ways
a parse fails are reduced to two exceptions of ours that callers turn into their own messages.
Writing XML (TMX and TBX export) uses the standard library directly: that is not parsing input.

What the rest of the code may call:

- `parse(data, forbid_dtd=False)`: the root `Element` of an XML document held in memory.
- `parse_file(path)`: the same for a file, read by the parser (OSError propagates unchanged).
- `XmlSyntaxError`: not well-formed, or text that cannot be decoded (an unknown or unsupported
  `encoding=`, a lone surrogate in a `str`); `str()` is the parser's or codec's message, `line` is
  1-based or None.
- `UnsafeXmlError`: an entity declaration, external reference or (with `forbid_dtd`) a DTD was
  refused, never resolved; `kind` names the refusal (e.g. "EntitiesForbidden").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException


class XmlSyntaxError(Exception):
    """Text that is not well-formed XML; `line` is where the parser stopped (1-based) or None."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class UnsafeXmlError(Exception):
    """XML refused for what it declares (entities, external references, a forbidden DTD)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def parse(data: bytes | str, *, forbid_dtd: bool = False) -> Element:
    """The root element of `data`; entities and external references are refused, never expanded."""
    with _translated_errors():
        return SafeET.fromstring(data, forbid_dtd=forbid_dtd)


def parse_file(path: str | Path) -> Element:
    """The root element of the XML file at `path` (same refusals as `parse`; OSError as raised)."""
    # Opened before the translation starts: a bad path (a NUL byte: ValueError) is not the file's syntax.
    with open(path, "rb") as file, _translated_errors():
        return SafeET.parse(file).getroot()


@contextmanager
def _translated_errors() -> Iterator[None]:
    """The parser's failures as our two exceptions; anything else passes through unchanged."""
    try:
        yield
    except ParseError as exc:
        position = getattr(exc, "position", None)
        raise XmlSyntaxError(str(exc), position[0] if position else None) from exc
    except DefusedXmlException as exc:
        raise UnsafeXmlError(type(exc).__name__) from exc
    except LookupError as exc:  # `<?xml encoding="bogus"?>`: expat asks the codec registry (found by fuzzing)
        raise XmlSyntaxError(str(exc), 1) from exc
    except UnicodeEncodeError as exc:  # a `str` with a lone surrogate: the parser encodes it to UTF-8 first
        line = exc.object.count("\n", 0, exc.start) + 1 if isinstance(exc.object, str) else None
        raise XmlSyntaxError(f"character the parser cannot take: {exc.reason}", line) from exc
    except ValueError as exc:
        # The declaration names a codec expat cannot use: "multi-byte encodings are not supported"
        # (`encoding="shift_jis"`, "utf-7", "big5"), or one that fails as it decodes ("idna",
        # "punycode", "undefined": UnicodeError). Plain ValueErrors, they escaped every caller's
        # `except XmlSyntaxError` and stopped a whole TMX/TBX import or feed read.
        raise XmlSyntaxError(f"cannot decode the document with its declared encoding: {exc}", 1) from exc
