"""Read the glossary YAML files: every entry checked, every error naming its file and line.

YAML is composed into nodes (never constructed into Python objects), so no tag can run code and
every value keeps the line it came from. A scalar whose tag is not `!!str` is still built once under
its tag, only to refuse what the tag says is impossible (`term: !!int x`, `dnt: !!bool maybe`) at its
line instead of silently reading the text. A malformed file raises `MedlocError` before any stage
writes anything.
"""

from __future__ import annotations

import re
from pathlib import Path

from medloc import yamlio
from medloc.glossary.model import Concept, Example, Glossary, LocaleTerms
from medloc.model import MedlocError

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_LOCALE_RE = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2}|_[A-Z][a-z]{3}|-[0-9]{3})?$")
_ENTRY_KEYS = {"id", "term", "pos", "allowed", "forbidden", "dnt", "note", "source", "examples"}
_LOCALE_KEYS = {"preferred", "allowed", "forbidden", "note"}
_POS = {"noun", "verb", "adjective", "adverb", "phrase", "proper noun", "abbreviation"}
_STR_TAG = "tag:yaml.org,2002:str"
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
}
MAX_FILE_BYTES = 5_000_000


def glossary_files(location: Path) -> list[Path]:
    """The YAML files of a glossary folder in name order (or the one file given)."""
    if location.is_file():
        return [location]
    if not location.is_dir():
        raise MedlocError("glossary folder not found", path=str(location))
    return sorted(p for p in location.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_glossary(location: Path | str) -> Glossary:
    """Load one YAML file or every YAML file of a folder into one Glossary."""
    concepts: list[Concept] = []
    for path in glossary_files(Path(location)):
        concepts.extend(load_file(path))
    return Glossary(tuple(concepts))


def load_file(path: Path) -> list[Concept]:
    """Parse one glossary file (a YAML list of entries)."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise MedlocError(f"glossary file larger than {MAX_FILE_BYTES} bytes", path=str(path))
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MedlocError(f"not UTF-8: {exc.reason}", path=str(path)) from exc
    except OSError as exc:
        raise MedlocError(f"cannot read glossary: {exc.strerror}", path=str(path)) from exc
    return parse_text(text, str(path))


def parse_text(text: str, name: str) -> list[Concept]:
    """Parse glossary YAML held in memory; `name` is used in error messages."""
    try:
        root = yamlio.compose(text)
    except yamlio.YamlSyntaxError as exc:
        raise MedlocError(f"invalid YAML: {exc.problem}", path=name, line=exc.line) from exc
    if root is None:
        return []
    reader = _Reader(name)
    if root.kind != "sequence":
        reader.fail(root, "a glossary file is a list of entries (each starting with '- id: ...')")
    return [reader.entry(node) for node in root.items]


class _Reader:
    """Turns composed YAML nodes into Concepts, failing with the node's line."""

    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, node: yamlio.YamlNode, message: str) -> None:
        raise MedlocError(message, path=self.name, line=node.line)

    def scalar(self, node: yamlio.YamlNode, what: str) -> str:
        if node.kind != "scalar" or node.tag not in _STANDARD_TAGS:
            self.fail(node, f"{what} must be a plain text value")
        if node.tag != _STR_TAG:
            self.value(node, what, hint=" (quote it if it is text)")  # `term: 0b_` reads as an int
        return node.text.strip()

    def value(self, node: yamlio.YamlNode, what: str, hint: str = "") -> object:
        """The scalar built under its tag; text the tag cannot hold is an error at the node's line."""
        try:
            return node.scalar_value
        except yamlio.YamlSyntaxError as exc:
            raise MedlocError(
                f"{what}: {exc.problem}{hint}", path=self.name, line=exc.line or node.line
            ) from exc

    def text(self, node: yamlio.YamlNode, what: str) -> str:
        value = self.scalar(node, what)
        if not value:
            self.fail(node, f"{what} is empty")
        return value

    def texts(self, node: yamlio.YamlNode, what: str) -> tuple[str, ...]:
        if node.kind == "scalar":
            return (self.text(node, what),)
        if node.kind != "sequence":
            self.fail(node, f"{what} must be a list of terms")
        return tuple(self.text(item, what) for item in node.items)

    def mapping(self, node: yamlio.YamlNode, what: str) -> dict[str, yamlio.YamlNode]:
        if node.kind != "mapping":
            self.fail(node, f"{what} must be a mapping")
        result: dict[str, yamlio.YamlNode] = {}
        for key_node, value in node.pairs:
            key = self.scalar(key_node, "a key")
            if key in result:
                self.fail(key_node, f"key '{key}' given twice in {what}")
            result[key] = value
        return result

    def entry(self, node: yamlio.YamlNode) -> Concept:
        fields = self.mapping(node, "a glossary entry")
        for key, value in fields.items():
            if key not in _ENTRY_KEYS and not _LOCALE_RE.match(key):
                self.fail(value, f"unknown key '{key}' (known: {', '.join(sorted(_ENTRY_KEYS))} and locales)")
        for required in ("id", "term"):
            if required not in fields:
                self.fail(node, f"entry without '{required}'")
        concept_id = self.text(fields["id"], "id")
        if not _ID_RE.match(concept_id):
            self.fail(fields["id"], f"id '{concept_id}' must be lowercase letters, digits, '-' or '.'")
        pos = self.text(fields["pos"], "pos") if "pos" in fields else "noun"
        if pos not in _POS:
            self.fail(fields["pos"], f"pos '{pos}' is not one of {', '.join(sorted(_POS))}")
        dnt = False
        if "dnt" in fields:
            value = fields["dnt"]
            if value.kind != "scalar" or value.tag != "tag:yaml.org,2002:bool":
                self.fail(value, "dnt must be true or false")
            dnt = self.value(value, "dnt") is True
        translations = {
            key: self.locale_terms(value, f"{concept_id}.{key}")
            for key, value in fields.items()
            if key not in _ENTRY_KEYS
        }
        return Concept(
            id=concept_id,
            term=self.text(fields["term"], "term"),
            pos=pos,
            allowed=self.texts(fields["allowed"], "allowed") if "allowed" in fields else (),
            forbidden=self.texts(fields["forbidden"], "forbidden") if "forbidden" in fields else (),
            translations=translations,
            dnt=dnt,
            note=self.scalar(fields["note"], "note") if "note" in fields else "",
            source=self.scalar(fields["source"], "source") if "source" in fields else "",
            examples=self.examples(fields["examples"]) if "examples" in fields else (),
            path=self.name,
            line=node.line,
        )

    def locale_terms(self, node: yamlio.YamlNode, what: str) -> LocaleTerms:
        if node.kind == "scalar":
            return LocaleTerms(preferred=self.scalar(node, what))
        fields = self.mapping(node, what)
        for key, value in fields.items():
            if key not in _LOCALE_KEYS:
                self.fail(value, f"unknown key '{key}' in {what} (known: {', '.join(sorted(_LOCALE_KEYS))})")
        return LocaleTerms(
            preferred=self.scalar(fields["preferred"], f"{what}.preferred") if "preferred" in fields else "",
            allowed=self.texts(fields["allowed"], f"{what}.allowed") if "allowed" in fields else (),
            forbidden=self.texts(fields["forbidden"], f"{what}.forbidden") if "forbidden" in fields else (),
            note=self.scalar(fields["note"], f"{what}.note") if "note" in fields else "",
        )

    def examples(self, node: yamlio.YamlNode) -> tuple[Example, ...]:
        if node.kind != "sequence":
            self.fail(node, "examples must be a list of {wrong: ..., right: ...}")
        result = []
        for item in node.items:
            fields = self.mapping(item, "an example")
            if set(fields) != {"wrong", "right"}:
                self.fail(item, "an example has exactly the keys 'wrong' and 'right'")
            result.append(Example(self.text(fields["wrong"], "wrong"), self.text(fields["right"], "right")))
        return tuple(result)
