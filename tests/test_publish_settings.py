"""[publish] settings: nested tables for link rewriting, validated like every other setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from medloc.config import load_settings
from medloc.model import MedlocError
from medloc.publish import rewriter


def _load(tmp_path: Path, toml: str, env: dict[str, str] | None = None):
    (tmp_path / "medloc.toml").write_text(toml, encoding="utf-8")
    return load_settings(tmp_path, env=env or {})


def test_link_rewrites_are_nested_tables(tmp_path: Path) -> None:
    settings = _load(tmp_path, '[publish.link_rewrites.es]\n"https://www.cancer.gov/" = "https://www.cancer.gov/espanol/"\n'
                               '"https://www.cancer.gov/news/" = "https://www.cancer.gov/espanol/noticias/"\n')
    assert settings.publish.output_dir == "publish" and settings.publish.source is True
    rewrite = rewriter(settings, "es")
    assert rewrite is not None and rewriter(settings, "fr") is None
    assert rewrite("https://www.cancer.gov/about") == "https://www.cancer.gov/espanol/about"
    assert rewrite("https://www.cancer.gov/news/x") == "https://www.cancer.gov/espanol/noticias/x"  # longest
    assert rewrite("https://www.cancer.gov/espanol/y") == "https://www.cancer.gov/espanol/y"  # not twice
    assert rewrite("https://example.org/") == "https://example.org/"


@pytest.mark.parametrize(("toml", "key"), [
    ("[publish]\nlink_rewrites = 3\n", "publish.link_rewrites"),
    ("[publish.link_rewrites]\nes = \"x\"\n", "publish.link_rewrites.es"),
    ("[publish.link_rewrites.es]\n\"https://a/\" = 1\n", "publish.link_rewrites.es.https://a/"),
    ("[publish]\nsource = \"yes\"\n", "publish.source"),
])
def test_wrong_types_name_the_key_and_the_file(tmp_path: Path, toml: str, key: str) -> None:
    with pytest.raises(MedlocError) as caught:
        _load(tmp_path, toml)
    assert f"'{key}'" in str(caught.value) and str(tmp_path / "medloc.toml") in str(caught.value)


def test_a_table_cannot_come_from_the_environment(tmp_path: Path) -> None:
    with pytest.raises(MedlocError, match="MEDLOC_PUBLISH__LINK_REWRITES"):
        _load(tmp_path, "", {"MEDLOC_PUBLISH__LINK_REWRITES": "es=x"})
    assert _load(tmp_path, "", {"MEDLOC_PUBLISH__BASE_URL": "https://h.example/"}).publish.base_url == "https://h.example/"
