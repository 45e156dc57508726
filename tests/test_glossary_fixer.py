"""Source fixer: word forms, case, hyphen/spacing variants, markup, and text it must never touch."""

import pytest

from medloc.glossary import Concept, Glossary, Terminology

TERMS = Terminology(
    Glossary(
        (
            Concept("muscle-twitching", "muscle twitching", forbidden=("flesh jumping",)),
            Concept("night-sweats", "night sweats", forbidden=("thief sweat",)),
            Concept("fasciculation", "fasciculation", forbidden=("meat jumping",)),
        )
    )
)


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("flesh jumping at night", "muscle twitching at night"),
        ("the leg flesh jumps", "the leg muscle twitches"),
        ("it can flesh jump", "it can muscle twitch"),
        ("the flesh jumped twice", "the muscle twitched twice"),
        ("Flesh jumping is common", "Muscle twitching is common"),
        ("FLESH JUMPING", "MUSCLE TWITCHING"),
        ("Flesh Jumping Explained", "Muscle Twitching Explained"),
        ("flesh-jumping episodes", "muscle-twitching episodes"),
        ("flesh  jumping", "muscle  twitching"),
        ("flesh\njumping", "muscle\ntwitching"),
        ("fleshjumping", "muscle twitching"),
        ("Flesh <em>jumping</em> at rest", "Muscle <em>twitching</em> at rest"),
        ("**Flesh** jumping", "**Muscle** twitching"),
        ("flesh&nbsp;jumping", "muscle&nbsp;twitching"),
        ("thief sweating", "night sweats"),
        ("Meat <b>jumping</b>", "Fasciculation<b></b>"),
    ],
)
def test_fixes(wrong: str, right: str) -> None:
    assert TERMS.fix(wrong).text == right


@pytest.mark.parametrize(
    "text",
    [
        "see https://example.org/flesh-jumping for details",
        "mail flesh.jumping@example.org",
        '<a href="/flesh-jumping">muscle twitching</a>',
        "run <code>flesh jumping</code> now",
        "`flesh jumping` in Markdown code",
        "[muscle twitching](https://example.org/flesh jumping)",
        '<span translate="no">Flesh jumping</span> is a quote',
        '<span class="notranslate">flesh <b>jumping</b></span>',
        "the flesh. Jumping rope is fun",
        "flesh, jumping",
        "muscle twitching already",
    ],
)
def test_leaves_protected_and_correct_text_alone(text: str) -> None:
    assert TERMS.fix(text).text == text


def test_changes_record_before_and_after() -> None:
    fixed = TERMS.fix("Flesh jumps. Then FLESH JUMPING.")
    assert [(c.before, c.after, c.concept) for c in fixed.changes] == [
        ("Flesh jumps", "Muscle twitches", "muscle-twitching"),
        ("FLESH JUMPING", "MUSCLE TWITCHING", "muscle-twitching"),
    ]
    assert fixed.text == "Muscle twitches. Then MUSCLE TWITCHING."


def test_nested_translate_no_is_protected_to_its_end() -> None:
    text = '<span translate="no">a <span>b</span> flesh jumping</span> flesh jumping'
    assert (
        TERMS.fix(text).text == '<span translate="no">a <span>b</span> flesh jumping</span> muscle twitching'
    )
