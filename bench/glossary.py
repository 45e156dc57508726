"""Benchmark: a generated 5,000-concept glossary applied to 1,000 articles (source fixes + hints).

Terms are pronounceable generated words (1-3 per term) so nothing collides by accident; articles are
sentences of the seed article with generated terms and forbidden variants mixed in, in inflected
forms. The last line is JSON for the benchmark collector: "seconds" is applying the compiled glossary
(fixes + hints, the issue's ≤ 2 s goal on a 2-core machine); "build_seconds" is compiling it once
(automaton, the fixer's word forms), reported apart; "total_seconds" is both.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from medloc.glossary import Concept, Glossary, LocaleTerms, Terminology, fix_text, hints_for

CONCEPTS = 5_000
ARTICLES = 1_000
SEGMENTS = 12
SEED_TEXT = (
    "Menopausal muscle twitching may be related to hormonal fluctuations, autonomic nervous system "
    "dysfunction, calcium deficiency, psychological factors, medication side effects, and other factors. "
    "The sharp decline in estrogen levels during menopause can affect neurotransmitter balance. "
    "This type of flesh jumping is often accompanied by hot flashes and palpitations. "
    "Regularly conduct bone density testing and hormone level assessment under the guidance of doctors."
)


def word(rng: random.Random) -> str:
    syllables = ["ka", "lo", "mi", "ter", "san", "vo", "rix", "del", "pu", "nor", "ast", "quel", "bri", "zon"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))


def make_glossary(rng: random.Random) -> Glossary:
    concepts = []
    seen: set[str] = set()
    while len(concepts) < CONCEPTS:
        term = " ".join(word(rng) for _ in range(rng.randint(1, 3)))
        variant = " ".join(word(rng) for _ in range(rng.randint(1, 2)))
        if term in seen or variant in seen:
            continue
        seen.update((term, variant))
        concepts.append(Concept(f"c{len(concepts)}", term, forbidden=(variant,),
                                translations={"es": LocaleTerms(term + "o")}))
    concepts.append(Concept("muscle-twitching", "muscle twitching", forbidden=("flesh jumping",),
                            translations={"es": LocaleTerms("espasmo muscular")}))
    return Glossary(tuple(concepts))


def make_articles(rng: random.Random, glossary: Glossary) -> list[list[str]]:
    sentences = [s.strip() + "." for s in SEED_TEXT.split(".") if s.strip()]
    concepts = glossary.concepts
    articles = []
    for _ in range(ARTICLES):
        segments = []
        for _ in range(SEGMENTS):
            parts = rng.sample(sentences, 3)
            for _ in range(4):
                concept = rng.choice(concepts)
                phrase = rng.choice((concept.term, concept.forbidden[0]))
                parts.insert(rng.randrange(len(parts) + 1), f"Some {phrase}s appear here.")
            segments.append(" ".join(parts))
        articles.append(segments)
    return articles


def main() -> int:
    rng = random.Random(4)
    glossary = make_glossary(rng)
    articles = make_articles(rng, glossary)
    words = sum(len(s.split()) for a in articles for s in a)
    started = time.perf_counter()
    terms = Terminology(glossary).prepare()  # compile: automaton + the fixer's word forms
    matcher = terms.source
    built = time.perf_counter() - started
    fixes = 0
    hints = 0
    started = time.perf_counter()
    for article in articles:
        for segment in article:
            result = fix_text(terms, segment)
            fixes += len(result.changes)
            hints += len(hints_for(terms, result.text, "es"))
    seconds = time.perf_counter() - started
    print(f"glossary: {len(glossary)} concepts, {matcher.size} automaton patterns")
    print(f"build (automaton + fixer word forms, once per glossary): {built:.3f} s — not in \"seconds\"")
    print(f"articles: {len(articles)} x {SEGMENTS} segments, {words:,} words")
    print(f"source fixes: {fixes:,}; translator hints: {hints:,}")
    print(f"apply {seconds:.3f} s ({words / seconds:,.0f} words/s); build + apply {built + seconds:.3f} s")
    print(json.dumps({"bench": "glossary", "seconds": round(seconds, 3), "concepts": len(glossary),
                      "articles": len(articles), "words": words, "fixes": fixes, "hints": hints,
                      "build_seconds": round(built, 3), "total_seconds": round(built + seconds, 3),
                      "goal_seconds": 2.0, "goal_covers": "apply (seconds)"}))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
