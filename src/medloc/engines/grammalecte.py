"""The only module that imports grammalecte: offline French grammar (Debian's python3-grammalecte).

The PyPI wrapper `pygrammalecte` downloads Grammalecte's zip from its website on first use, which
fails on a machine that reaches only package registries, so we do not use it. Debian packages
Grammalecte itself (python3-grammalecte, pure Python, `/usr/lib/python3/dist-packages/grammalecte`).
Our virtualenv does not see Debian's dist-packages, and adding that whole folder to `sys.path`
would shadow the virtualenv's own packages, so only the `grammalecte` package is loaded from there
by file location. Missing package -> an unavailable status naming the apt package.

Options off: spacing rules (`esp`, `nbsp`, `unit`: non-breaking spaces are the punctuation check's
business and markup stripping leaves double spaces) and typographic apostrophes (`apos`: a house
style choice, not an error). Grammalecte's own spelling errors are ignored: hunspell-fr owns spelling.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from medloc.engines.memo import fingerprint, source_digest
from medloc.engines.model import GrammarIssue, GrammarResult
from medloc.engines.status import EngineStatus, State
from medloc.engines.text import plain_text

ENGINE = "grammalecte"
DEBIAN_PACKAGE_DIR = Path("/usr/lib/python3/dist-packages/grammalecte")
OFF_OPTIONS = {"esp": False, "nbsp": False, "unit": False, "apos": False, "html": False, "latex": False}
_CATEGORIES = {
    "typo": "TYPOGRAPHY", "virg": "PUNCTUATION", "num": "TYPOGRAPHY", "maj": "CASING",
    "notype": "REDUNDANCY", "pleo": "REDUNDANCY", "redon1": "REDUNDANCY", "redon2": "REDUNDANCY",
    "mc": "STYLE", "liga": "TYPOGRAPHY", "chim": "TYPOGRAPHY",
}


def load_module(package_dir: Path = DEBIAN_PACKAGE_DIR) -> ModuleType | None:
    """The grammalecte package: importable as is, or loaded from Debian's folder; None if absent."""
    try:
        return importlib.import_module("grammalecte")
    except ImportError:
        pass
    init = package_dir / "__init__.py"
    if not init.is_file():
        return None
    spec = importlib.util.spec_from_file_location("grammalecte", init,
                                                  submodule_search_locations=[str(package_dir)])
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules["grammalecte"] = module
    try:
        spec.loader.exec_module(module)
    except Exception:  # a broken install must read as "unavailable", not crash the run
        del sys.modules["grammalecte"]
        return None
    return module


class GrammalecteEngine:
    """Grammalecte's grammar checker for French, one paragraph (segment) at a time."""

    languages = ("fr",)
    name = ENGINE

    def __init__(self, module: ModuleType) -> None:
        self._lock = threading.Lock()  # the checker keeps state per call: one thread at a time
        self._checker: Any = module.GrammarChecker("fr")
        self._engine: Any = self._checker.getGCEngine()
        self._engine.setOptions(OFF_OPTIONS)
        _compiled_patterns_for(module.__name__)
        # What the engine memo keys answers by: Grammalecte's version, our options and mapping (code).
        version = getattr(self._engine, "version", "?")
        self.fingerprint = fingerprint(ENGINE, version, sorted(OFF_OPTIONS.items()), source_digest(__file__))

    def check(self, texts: Sequence[str], locale: str) -> GrammarResult:
        issues: list[list[GrammarIssue] | None] = []
        for text in texts:
            plain = plain_text(text)
            found: list[GrammarIssue] = []
            if plain.text.strip():
                with self._lock:  # the grammar pass only: hunspell-fr owns spelling (saves ~5 %)
                    grammar = self._engine.parse(plain.text, "FR", bDebug=False, bContext=False)
                for error in sorted(grammar, key=lambda e: (e["nStart"], e["nEnd"])):
                    start, end = plain.span(int(error["nStart"]), int(error["nEnd"]))
                    kind = str(error.get("sType") or "")
                    found.append(GrammarIssue(
                        start=start, end=end, message=str(error.get("sMessage") or ""),
                        rule=f"GRAMMALECTE_{error.get('sRuleId', '')}",
                        category=_CATEGORIES.get(kind, "GRAMMAR"), category_name=kind, issue_type=kind,
                        replacements=tuple(str(s) for s in (error.get("aSuggestions") or [])[:5]),
                        engine=ENGINE,
                    ))
            issues.append(found)
        status = EngineStatus("grammar", locale, State.CHECKED, ENGINE, "", len(texts), len(texts))
        return GrammarResult(issues, status)


class _CompiledPatterns:
    """The `re` module as Grammalecte's modules see it, with `re.search(pattern_text, ...)` and its
    siblings served from patterns compiled once.

    Why: Grammalecte's graph rules call `re.search` with pattern strings millions of times in a cold
    run, and each call goes through `re`'s cache lookup (and past its 512 entries, recompiles: the
    run's other modules share that cache). Measured on 600 French segments: 4.37 s -> 3.60 s, the
    same matches (the same compiled expressions). Everything else is `re`'s own."""

    def __init__(self) -> None:
        self._compiled: dict[Any, re.Pattern[str]] = {}  # flags 0: all of Grammalecte's calls

    def _pattern(self, pattern: Any) -> re.Pattern[str]:
        compiled = self._compiled.get(pattern)
        if compiled is None:
            compiled = self._compiled[pattern] = re.compile(pattern)
        return compiled

    def search(self, pattern: Any, string: str, flags: int = 0) -> re.Match[str] | None:
        compiled = self._compiled.get(pattern) if not flags else None  # inlined: the hot call
        if compiled is None:
            return re.search(pattern, string, flags) if flags else self._pattern(pattern).search(string)
        return compiled.search(string)

    def match(self, pattern: Any, string: str, flags: int = 0) -> re.Match[str] | None:
        return re.match(pattern, string, flags) if flags else self._pattern(pattern).match(string)

    def fullmatch(self, pattern: Any, string: str, flags: int = 0) -> re.Match[str] | None:
        return re.fullmatch(pattern, string, flags) if flags else self._pattern(pattern).fullmatch(string)

    def finditer(self, pattern: Any, string: str, flags: int = 0) -> Any:
        return re.finditer(pattern, string, flags) if flags else self._pattern(pattern).finditer(string)

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)


def _compiled_patterns_for(package: str) -> None:
    """Give every loaded module of Grammalecte's package the `_CompiledPatterns` `re` (once)."""
    shim = _CompiledPatterns()
    for name, loaded in list(sys.modules.items()):
        if (name == package or name.startswith(package + ".")) and getattr(loaded, "re", None) is re:
            loaded.re = shim  # type: ignore[attr-defined]


def open_engine() -> tuple[GrammalecteEngine | None, str]:
    """The engine, or None and the reason (with the package to install)."""
    module = load_module()
    if module is None:
        return None, f"Grammalecte not found ({DEBIAN_PACKAGE_DIR}); apt-get install python3-grammalecte"
    return GrammalecteEngine(module), ""
