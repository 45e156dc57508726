"""The QA runner sends engine-backed checks all units at once: grammar for a whole locale costs
one LanguageTool request per batch, not one per segment (checked against a real local /v2 server)."""

from __future__ import annotations

from lt_server import FakeLanguageTool
from test_engine_languagetool import context_for

from medloc.checks.base import Unit
from medloc.checks.engine import Runner
from medloc.checks.language import GrammarCheck


def test_runner_batches_grammar_for_many_units() -> None:
    units = [Unit(f"Source {i}", f"Les patient doivent venir {i} fois.", locale="fr", article="a")
             for i in range(40)]
    units.append(Unit("Skip", "Les patient doivent venir.", locale="fr", article="a",
                      flags=frozenset({"ignore-grammar"})))
    with FakeLanguageTool() as lt:
        runner = Runner([GrammarCheck()], context_for(lt.url))
        findings = runner.run(units)
        assert lt.behaviour.checks == 1  # 40 segments, one request
    assert len(findings) == 40  # one "Les patient" per checked unit; the ignore-grammar unit is silent
    assert all(f.article == "a" and f.locale == "fr" for f in findings)
    assert {f.target for f in findings} == {u.target for u in units[:40]}
