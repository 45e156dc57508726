"""Safe YAML in and out: the only module that imports PyYAML.

Why one module: YAML reaches us from files people edit (the glossary, Markdown front matter), so
every read must go through PyYAML's *safe* loader and every error must carry a line a person can
find. Keeping the calls here means nobody can reach for `yaml.load` with an unsafe loader, the
error translation is written once, and swapping the library touches one file.

What the rest of the code may call:

- `load(text)`: plain Python data (dicts, lists, strings, numbers, booleans, None, dates, bytes),
  safe loader only.
- `compose(text)`: the document as `YamlNode`s that keep their tag, 1-based line and character
  offsets; no value is ever constructed, so no tag can run code. Nodes are wrapped lazily: an alias
  is the same node again (as in PyYAML), so a "billion laughs" document costs only what is visited.
  `YamlNode.scalar_value` constructs one scalar when a caller needs to know `!!int x` is not an int.
- `dump(data, width=...)`: block-style YAML text, Unicode kept readable, keys in insertion order.
- `YamlSyntaxError`: malformed text, with the parser's problem and the 1-based line it points at.
  That includes text that parses but cannot be built into a value (`!!int x`, `!!timestamp 2024-13-45`,
  `!!binary "%%%"`, a tag the safe loader refuses) and nesting too deep to follow: PyYAML raises
  plain ValueError/KeyError/RecursionError for some of these, which used to escape every caller's
  `except YamlSyntaxError` and stop a whole run over one article's front matter.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

NodeKind = Literal["scalar", "sequence", "mapping"]


class YamlSyntaxError(Exception):
    """Text that is not YAML. `problem` is PyYAML's description, `line` 1-based in the text given.

    `line` is None only if PyYAML gives no position at all (every error it raises today has one).
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


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


class _SafeConstructor(SafeConstructor):
    """PyYAML's safe constructor, with every failure to build a value reported at its node.

    PyYAML checks a node's *shape* with `ConstructorError` (which has a mark) but converts scalar text
    with plain `int()`, `float()`, `datetime.date()` and dictionary look-ups, so `!!int x` raised a
    bare ValueError and `!!bool maybe` a KeyError, with no line. The innermost failing node wraps the
    error; the nodes around it let our `ConstructorError` through unchanged.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (yaml.YAMLError, RecursionError):
            raise
        except Exception as exc:  # whatever the conversion raised: the node's text is what is wrong
            shown = f"{node.value!r} " if isinstance(node, yaml.ScalarNode) else ""
            detail = f" ({exc})" if type(exc) is ValueError else ""
            problem = f"{shown}is not a valid {_short_tag(node.tag)} value{detail}"
            raise ConstructorError(None, None, problem, node.start_mark) from exc

    def construct_yaml_binary(self, node: yaml.ScalarNode) -> bytes:
        """Strict base64: PyYAML's `decodebytes` drops what is not base64, so `!!binary "%%%"` was b""."""
        value = "".join(str(self.construct_scalar(node)).split())  # line breaks are allowed in !!binary
        try:
            return base64.b64decode(value.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError) as exc:
            raise ConstructorError(
                None, None, f"{node.value!r} is not a valid !!binary value ({exc})", node.start_mark
            ) from exc


_SafeConstructor.add_constructor("tag:yaml.org,2002:binary", _SafeConstructor.construct_yaml_binary)


class _SafeLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    _SafeConstructor,
    yaml.resolver.Resolver,
):
    """`yaml.SafeLoader` with our constructor (same parts, same order)."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


def _read(text: str, build: bool) -> Any:
    """Compose (`build` False) or load the one document in `text`, every failure a `YamlSyntaxError`."""
    loader: _SafeLoader | None = None
    try:
        loader = _SafeLoader(text)  # the reader refuses control characters here, before parsing
        return loader.get_single_data() if build else loader.get_single_node()
    except yaml.reader.ReaderError as exc:  # no mark, but a character offset into `text`
        shown = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        problem = f"unacceptable character {shown}: {exc.reason}"
        raise YamlSyntaxError(problem, text.count("\n", 0, exc.position) + 1) from exc
    except yaml.YAMLError as exc:
        raise _syntax_error(exc) from exc
    except RecursionError as exc:  # `[[[[…`: the composer recurses once per level of nesting
        line = loader.get_mark().line + 1 if loader is not None else None
        raise YamlSyntaxError("nested too deeply to read", line) from exc
    finally:
        if loader is not None:
            loader.dispose()


def load(text: str) -> Any:
    """The Python value of a YAML document (safe loader: standard tags only)."""
    return _read(text, build=True)


def compose(text: str) -> YamlNode | None:
    """The document's node tree (None for an empty document), without constructing any value."""
    root = _read(text, build=False)
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
    def scalar_value(self) -> Any:
        """A scalar's value built under its tag (safe constructor); None for other kinds.

        For callers that read `text` but must not accept what the tag says is impossible (`!!int x`,
        `!!bool maybe`): raises `YamlSyntaxError` at this node's line when the text does not fit.
        """
        if self.kind != "scalar":
            return None
        try:
            return _SafeConstructor().construct_object(self._node, deep=True)
        except yaml.YAMLError as exc:
            raise _syntax_error(exc) from exc

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
