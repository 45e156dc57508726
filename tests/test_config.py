"""Settings: defaults, medloc.toml, [tool.medloc], environment overrides, and validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from medloc.config import Settings, load_settings
from medloc.model import MedlocError


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(root: Path, env: dict[str, str] | None = None) -> MedlocError:
    with pytest.raises(MedlocError) as info:
        load_settings(root, env=env or {})
    return info.value


def test_defaults_without_any_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, env={})
    assert settings == Settings()
    assert settings.origin == "(defaults)"
    assert settings.root == tmp_path.resolve()
    project = settings.project
    assert project.source_dir == "source_articles"
    assert project.locales_dir == "locales"
    assert project.source_locale == "en"
    assert project.max_file_bytes == 5_000_000
    assert settings.extract.include == [] and settings.extract.exclude == []
    assert settings.glossary.fix_source is True
    assert settings.path("source_articles") == (tmp_path / "source_articles").resolve()


def test_medloc_toml_values(tmp_path: Path) -> None:
    toml = write(
        tmp_path,
        "medloc.toml",
        """
[project]
source_dir = "articles"
locales = ["es", "ar"]
max_file_bytes = 1234

[extract]
include = ["main .entry-content"]
exclude = [".ad", "#comments"]

[sources]
timeout_seconds = 3.5
retries = 0

[catalog]
keep_obsolete = false
tm_threshold = 90

[glossary]
fix_source = false
""",
    )
    settings = load_settings(tmp_path, env={})
    assert settings.origin == str(toml)
    assert settings.project.source_dir == "articles"
    assert settings.project.locales == ["es", "ar"]
    assert settings.project.max_file_bytes == 1234
    assert settings.project.output_dir == "out"  # untouched keys keep their defaults
    assert settings.extract.include == ["main .entry-content"]
    assert settings.extract.exclude == [".ad", "#comments"]
    assert settings.sources.timeout_seconds == 3.5
    assert settings.sources.retries == 0
    assert settings.catalog.keep_obsolete is False
    assert settings.catalog.tm_threshold == 90
    assert settings.glossary.fix_source is False
    assert settings.path(settings.project.source_dir) == (tmp_path / "articles").resolve()


def test_int_accepted_for_float(tmp_path: Path) -> None:
    write(tmp_path, "medloc.toml", "[sources]\ntimeout_seconds = 7\n")
    value = load_settings(tmp_path, env={}).sources.timeout_seconds
    assert value == 7.0 and isinstance(value, float)


def test_tool_medloc_in_pyproject(tmp_path: Path) -> None:
    pyproject = write(
        tmp_path,
        "pyproject.toml",
        """
[project]
name = "my-site"

[tool.medloc.project]
locales = ["fr"]
source_dir = "content"

[tool.other]
ignored = true
""",
    )
    settings = load_settings(tmp_path, env={})
    assert settings.project.locales == ["fr"]
    assert settings.project.source_dir == "content"
    assert str(pyproject) in settings.origin and "[tool.medloc]" in settings.origin


def test_pyproject_without_tool_medloc_gives_defaults(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    assert load_settings(tmp_path, env={}) == Settings()


def test_medloc_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.medloc.project]\nlocales = ["fr"]\n')
    write(tmp_path, "medloc.toml", '[project]\nlocales = ["de"]\n')
    assert load_settings(tmp_path, env={}).project.locales == ["de"]


def test_env_overrides_file_for_every_type(tmp_path: Path) -> None:
    write(tmp_path, "medloc.toml", '[project]\nlocales = ["de"]\nmax_file_bytes = 10\n')
    env = {
        "MEDLOC_PROJECT__LOCALES": "es, fr ,zh_CN",
        "MEDLOC_PROJECT__MAX_FILE_BYTES": "2048",
        "MEDLOC_CATALOG__KEEP_OBSOLETE": "false",
        "MEDLOC_GLOSSARY__FIX_SOURCE": "no",
        "MEDLOC_SOURCES__TIMEOUT_SECONDS": "2.5",
        "MEDLOC_PROJECT__OUTPUT_DIR": "build",
        "MEDLOC_SHARED": "/elsewhere",  # no section separator: not a setting, ignored
        "PATH": "/usr/bin",
    }
    settings = load_settings(tmp_path, env=env)
    assert settings.project.locales == ["es", "fr", "zh_CN"]
    assert settings.project.max_file_bytes == 2048
    assert settings.catalog.keep_obsolete is False
    assert settings.glossary.fix_source is False
    assert settings.sources.timeout_seconds == 2.5
    assert settings.project.output_dir == "build"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", True),
        ("true", True),
        ("YES", True),
        ("on", True),
        ("0", False),
        ("False", False),
        ("off", False),
    ],
)
def test_env_bool_spellings(tmp_path: Path, text: str, value: bool) -> None:
    settings = load_settings(tmp_path, env={"MEDLOC_CATALOG__KEEP_OBSOLETE": text})
    assert settings.catalog.keep_obsolete is value


def test_env_empty_list(tmp_path: Path) -> None:
    assert load_settings(tmp_path, env={"MEDLOC_EXTRACT__EXCLUDE": ""}).extract.exclude == []


def test_process_environment_is_used_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDLOC_PROJECT__MAX_FILE_BYTES", "77")
    assert load_settings(tmp_path).project.max_file_bytes == 77


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def test_unknown_section(tmp_path: Path) -> None:
    toml = write(tmp_path, "medloc.toml", '[projcet]\nlocales = ["es"]\n')
    error = load_error(tmp_path)
    assert "projcet" in str(error)
    assert error.path == str(toml)


def test_unknown_key_names_key_and_file(tmp_path: Path) -> None:
    toml = write(tmp_path, "medloc.toml", '[project]\nlocale = ["es"]\n')
    error = load_error(tmp_path)
    assert "project.locale" in str(error)
    assert str(toml) in str(error)
    assert "locales" in str(error)  # the known keys are listed: the typo is easy to spot


def test_unknown_key_in_pyproject_names_pyproject(tmp_path: Path) -> None:
    pyproject = write(tmp_path, "pyproject.toml", "[tool.medloc.extract]\nincludes = ['main']\n")
    error = load_error(tmp_path)
    assert "extract.includes" in str(error)
    assert str(pyproject) in str(error)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('max_file_bytes = "big"', "project.max_file_bytes"),
        ("max_file_bytes = true", "project.max_file_bytes"),
        ("max_file_bytes = 1.5", "project.max_file_bytes"),
        ('locales = "es"', "project.locales"),
        ("locales = [1, 2]", "project.locales"),
        ("source_dir = 3", "project.source_dir"),
        ("source_dir = []", "project.source_dir"),
    ],
)
def test_wrong_type_names_key_and_file(tmp_path: Path, line: str, key: str) -> None:
    toml = write(tmp_path, "medloc.toml", f"[project]\n{line}\n")
    error = load_error(tmp_path)
    assert key in str(error)
    assert error.path == str(toml)


@pytest.mark.parametrize(
    ("section", "line", "key"),
    [
        ("catalog", 'keep_obsolete = "yes"', "catalog.keep_obsolete"),
        ("catalog", "keep_obsolete = 1", "catalog.keep_obsolete"),
        ("sources", 'timeout_seconds = "fast"', "sources.timeout_seconds"),
        ("sources", "timeout_seconds = true", "sources.timeout_seconds"),
    ],
)
def test_wrong_type_bool_and_float(tmp_path: Path, section: str, line: str, key: str) -> None:
    toml = write(tmp_path, "medloc.toml", f"[{section}]\n{line}\n")
    error = load_error(tmp_path)
    assert key in str(error)
    assert str(toml) in str(error)


def test_section_that_is_not_a_table(tmp_path: Path) -> None:
    toml = write(tmp_path, "medloc.toml", 'project = "x"\n')
    error = load_error(tmp_path)
    assert "project" in str(error) and str(toml) in str(error)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MEDLOC_PROJECT__MAX_FILE_BYTES", "lots"),
        ("MEDLOC_PROJECT__MAX_FILE_BYTES", "1.5"),
        ("MEDLOC_CATALOG__KEEP_OBSOLETE", "maybe"),
        ("MEDLOC_SOURCES__TIMEOUT_SECONDS", "soon"),
    ],
)
def test_wrong_type_from_env_names_the_variable(tmp_path: Path, variable: str, value: str) -> None:
    write(tmp_path, "medloc.toml", "[project]\n")
    error = load_error(tmp_path, {variable: value})
    assert error.path == variable
    assert variable in str(error)
    assert repr(value) in str(error)


def test_unknown_key_from_env_names_the_variable(tmp_path: Path) -> None:
    error = load_error(tmp_path, {"MEDLOC_PROJECT__LOCALS": "es"})
    assert "MEDLOC_PROJECT__LOCALS" in str(error)
    assert "project.locals" in str(error)


def test_unknown_section_from_env_names_the_variable(tmp_path: Path) -> None:
    error = load_error(tmp_path, {"MEDLOC_PROJCET__LOCALES": "es"})
    assert "MEDLOC_PROJCET__LOCALES" in str(error)


def test_invalid_toml_names_file_and_line(tmp_path: Path) -> None:
    toml = write(tmp_path, "medloc.toml", '[project]\nsource_dir = "a"\nlocales = [es]\n')
    error = load_error(tmp_path)
    assert error.path == str(toml)
    assert error.line == 3
    assert str(error).startswith(f"{toml}:3: ")
    assert "invalid TOML" in str(error)


def test_invalid_pyproject_names_file_and_line(tmp_path: Path) -> None:
    pyproject = write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.medloc\n')
    error = load_error(tmp_path)
    assert error.path == str(pyproject)
    assert error.line == 4


def test_project_paths_follow_the_root_and_a_relative_root_follows_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`Settings.path` resolves each folder once for an absolute root (a run's hot path) but never
    serves a stale answer: another root gets its own, and a relative root is resolved against the
    working directory of the moment."""
    first, second = tmp_path / "a", tmp_path / "b"
    for root in (first, second):
        root.mkdir()
    assert Settings(root=first).path("locales") == first.resolve() / "locales"
    assert Settings(root=second).path("locales") == second.resolve() / "locales"
    relative = Settings(root=Path("."))
    monkeypatch.chdir(first)
    assert relative.path("locales") == first.resolve() / "locales"
    monkeypatch.chdir(second)
    assert relative.path("locales") == second.resolve() / "locales"
