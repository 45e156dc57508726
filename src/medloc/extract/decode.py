"""Bytes → text, refusing to guess: a wrongly guessed encoding corrupts every accented letter.

Accepted: a byte-order mark (UTF-8, UTF-16 LE/BE: the BOM is an explicit declaration), the HTTP
charset, an HTML `<meta charset>` / `http-equiv` declaration, else strict UTF-8. Anything else is an
error that names the file, the line and the offending byte, so the editor can re-save the file.
"""

from __future__ import annotations

import codecs
import re

from medloc.model import MedlocError

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_source(data: bytes, path: str, *, http_charset: str | None = None, is_html: bool = False) -> str:
    """Decode article bytes; the text never starts with a BOM (it is a declaration, not content)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding, path, "byte-order mark")
    if data[:2].count(0) or data[:4].count(0) >= 2:
        raise MedlocError("looks like UTF-16/32 without a byte-order mark; save it as UTF-8", path=path)
    declared = http_charset
    how = "HTTP Content-Type"
    line: int | None = None  # of the declaration, when it is in the file
    if declared is None and is_html:
        match = _META.search(data[:4096])
        if match:
            declared, how = match.group(1).decode("ascii"), "<meta charset>"
            line = data.count(b"\n", 0, match.start()) + 1
    if declared:
        try:
            info = codecs.lookup(declared)
        except LookupError:
            raise MedlocError(f"unknown encoding {declared!r} declared by {how}", path=path,
                              line=line) from None
        # Python's codec registry also names bytes-to-bytes codecs ("uu", "base64", "zlib"): no charset.
        if not getattr(info, "_is_text_encoding", True):
            raise MedlocError(f"{declared!r} declared by {how} is not a text encoding", path=path,
                              line=line)
        if info.name in ("utf-16", "utf-32"):  # meta says utf-16 but bytes had no BOM
            declared = "utf-8"
        return _decode(data, declared, path, how)
    return _decode(data, "utf-8", path, None)


def _decode(data: bytes, encoding: str, path: str, how: str | None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start : exc.start + 1].hex()
        if how is None:
            hint = (
                "the file is not UTF-8 and declares no encoding (cp1252/Latin-1 text?): "
                "save it as UTF-8 or declare it with <meta charset>"
            )
        else:
            hint = f"the bytes do not match the encoding {encoding!r} declared by {how}"
        raise MedlocError(f"{hint} (byte 0x{byte} at offset {exc.start})", path=path, line=line) from None
