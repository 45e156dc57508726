"""The project's include/exclude CSS selectors, evaluated by BeautifulSoup (soupsieve).

This module owns beautifulsoup4 for extraction. bs4's "html.parser" builder records each tag's
source line and column; our offset tree (`htmltree`) is built by the same tokenizer, so a tag bs4
matches is found in our tree by its start position. Full CSS (attribute operators, :not(), :has(),
sibling combinators) comes for free, and bs4 is parsed only when a project configures selectors.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from soupsieve import SelectorSyntaxError

from medloc.extract.htmltree import Element
from medloc.model import MedlocError


def select_positions(source: str, selectors: list[str], origin: str) -> set[tuple[int, int]]:
    """(line, column) of the start tags that match any selector."""
    if not selectors:
        return set()
    soup = BeautifulSoup(source, "html.parser")
    found: set[tuple[int, int]] = set()
    for selector in selectors:
        try:
            matches = soup.select(selector)
        except SelectorSyntaxError as exc:
            raise MedlocError(f"invalid CSS selector {selector!r} in [extract]: {exc}", path=origin) from exc
        for tag in matches:
            if tag.sourceline is not None and tag.sourcepos is not None:
                found.add((tag.sourceline, tag.sourcepos))
    return found


def match_elements(
    order: list[Element], positions: set[tuple[int, int]], line_starts: list[int]
) -> list[Element]:
    """Elements of our tree whose start tag sits at one of `positions`, in document order."""
    if not positions:
        return []
    offsets = {line_starts[line - 1] + col for line, col in positions if 0 < line <= len(line_starts)}
    return [e for e in order if e.tag != "#document" and e.start in offsets]
