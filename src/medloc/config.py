"""Settings: `medloc.toml` (or `[tool.medloc]` in pyproject.toml), then `MEDLOC_<SECTION>__<KEY>` env vars.

Every key is declared in a section dataclass below, so an unknown key or a value of the wrong type
is an error naming the key and the file instead of a silently ignored typo. Each stage adds its own
section here: one place documents every setting.
"""

from __future__ import annotations

import os
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from medloc.model import MedlocError

SETTINGS_FILE = "medloc.toml"
ENV_PREFIX = "MEDLOC_"


@dataclass(frozen=True)
class ProjectSettings:
    """Where things are and which languages we translate into."""

    source_dir: str = "source_articles"
    locales_dir: str = "locales"
    glossary_dir: str = "glossary"
    output_dir: str = "out"
    state_dir: str = ".medloc"
    source_locale: str = "en"
    locales: list[str] = field(default_factory=lambda: ["es", "fr", "de", "zh_CN"])
    max_file_bytes: int = 5_000_000


@dataclass(frozen=True)
class ExtractSettings:
    """Article-body detection: CSS selectors win over the built-in heuristics."""

    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SourcesSettings:
    """Remote sources fetched besides the source folder (conditional GET, cached in state_dir)."""

    urls: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)
    timeout_seconds: float = 20.0
    retries: int = 2
    user_agent: str = "medloc/0.1 (+https://example.invalid/medloc)"
    # Articles withdrawn at most in one run when their sources are gone (medloc.withdraw): more at
    # once looks like a folder not mounted, and withdraws nothing.
    max_withdrawn: int = 10


@dataclass(frozen=True)
class CatalogSettings:
    """PO catalogs and the translation memory."""

    tm_threshold: int = 75
    keep_obsolete: bool = True
    tmx_imports: list[str] = field(default_factory=list)
    tm_dir: str = "translation-memory"  # TMX files `medloc tm import` stores (committed with the project)
    lock_timeout_seconds: float = 300.0  # how long a second run waits for the project lock


@dataclass(frozen=True)
class GlossarySettings:
    """The medical glossary and whether it rewrites the source before extraction."""

    fix_source: bool = True


@dataclass(frozen=True)
class QASettings:
    """Which checks run, the engines they use, and the publish gate."""

    enable: list[str] = field(default_factory=list)  # empty = every registered check
    disable: list[str] = field(default_factory=list)
    languagetool_url: str = ""  # e.g. http://127.0.0.1:8081 ; empty = grammar not checked (reported)
    languagetool_timeout_seconds: float = 30.0
    languagetool_batch_chars: int = 20000
    languagetool_retries: int = 2
    # Rules/categories another check owns: hunspell spells (TYPOS would flag every drug name),
    # segments are often headings and list items (no final punctuation, lowercase start), and
    # markup stripping leaves double spaces.
    languagetool_disabled_rules: list[str] = field(default_factory=lambda: [
        "WHITESPACE_RULE", "PUNCTUATION_PARAGRAPH_END", "UPPERCASE_SENTENCE_START",
        "CONSECUTIVE_SPACES"])
    languagetool_disabled_categories: list[str] = field(default_factory=lambda: ["TYPOS"])
    offline_grammar: bool = True  # Harper (en) and Grammalecte (fr) when LanguageTool cannot answer
    hunspell_dir: str = "/usr/share/hunspell"
    word_list: str = "glossary/words.txt"  # project words the spell checker accepts
    waivers_file: str = "qa/waivers.toml"
    min_completion: float = 100.0  # percent of source words translated (fuzzy never counts)
    max_penalty_per_1000_words: float = 25.0
    fail_on: str = "critical"  # `medloc check` exits non-zero at this severity or worse (not waived)
    require_engines: bool = False  # true: a locale whose grammar/spelling engine was unavailable is blocked


@dataclass(frozen=True)
class FlowSettings:
    """How the Prefect flow runs: its schedule, where its tasks run and how articles are batched.

    Articles go to tasks in batches because a Prefect task costs 5-50 ms on threads and 90-170 ms on
    Dask (measured on the 2-core machine): one task per article would make orchestration a large share
    of a run. `batch_size = 0` picks the size from the article and worker counts (`medloc.batching`).
    The default runner is "auto" because the article work is CPU-bound and holds the GIL: threads use
    one core, worker processes all of them but each starts an interpreter and loads its own engines
    (seconds, hundreds of MB), which only a run with many articles earns back.
    """

    cron: str = "0 3 * * *"  # `medloc serve` default; keep prefect.yaml's schedule equal (tested)
    task_retries: int = 1
    # "auto" (processes for a run with many articles, else threads: medloc.batching.choose_runner),
    # "threads" (one process: the GIL keeps it to one core), "processes" (worker processes on this
    # machine, each with its own engines) or "dask" (prefect-dask)
    task_runner: str = "auto"
    dask_address: str = ""  # scheduler of an existing cluster, e.g. tcp://10.0.0.5:8786; empty = local
    workers: int = 0  # thread pool / process pool / local Dask cluster's worker processes; 0 = CPU count
    dask_processes: bool = True  # local cluster: worker processes (true) or threads in this process
    batch_size: int = 0  # articles per task; 0 = auto


@dataclass(frozen=True)
class PublishSettings:
    """Localized pages for the articles × locales that pass the QA gate (`medloc.publish`).

    `link_rewrites` maps, per locale, a URL prefix of the source to the locale's prefix, as nested
    tables: `[publish.link_rewrites.es]` `"https://www.cancer.gov/" = "https://www.cancer.gov/espanol/"`.
    Links in translated segments are rewritten (a translator may also write the rewritten link).
    """

    enabled: bool = True
    output_dir: str = "publish"
    base_url: str = ""  # e.g. "https://health.example.org/": absolute canonical/hreflang; empty = relative
    x_default: str = ""  # the locale hreflang="x-default" points to; empty = project.source_locale
    source: bool = True  # also publish the source language (with the glossary's fixes)
    link_rewrites: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    project: ProjectSettings = field(default_factory=ProjectSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    sources: SourcesSettings = field(default_factory=SourcesSettings)
    catalog: CatalogSettings = field(default_factory=CatalogSettings)
    glossary: GlossarySettings = field(default_factory=GlossarySettings)
    qa: QASettings = field(default_factory=QASettings)
    flow: FlowSettings = field(default_factory=FlowSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    root: Path = field(default=Path("."), compare=False)
    origin: str = field(default="(defaults)", compare=False)

    def path(self, relative: str) -> Path:
        """Resolve a project-relative setting (e.g. project.source_dir) against the project root."""
        if not self.root.is_absolute():  # relative to the working directory, which can change
            return (self.root / relative).resolve()
        return _resolved(self.root, relative)


@lru_cache(maxsize=256)
def _resolved(root: Path, relative: str) -> Path:
    """`(root / relative).resolve()`, once per pair: every PO path of a run goes through it (6,000
    calls, 0.4 s of publishing 1,000 articles); a project's folders do not move during a run."""
    return (root / relative).resolve()


_SECTIONS: dict[str, type] = {
    f.name: typing.get_type_hints(Settings)[f.name]
    for f in fields(Settings)
    if f.name not in ("root", "origin")
}


def load_settings(root: Path | str = ".", env: typing.Mapping[str, str] | None = None) -> Settings:
    """Read the project's settings file (if any) and environment overrides, validated."""
    root = Path(root)
    env = os.environ if env is None else env
    raw: dict[str, Any] = {}
    origin = "(defaults)"
    toml_path = root / SETTINGS_FILE
    pyproject = root / "pyproject.toml"
    if toml_path.is_file():
        raw, origin = _read_toml(toml_path), str(toml_path)
    elif pyproject.is_file():
        raw = _read_toml(pyproject).get("tool", {}).get("medloc", {})
        origin = f"{pyproject} [tool.medloc]"
    sections: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in _SECTIONS:
            raise MedlocError(
                f"unknown settings section [{name}] (known: {', '.join(_SECTIONS)})", path=origin
            )
        if not isinstance(value, dict):
            raise MedlocError(f"[{name}] must be a table", path=origin)
        sections[name] = dict(value)
    for key, value in env.items():
        if not key.startswith(ENV_PREFIX) or "__" not in key:
            continue
        section, _, name = key[len(ENV_PREFIX) :].lower().partition("__")
        if section not in _SECTIONS:
            raise MedlocError(f"unknown settings section in environment variable {key}", path="(environment)")
        sections.setdefault(section, {})[name] = _EnvValue(key, value)
    built = {name: _build(cls, name, sections.get(name, {}), origin) for name, cls in _SECTIONS.items()}
    return Settings(**built, root=root.resolve(), origin=origin)


@dataclass(frozen=True)
class _EnvValue:
    variable: str
    text: str


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.14 adds `lineno`; before that the line is only in the message "(at line 3, column 12)".
        line = getattr(exc, "lineno", None)
        if line is None:
            found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
            line = int(found.group(1)) if found else None
        raise MedlocError(f"invalid TOML: {exc}", path=str(path), line=line) from exc
    except UnicodeDecodeError as exc:  # tomllib decodes first: not a TOMLDecodeError (found by fuzzing)
        data = path.read_bytes()
        line = data[: exc.start].count(b"\n") + 1
        raise MedlocError(f"not UTF-8 (byte 0x{data[exc.start]:02x}): TOML files are UTF-8",
                          path=str(path), line=line) from None
    except OSError as exc:
        raise MedlocError(f"cannot read settings: {exc.strerror}", path=str(path)) from exc


def _build(cls: type, section: str, values: dict[str, Any], origin: str) -> Any:
    assert is_dataclass(cls)
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        where = value.variable if isinstance(value, _EnvValue) else origin
        if key not in known:
            raise MedlocError(
                f"unknown setting '{section}.{key}' (known: {', '.join(sorted(known))})", path=where
            )
        kwargs[key] = _coerce(hints[key], value, f"{section}.{key}", where)
    return cls(**kwargs)


def _coerce(hint: Any, value: Any, key: str, where: str) -> Any:
    from_env = isinstance(value, _EnvValue)
    if typing.get_origin(hint) in (list, typing.List):  # noqa: UP006 - matching both spellings
        if from_env:
            return [item.strip() for item in value.text.split(",") if item.strip()]
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        raise MedlocError(f"setting '{key}' must be a list of strings, got {value!r}", path=where)
    if typing.get_origin(hint) is dict:
        return _coerce_table(hint, value, key, where)
    if isinstance(hint, types.UnionType):
        raise MedlocError(f"internal: unsupported setting type for '{key}'", path=where)
    if from_env:
        return _parse_env(hint, value, key)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is int and isinstance(value, bool):
        raise MedlocError(f"setting '{key}' must be an integer, got {value!r}", path=where)
    if not isinstance(value, hint):
        raise MedlocError(
            f"setting '{key}' must be {hint.__name__}, got {type(value).__name__} {value!r}", path=where
        )
    return value


def _coerce_table(hint: Any, value: Any, key: str, where: str) -> Any:
    """`dict[str, str]` and `dict[str, dict[str, str]]`: TOML tables (not settable from the environment)."""
    if isinstance(value, _EnvValue):
        raise MedlocError(f"setting '{key}' is a table: set it in {SETTINGS_FILE}, not in the environment",
                          path=value.variable)
    inner = typing.get_args(hint)[1]
    if not isinstance(value, dict):
        raise MedlocError(f"setting '{key}' must be a table, got {type(value).__name__} {value!r}",
                          path=where)
    out: dict[str, Any] = {}
    for name, item in value.items():
        if typing.get_origin(inner) is dict:
            out[name] = _coerce_table(inner, item, f"{key}.{name}", where)
        elif isinstance(item, str):
            out[name] = item
        else:
            raise MedlocError(f"setting '{key}.{name}' must be a string, got {item!r}", path=where)
    return out


def _parse_env(hint: Any, value: _EnvValue, key: str) -> Any:
    text = value.text.strip()
    try:
        if hint is bool:
            lowered = text.lower()
            if lowered in ("1", "true", "yes", "on"):
                return True
            if lowered in ("0", "false", "no", "off"):
                return False
            raise ValueError(text)
        return hint(text)
    except ValueError:
        raise MedlocError(
            f"setting '{key}' must be {hint.__name__}, got {text!r}", path=value.variable
        ) from None
