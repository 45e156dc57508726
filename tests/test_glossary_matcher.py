"""The matcher's fast paths give the same answers as the plain ones; loading stops on a bad glossary."""

import random

import pytest

from medloc.config import Settings
from medloc.glossary import Concept, Glossary, LocaleTerms, Terminology, fix_text, hints_for, load_terminology
from medloc.glossary.matcher import resolve, scan
from medloc.model import MedlocError

TERMS = Terminology(
    Glossary(
        (
            Concept("muscle-twitching", "muscle twitching", forbidden=("flesh jumping",),
                    translations={"es": LocaleTerms("espasmo muscular")}),
            Concept("night-sweats", "night sweats", forbidden=("thief sweat",)),
            Concept("als", "ALS", allowed=("amyotrophic lateral sclerosis",)),
            Concept("dont", "don't panic", forbidden=("do not panic",)),
            Concept("zh", "肌肉抽搐", forbidden=("肉跳",)),
        )
    )
).prepare()


@pytest.mark.parametrize(
    "text",
    [
        "Flesh jumps at night; then flesh-jumping, FLESH  JUMPED and fleshjumping.",
        "thief sweating and flesh\njumping, don't panic, do not panic.",
        "Naïve flesh jumping — déjà vu: flesh jumps!",
        "x'flesh jumping's end and flesh jumping'",
        "肉跳 and 肉跳了 flesh jumping 肉跳",
        "ALS and als, flesh jumping ALS",
    ],
)
def test_spliced_scan_of_fixed_text_equals_a_fresh_scan(text: str) -> None:
    fixed = fix_text(TERMS, text)
    assert fixed.changes
    remembered = TERMS.source._scans.get(fixed.text)
    if remembered is not None:
        fresh = scan(fixed.text)
        assert (remembered.parts, remembered.plain) == (fresh.parts, fresh.plain)
    TERMS.source._recent.clear()
    cold = hints_for(TERMS, fixed.text, "es")
    TERMS.source._scans.clear()
    TERMS.source._recent.clear()
    assert hints_for(TERMS, fixed.text, "es") == cold


def test_fixed_text_with_markup_is_scanned_again() -> None:
    text = "Flesh <em>jumping</em> at rest"
    fixed = fix_text(TERMS, text)
    assert fixed.text == "Muscle <em>twitching</em> at rest"
    assert fixed.text not in TERMS.source._scans


def test_spliced_scans_match_fresh_scans_on_random_text() -> None:
    rng = random.Random(7)
    pieces = ["flesh jumps", "Flesh-jumping", "thief sweats", "ALS", "muscle", "jumping", "the", "x'y",
              "naïve", "肉跳", "—", ",", ".", " ", "  ", "-", "\n", "do not panic"]
    spliced = 0
    for _ in range(300):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        fixed = fix_text(TERMS, text)
        remembered = TERMS.source._scans.pop(fixed.text, None)
        if remembered is not None:
            spliced += 1
            assert remembered.parts == scan(fixed.text).parts, text
    assert spliced > 100


def test_a_listed_term_beats_another_terms_closed_compound_in_any_order() -> None:
    one_word = Concept("a", "fleshjumping", forbidden=("quivering",))
    two_words = Concept("b", "muscle twitching", forbidden=("flesh jumping",))
    for concepts in ((one_word, two_words), (two_words, one_word)):
        terms = Terminology(Glossary(concepts))
        assert [m.ref.concept for m in terms.source.find("fleshjumping")] == ["a"]
        assert fix_text(terms, "fleshjumping").changes == ()


def test_resolve_is_leftmost_longest_and_approved_first() -> None:
    terms = Terminology(Glossary((
        Concept("a", "muscle twitching", forbidden=("muscle",)),
        Concept("b", "twitching at night"),
    )))
    found = terms.source.find_all("muscle twitching at night")
    assert [m.ref.text for m in resolve(found)] == ["muscle twitching"]
    assert [m.ref.text for m in resolve(found[::-1])] == ["muscle twitching"]


def test_results_are_cached_per_text_but_not_shared() -> None:
    first = TERMS.source.find("flesh jumping at night")
    first.clear()
    assert [m.ref.concept for m in TERMS.source.find("flesh jumping at night")] == ["muscle-twitching"]


def test_target_matching_still_sees_inflection() -> None:
    issues = TERMS.check_target("Flesh jumping.", "Los espasmos musculares.", "es")
    assert issues == []


def test_load_terminology_names_file_and_line_and_is_cached(tmp_path) -> None:
    folder = tmp_path / "glossary"
    folder.mkdir()
    good = folder / "10-good.yaml"
    good.write_text("- id: a\n  term: muscle twitching\n  forbidden: [flesh jumping]\n", encoding="utf-8")
    settings = Settings(root=tmp_path)
    terms = load_terminology(settings)
    assert load_terminology(settings) is terms
    assert fix_text(terms, "flesh jumps").text == "muscle twitches"
    (folder / "20-bad.yaml").write_text("- id: b\n  term: x\n  dnt: maybe\n", encoding="utf-8")
    with pytest.raises(MedlocError) as info:
        load_terminology(settings)
    assert str(info.value).endswith("20-bad.yaml:3: dnt must be true or false")


@pytest.mark.parametrize(("lang", "name"), [("en", "English"), ("es", "Spanish"), ("fr", "French"),
                                            ("de", "German")])
def test_c_stemmer_gives_the_pure_python_stems(lang: str, name: str) -> None:
    """Keys must not depend on whether PyStemmer (the fast path snowballstemmer picks) is installed.

    Checked on the shipped glossary's words and their forms (all of simplemma's en/es/fr/de dictionaries,
    2.3M words, agreed when PyStemmer was added; too slow to load here).
    """
    stemmer_module = pytest.importorskip("Stemmer")
    import importlib
    from pathlib import Path

    import simplemma

    from medloc.glossary import load_glossary
    from medloc.glossary.matcher import term_words

    pure = getattr(importlib.import_module(f"snowballstemmer.{name.lower()}_stemmer"), f"{name}Stemmer")()
    fast = stemmer_module.Stemmer(name.lower())
    texts: list[str] = []
    for concept in load_glossary(Path(__file__).resolve().parents[1] / "glossary"):
        if lang == "en":
            texts.extend((concept.term, *concept.allowed, *concept.forbidden))
        elif lang in concept.translations:
            entry = concept.translations[lang]
            texts.extend((*entry.approved, *entry.forbidden))
    words = {w.casefold() for text in texts for w in term_words(text)}
    words |= {simplemma.lemmatize(w, lang=lang).casefold() for w in words}
    words |= {w + suffix for w in list(words) for suffix in ("s", "es", "en", "er", "ing", "ed", "ungen")}
    assert len(words) > 1000
    ordered = sorted(words)
    assert [pure.stemWord(w) for w in ordered] == fast.stemWords(ordered)


def test_hint_and_fixer_shortcuts_equal_find_on_overlapping_terms() -> None:
    rng = random.Random(11)
    syllables = ["ka", "lo", "mi", "ter", "ALS"]
    concepts = []
    for i in range(60):
        count = rng.randint(1, 3)
        words = ["".join(rng.choice(syllables) for _ in range(rng.randint(1, 2))) for _ in range(count)]
        concepts.append(Concept(f"c{i}", " ".join(words), forbidden=(rng.choice(syllables) + "x",)))
    terms = Terminology(Glossary(tuple(concepts)))
    pieces = [c.term for c in concepts] + ["kalo", "mi-ter", "KA", ",", "als", "lomi", "kas", "ters"]
    for _ in range(400):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        terms.source._recent.clear()
        fast = terms.source.concepts(text)
        forbidden = terms.source.forbidden(text, scan(text))
        found = terms.source.find(text)
        assert fast == [m.ref.concept for m in found], text
        assert forbidden == [m for m in found if m.ref.role == "forbidden"], text
