"""Property: under any sequence of source edits, no translation a translator wrote is ever lost.

Edits are inserts, deletes, small modifications (a number or a word changes), reorders and
duplications, of paragraphs and headings drawn from a small vocabulary so that exact and fuzzy
matches, duplicates and context changes all happen. Between runs the translator fills every empty
entry and confirms fuzzy ones. After every run each msgstr they wrote must still be in the file,
as an active, fuzzy or obsolete entry, and the file must have no duplicate entries (msgfmt would
refuse it).
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medloc.catalog import segment_keys, template_entries
from medloc.merge import MergeOptions, merge
from medloc.model import Article, BlockKind, Segment
from medloc.po import POFile, dump, parse

WORDS = ["aspirin", "calcium", "sleep", "estrogen", "daily", "doctor", "muscle", "twitching"]
KINDS = [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH, BlockKind.HEADING]

block = st.tuples(
    st.sampled_from(KINDS),
    st.builds(
        lambda a, b, n: f"Take {n} mg of {a} with {b} every day before bed.",
        st.sampled_from(WORDS),
        st.sampled_from(WORDS),
        st.integers(1, 4),
    ),
)
edit = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 30), block),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(st.just("modify"), st.integers(0, 30), st.sampled_from(WORDS), st.integers(1, 4)),
    st.tuples(st.just("swap"), st.integers(0, 30), st.integers(0, 30)),
    st.tuples(st.just("duplicate"), st.integers(0, 30)),
)


def apply(blocks: list[tuple[BlockKind, str]], op: tuple) -> list[tuple[BlockKind, str]]:
    blocks = list(blocks)
    if op[0] == "insert":
        blocks.insert(op[1] % (len(blocks) + 1), op[2])
    elif not blocks:
        return blocks
    elif op[0] == "delete":
        del blocks[op[1] % len(blocks)]
    elif op[0] == "modify":
        i = op[1] % len(blocks)
        kind, text = blocks[i]
        words = text.split()
        words[1] = str(op[3])  # the dose changes: exercises the drift guard too
        words[4] = op[2]
        blocks[i] = (kind, " ".join(words))
    elif op[0] == "swap":
        i, j = op[1] % len(blocks), op[2] % len(blocks)
        blocks[i], blocks[j] = blocks[j], blocks[i]
    elif op[0] == "duplicate":
        i = op[1] % len(blocks)
        blocks.insert(i, blocks[i])
    return blocks


def article(blocks: list[tuple[BlockKind, str]]) -> Article:
    segs = tuple(Segment(i, kind, text, i + 1, "p", 0, 0) for i, (kind, text) in enumerate(blocks))
    return Article("prop", "source_articles/prop.txt", "text", "", segs)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.lists(block, min_size=1, max_size=6), edits=st.lists(st.lists(edit, max_size=3), max_size=5))
def test_no_translation_is_ever_lost(start, edits):
    counter = itertools.count()
    written: set[str] = set()
    blocks = start
    text: str | None = None
    for step in [[], *edits]:
        for op in step:
            blocks = apply(blocks, op)
        art = article(blocks)
        old = parse(text) if text is not None else None
        entries = merge(old, template_entries(art), None, MergeOptions("es"))
        po = parse(dump(POFile(None, entries)))
        present = {s for e in po.entries for s in e.translations()}
        assert written <= present, f"lost: {written - present}"
        keys = [e.key for e in po.entries]
        assert len(keys) == len(set(keys))
        assert [e.key for e in po.entries if not e.obsolete] == list(
            dict.fromkeys(k for k in segment_keys(art) if k is not None)
        )
        for e in po.entries:  # the translator: fill empty entries, confirm fuzzy ones
            if e.obsolete:
                continue
            if not e.msgstr:
                e.msgstr = f"T{next(counter)} {e.msgid}"
                written.add(e.msgstr)
            e.set_flag("fuzzy", False)
        text = dump(po)
