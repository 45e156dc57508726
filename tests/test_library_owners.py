"""One module owns each third-party library (README, "Libraries"): the rule, checked on the source.

Why a test: the rule keeps a library's quirks, errors and upgrade in one file, and it erodes one
convenient import at a time. Every module under src/medloc and flows/ is parsed with `ast` (nothing
is imported), and every third-party top-level package it loads is collected: `import x`,
`from x import y`, imports inside functions (a lazy import loads the library all the same), and
`importlib.import_module("x")` / `__import__("x")` with a literal name. Third-party means neither
the standard library (`sys.stdlib_module_names`) nor our own packages. Imports under
`if TYPE_CHECKING:` are left out: they never run, so they cannot load the library.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict

from paths import REPO

ROOTS = (REPO / "src" / "medloc", REPO / "flows")
OURS = {"medloc", "flows"}

# Libraries a whole package shares, and why. Each entry names the folder its importers must be in;
# outside that folder the one-owner rule applies as usual (a second package importing it fails).
SHARED: dict[str, str] = {
    # Prefect is the orchestration layer itself: each module of flows/ declares its flows and tasks
    # with Prefect's decorators and runners. The library (src/medloc) never imports it.
    "prefect": "flows/",
    # Typer is how the CLI declares its commands: each module of medloc/cli/ registers its commands
    # on the one app with `typer.Option`/`typer.Argument` annotations. Nothing outside cli/ uses it.
    "typer": "src/medloc/cli/",
}
# Libraries imported by more than one module in files another change is rewriting right now; each
# entry must say which files and be removed when that change lands. Pending: none today.
PENDING: dict[str, set[str]] = {}


class _Imports(ast.NodeVisitor):
    """Top-level package → line numbers, for every import in one module that can run."""

    def __init__(self) -> None:
        self.found: dict[str, list[int]] = defaultdict(list)

    def _add(self, name: str, line: int) -> None:
        self.found[name.split(".")[0]].append(line)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module:  # relative imports are our own modules
            self._add(node.module, node.lineno)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("import_module", "__import__") and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                self._add(first.value, node.lineno)
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        typing_only = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        )
        for child in node.orelse if typing_only else [node.test, *node.body, *node.orelse]:
            self.visit(child)


def third_party(source: str) -> dict[str, list[int]]:
    """The third-party packages one module's source imports, with the lines that import them."""
    collector = _Imports()
    collector.visit(ast.parse(source))
    return {
        name: lines
        for name, lines in collector.found.items()
        if name not in sys.stdlib_module_names and name not in OURS
    }


def importers() -> dict[str, dict[str, list[int]]]:
    """Library → {module path relative to the repository → lines}, over src/medloc and flows/."""
    result: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for root in ROOTS:
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(REPO).as_posix()
            for name, lines in third_party(path.read_text(encoding="utf-8")).items():
                result[name][rel] = lines
    return result


def test_each_third_party_library_has_one_owner_module() -> None:
    problems = []
    for name, modules in sorted(importers().items()):
        if name in SHARED:
            outside = sorted(m for m in modules if not m.startswith(SHARED[name]))
            if outside:
                problems.append(f"{name}: shared only within {SHARED[name]}, also imported by {outside}")
            continue
        others = set(modules) - PENDING.get(name, set())
        if len(others) > 1:
            where = ", ".join(f"{m}:{','.join(map(str, lines))}" for m, lines in sorted(modules.items()))
            problems.append(f"{name}: imported by {len(modules)} modules ({where})")
    assert not problems, (
        "one module owns each third-party library: route these through the owner's API "
        "(or justify a SHARED entry)\n" + "\n".join(problems)
    )


def test_allow_lists_name_libraries_still_in_use() -> None:
    used = importers()
    stale = [name for name in [*SHARED, *PENDING] if name not in used]
    assert not stale, f"allow-list entries for libraries nobody imports any more: {stale}"


def test_collector_sees_lazy_and_dynamic_imports_but_not_typing_only_ones() -> None:
    source = """
import os, yaml.constructor
from babel.numbers import format_decimal
from . import sibling
from medloc.model import Segment
if TYPE_CHECKING:
    import httpx
else:
    import nh3
def f():
    import bs4
    return importlib.import_module("grammalecte"), __import__("rich.console")
"""
    found = third_party(source)
    assert sorted(found) == ["babel", "bs4", "grammalecte", "nh3", "rich", "yaml"]
    assert found["bs4"] == [11]
