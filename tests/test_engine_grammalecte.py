"""Grammalecte through medloc: its modules get compiled patterns instead of `re`'s per-call lookup
(`medloc.engines.grammalecte._CompiledPatterns`), and the findings are exactly those of plain `re`."""

from __future__ import annotations

import re
import sys

from medloc.engines.grammalecte import _CompiledPatterns, open_engine
from medloc.tmx import read_tmx
from paths import CORPUS

WRONG = ["Les patient doit prendre 5 mg par jour.", "Il faut les prendre avec de l’eau , pas du lait.",
         "Ces médicament sont dangereuse pour les enfant.",
         "Je suis allé à l'hôpital hier, ils m'ont dit que sa va."]


def _french() -> list[str]:
    units = read_tmx(CORPUS / "tico19-tm" / "tico19.en-fr.sample.tmx")
    return WRONG + [u.target for u in units][:150]


def test_grammalecte_modules_use_compiled_patterns_with_the_same_findings() -> None:
    engine, why = open_engine()
    assert engine is not None, why
    patched = [m for name, m in sys.modules.items()
               if name.startswith("grammalecte") and isinstance(getattr(m, "re", None), _CompiledPatterns)]
    assert any(m.__name__.endswith("fr.gc_engine") for m in patched)
    texts = _french()
    fast = engine.check(texts, "fr")
    assert sum(len(found or []) for found in fast.issues) >= len(WRONG)  # it does find errors
    shims = [m.re for m in patched]
    try:
        for module in patched:
            module.re = re
        plain = engine.check(texts, "fr")
    finally:
        for module, shim in zip(patched, shims, strict=True):
            module.re = shim
    assert fast.issues == plain.issues


def test_compiled_patterns_answer_as_re_does() -> None:
    shim = _CompiledPatterns()
    for pattern, text in [(r"^[A-Z]\w+", "Dose"), (r"\d+ ?mg", "take 5 mg"), (r"(?i)aspirin", "ASPIRIN"),
                          (r"x", "no match")]:
        for name in ("search", "match", "fullmatch"):
            got, want = getattr(shim, name)(pattern, text), getattr(re, name)(pattern, text)
            assert (got and got.span()) == (want and want.span())
        spans = [m.span() for m in shim.finditer(pattern, text)]
        assert spans == [m.span() for m in re.finditer(pattern, text)]
    assert shim.search("a", "A", re.IGNORECASE) and shim.sub("a", "b", "aa") == "bb" and shim.IGNORECASE
