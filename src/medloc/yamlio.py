"""Safe YAML in and out: the only module that imports PyYAML.

Why one module: YAML reaches us from files people edit (the glossary, Markdown front matter), so
every read must go through PyYAML's *safe* loader and every error must carry a line a person can
find. Keeping the calls here means nobody can reach for `yaml.load` with an unsafe loader, the
error translation is written once, and swapping the library touches one file.

What the rest of the code may call:

- `load(text)`: plain Python data (dicts, lists, strings, numbers, booleans, None), safe loader only.
- `compose(text)`: the document as `YamlNode`s that keep their tag, 1-based line and character
  offsets; no value is ever constructed, so no tag can run code. Nodes are wrapped lazily: an alias
  is the same node again (as in PyYAML), so a "billion laughs" document costs only what is visited.
- `dump(data, width=...)`: block-style YAML text, Unicode kept readable, keys in insertion order.
- `YamlSyntaxError`: malformed text, with the parser's problem and the 1-based line it points at.
"""

from __future__ import annotations

from typing import Any, Literal

import yaml

NodeKind = Literal["scalar", "sequence", "mapping"]


class YamlSyntaxError(Exception):
    """Text that is not YAML. `problem` is PyYAML's description, `line` 1-based in the text given.

    `line` is None when the parser gives no position (e.g. a control character the reader refuses).
    """

    def __init__(self, problem: str, line: int | None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


def _syntax_error(exc: yaml.YAMLError) -> YamlSyntaxError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        return YamlSyntaxError(str(exc.problem or exc), mark.line + 1 if mark else None)
    return YamlSyntaxError(str(exc), None)


def load(text: str) -> Any:
    """The Python value of a YAML document (safe loader: standard tags only)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc) from exc


def compose(text: str) -> YamlNode | None:
    """The document's node tree (None for an empty document), without constructing any value."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise _syntax_error(exc) from exc
    return None if root is None else YamlNode(root)


def dump(data: Any, *, width: int | None = None) -> str:
    """Block-style YAML for plain data: Unicode as is, mapping keys in their insertion order."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=width)


class YamlNode:
    """One composed node: its kind, tag, position, and (by kind) its text, items or key/value pairs."""

    __slots__ = ("_node",)

    def __init__(self, node: yaml.Node) -> None:
        self._node = node

    @property
    def kind(self) -> NodeKind:
        if isinstance(self._node, yaml.ScalarNode):
            return "scalar"
        return "sequence" if isinstance(self._node, yaml.SequenceNode) else "mapping"

    @property
    def tag(self) -> str:
        """The resolved tag, e.g. "tag:yaml.org,2002:str" (a custom `!tag` stays as written)."""
        return str(self._node.tag)

    @property
    def line(self) -> int:
        """1-based line where the node starts."""
        return int(self._node.start_mark.line) + 1

    @property
    def start(self) -> int:
        """Character offset of the node's first character in the composed text."""
        return int(self._node.start_mark.index)

    @property
    def end(self) -> int:
        """Character offset just past the node (a block scalar's span includes its last newline)."""
        return int(self._node.end_mark.index)

    @property
    def text(self) -> str:
        """A scalar's text as written (unquoted, not converted); "" for other kinds."""
        return str(self._node.value) if self.kind == "scalar" else ""

    @property
    def items(self) -> list[YamlNode]:
        """A sequence's items; [] for other kinds."""
        if self.kind != "sequence":
            return []
        return [YamlNode(item) for item in self._node.value]

    @property
    def pairs(self) -> list[tuple[YamlNode, YamlNode]]:
        """A mapping's (key, value) nodes in document order, duplicates kept; [] for other kinds."""
        if self.kind != "mapping":
            return []
        return [(YamlNode(key), YamlNode(value)) for key, value in self._node.value]
