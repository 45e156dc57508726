"""The shipped glossary: loads, lints clean, covers the seed article, and every example fixes as written."""

from pathlib import Path

import pytest

from medloc.glossary import Terminology, load_glossary
from medloc.glossary.lint import lint

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = load_glossary(ROOT / "glossary")
TERMS = Terminology(GLOSSARY)
EXAMPLES = [(c.id, e) for c in GLOSSARY for e in c.examples]


def test_glossary_is_large_and_lints_clean() -> None:
    assert len(GLOSSARY) >= 150
    assert lint(GLOSSARY, ["es", "fr", "de", "zh_CN"]) == []


def test_every_concept_has_all_four_locales_or_is_do_not_translate() -> None:
    for concept in GLOSSARY:
        if not concept.dnt:
            assert {"es", "fr", "de", "zh_CN"} <= set(concept.translations), concept.id


@pytest.mark.parametrize(
    ("concept", "example"), EXAMPLES, ids=[f"{c}-{i}" for i, (c, _) in enumerate(EXAMPLES)]
)
def test_every_example_fixes_as_written(concept: str, example) -> None:
    fixed = TERMS.fix(example.wrong)
    assert fixed.text == example.right
    assert TERMS.fix(fixed.text).changes == ()  # idempotent
    if example.wrong != example.right:
        assert {c.concept for c in fixed.changes} == {concept}


def test_seed_article_concepts_are_found_and_calques_fixed() -> None:
    seed = Path("/work/shared/seed/menopause-muscle-twitching.txt")
    text = (
        seed.read_text(encoding="utf-8")
        if seed.exists()
        else (
            "Menopausal muscle twitching ... estrogen, acetylcholine, autonomic nervous system, "
            "This type of flesh jumping is often accompanied by hot flashes and palpitations, calcium, "
            "selective serotonin reuptake inhibitors, paroxetine and venlafaxine, vitamin D and magnesium, "
            "amyotrophic lateral sclerosis, electromyography, bone density"
        )
    )
    found = {m.ref.concept for m in TERMS.source.find(text)}
    for concept in (
        "muscle-twitching",
        "estrogen",
        "acetylcholine",
        "autonomic-nervous-system",
        "hot-flashes",
        "palpitations",
        "calcium",
        "ssri",
        "paroxetine",
        "venlafaxine",
        "vitamin-d",
        "magnesium",
        "amyotrophic-lateral-sclerosis",
        "electromyography",
        "bone-density",
    ):
        assert concept in found
    fixed = TERMS.fix(text).text
    assert "flesh jump" not in fixed.lower()
    assert "muscle twitching is often accompanied" in fixed
