"""Lint: each kind of glossary mistake is reported with its code; a clean entry is not."""

import pytest

from medloc.glossary import Concept, Example, Glossary, LocaleTerms
from medloc.glossary.lint import lint

GOOD = Concept(
    "muscle-twitching",
    "muscle twitching",
    forbidden=("flesh jumping",),
    translations={"es": LocaleTerms("espasmo muscular")},
)


def codes(*concepts: Concept) -> set[str]:
    return {i.code for i in lint(Glossary(concepts), ["es"]) if i.level == "error"}


def test_clean_glossary() -> None:
    assert lint(Glossary((GOOD,)), ["es"]) == []


@pytest.mark.parametrize(
    ("concepts", "code"),
    [
        (
            (GOOD, Concept("muscle-twitching", "cramp", translations={"es": LocaleTerms("calambre")})),
            "duplicate-id",
        ),
        (
            (GOOD, Concept("other", "muscle twitches", translations={"es": LocaleTerms("x")})),
            "duplicate-term",
        ),
        (
            (
                Concept(
                    "a", "hot flash", forbidden=("hot flashes",), translations={"es": LocaleTerms("sofoco")}
                ),
            ),
            "preferred-and-forbidden",
        ),
        (
            (Concept("a", "hot flash", translations={"es": LocaleTerms("sofoco", forbidden=("sofocos",))}),),
            "preferred-and-forbidden",
        ),
        (
            (
                GOOD,
                Concept(
                    "b",
                    "fasciculation",
                    forbidden=("muscle twitching",),
                    translations={"es": LocaleTerms("f")},
                ),
            ),
            "forbidden-is-approved",
        ),
        (
            (
                Concept(
                    "a", "muscle twitching", forbidden=("twitching",), translations={"es": LocaleTerms("e")}
                ),
            ),
            "rewrite-loop",
        ),
        (
            (
                Concept("a", "spasm", forbidden=("jerk",), translations={"es": LocaleTerms("e")}),
                Concept("b", "jerk reflex", forbidden=("spasm",), translations={"es": LocaleTerms("r")}),
            ),
            "forbidden-is-approved",
        ),
        (
            (
                GOOD,
                Concept(
                    "b", "fasciculation", forbidden=("flesh jumps",), translations={"es": LocaleTerms("f")}
                ),
            ),
            "span-conflict",
        ),
        ((Concept("a", "fever", translations={"es": LocaleTerms("")}),), "empty-translation"),
        (
            (
                Concept(
                    "a",
                    "muscle twitching",
                    forbidden=("flesh jumping",),
                    translations={"es": LocaleTerms("e")},
                    examples=(Example("flesh jumps", "muscle twitching"),),
                ),
            ),
            "example-fails",
        ),
    ],
)
def test_lint_reports(concepts: tuple[Concept, ...], code: str) -> None:
    assert code in codes(*concepts)


def test_overlap_is_a_warning_and_missing_locale_too() -> None:
    issues = lint(
        Glossary(
            (GOOD, Concept("b", "spasm", forbidden=("jumping",), translations={"es": LocaleTerms("e")}))
        ),
        ["es", "de"],
    )
    levels = {(i.code, i.level) for i in issues}
    assert ("overlap", "warning") in levels and ("missing-locale", "warning") in levels
    assert all(i.level == "warning" for i in issues)
