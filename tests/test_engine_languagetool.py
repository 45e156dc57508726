"""The LanguageTool client against a real HTTP server on 127.0.0.1 speaking the /v2 protocol.

Covers batching (request count, offsets mapped back through markup, entities and UTF-16), slow
answers, 5xx, malformed JSON, refused languages, a server that dies mid-run and one that never was
there: the outcome is always a status, never an exception, and never a silent pass.
"""

from __future__ import annotations

import socket
import time

import pytest
from lt_server import Behaviour, FakeLanguageTool

from medloc.checks.base import CheckContext, Unit
from medloc.checks.language import GrammarCheck, SourceGrammarCheck
from medloc.checks.status import engine_statuses
from medloc.config import QASettings
from medloc.engines import ENGINES_OPTION, open_engines
from medloc.engines.grammar import GrammarService
from medloc.engines.languagetool import LanguageToolClient
from medloc.engines.status import State


def client(url: str, **kw: object) -> LanguageToolClient:
    options: dict[str, object] = {"timeout": 2.0, "retries": 2, "batch_chars": 20000, "backoff": 0.01}
    options.update(kw)
    return LanguageToolClient(url, **options)  # type: ignore[arg-type]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SEGMENTS = [
    "Talk to your doctor about the the side effects.",
    "It is important that you goes to the doctor.",
    "Take <b>the</b> the tablets &amp; rest , then drink water.",
    "Nothing wrong here.",
    "Emoji 😀 first, then the the repeat.",
]


def test_languages_resolve_locales_to_server_codes() -> None:
    with FakeLanguageTool() as lt:
        c = client(lt.url)
        assert c.resolve("de") == "de-DE"
        assert c.resolve("en") == "en-US"
        assert c.resolve("es") == "es"
        assert c.resolve("zh_CN") == "zh-CN"
        assert c.resolve("xx") is None


def test_one_request_maps_every_match_back_to_its_segment_and_original_offsets() -> None:
    with FakeLanguageTool() as lt:
        result = client(lt.url).check(SEGMENTS, "en")
        assert lt.behaviour.checks == 1 and result.requests == 1
        assert result.status.state is State.CHECKED and result.status.checked == len(SEGMENTS)
        found = {i: [(SEGMENTS[i][x.start:x.end], x.rule, x.category) for x in issues]
                 for i, issues in enumerate(result.issues) if issues}
    assert found[0] == [("the the", "ENGLISH_WORD_REPEAT_RULE", "MISC")]
    assert found[1] == [("goes", "PERS_PRONOUN_AGREEMENT", "GRAMMAR")]
    # markup stripped before sending, spans point into the original segment (tags included)
    assert ("the</b> the", "ENGLISH_WORD_REPEAT_RULE", "MISC") in found[2]
    assert (",", "COMMA_PARENTHESIS_WHITESPACE", "TYPOGRAPHY") in found[2]
    assert 3 not in found
    # UTF-16 offsets after an emoji (2 code units in Java, 1 character in Python)
    assert found[4] == [("the the", "ENGLISH_WORD_REPEAT_RULE", "MISC")]
    sent = lt.behaviour.texts[0]
    assert "<b>" not in sent and "&amp;" not in sent and "& rest" in sent
    issue = result.issues[1][0]  # type: ignore[index]
    assert issue.replacements == ("go",) and issue.issue_type == "grammar" and issue.engine == "languagetool"


def test_batches_respect_batch_chars() -> None:
    segments = [f"Segment {i} says the the same thing." for i in range(40)]  # 35 chars each
    with FakeLanguageTool() as lt:
        result = client(lt.url, batch_chars=200).check(segments, "en")
        texts = lt.behaviour.texts
    # 35 + (2 + 35) * 4 = 183 <= 200 < 220: five segments a request
    assert lt.behaviour.checks == 8 and result.requests == 8
    assert all(len(t) <= 200 for t in texts)
    assert all(len(issues or []) == 1 for issues in result.issues)
    for segment, issues in zip(segments, result.issues, strict=True):
        assert segment[issues[0].start:issues[0].end] == "the the"  # type: ignore[index]


def test_a_segment_longer_than_a_batch_goes_alone_and_a_match_across_segments_is_dropped() -> None:
    long = " ".join(f"w{i}" for i in range(100)) + " the the end."
    with FakeLanguageTool() as lt:
        result = client(lt.url, batch_chars=50).check(["Short END", "START here", long], "en")
    assert result.status.state is State.CHECKED
    assert result.issues[0] == [] and result.issues[1] == []
    assert [long[i.start:i.end] for i in result.issues[2]] == ["the the"]  # type: ignore[union-attr]


def test_disabled_rules_and_categories_are_sent() -> None:
    qa = QASettings()
    with FakeLanguageTool() as lt:
        c = client(lt.url, disabled_rules=qa.languagetool_disabled_rules,
                   disabled_categories=qa.languagetool_disabled_categories)
        c.check(["One text."], "es")
        form = lt.behaviour.forms[0]
    assert form["language"] == "es"
    assert "WHITESPACE_RULE" in form["disabledRules"] and form["disabledCategories"] == "TYPOS"


def test_slow_answer_times_out_then_the_retry_succeeds() -> None:
    with FakeLanguageTool(Behaviour(delay_first=1, delay=1.5)) as lt:
        started = time.monotonic()
        result = client(lt.url, timeout=0.5).check(SEGMENTS[:2], "en")
        elapsed = time.monotonic() - started
        assert lt.behaviour.checks == 2
    assert result.status.state is State.CHECKED
    assert result.issues[1] and result.issues[1][0].rule == "PERS_PRONOUN_AGREEMENT"
    assert elapsed < 1.5


def test_http_5xx_then_success() -> None:
    with FakeLanguageTool(Behaviour(fail_first=2, fail_status=503)) as lt:
        result = client(lt.url, retries=2).check(SEGMENTS, "en")
        assert lt.behaviour.checks == 3
    assert result.status.state is State.CHECKED and result.issues[0]


def test_malformed_json_then_success() -> None:
    with FakeLanguageTool(Behaviour(malformed_first=1)) as lt:
        result = client(lt.url).check(SEGMENTS, "en")
        assert lt.behaviour.checks == 2
    assert result.status.state is State.CHECKED


def test_malformed_json_every_time_is_reported_after_bounded_tries() -> None:
    with FakeLanguageTool(Behaviour(malformed_first=100)) as lt:
        result = client(lt.url, retries=2).check(SEGMENTS, "en")
        assert lt.behaviour.checks == 3
    assert result.status.state is State.UNAVAILABLE and result.status.checked == 0
    assert "malformed JSON" in result.status.detail
    assert all(issues is None for issues in result.issues)


def test_server_dying_mid_run_leaves_a_partial_status_and_no_exception() -> None:
    segments = [f"Segment {i} says the the same thing." for i in range(40)]
    with FakeLanguageTool(Behaviour(die_after=3)) as lt:
        c = client(lt.url, batch_chars=200, timeout=1.0)
        started = time.monotonic()
        result = c.check(segments, "en")
        elapsed = time.monotonic() - started
        assert not lt.alive
    assert result.status.state is State.PARTIAL
    assert result.status.checked == 15 and result.status.total == 40
    assert "stopped answering" in result.status.detail and "connection" in result.status.detail
    assert [i for i, found in enumerate(result.issues) if found is None] == list(range(15, 40))
    assert elapsed < 5
    # The rest of the run does not wait on the dead server again.
    later = c.check(["Another text."], "fr")
    assert later.status.state is State.UNAVAILABLE and later.requests == 0
    assert "not checked for fr" in later.status.line()


def test_server_shut_down_between_calls() -> None:
    with FakeLanguageTool() as lt:
        c = client(lt.url)
        first = c.check(SEGMENTS, "es")
        lt.stop()
        second = c.check(SEGMENTS, "de")
    assert first.status.state is State.CHECKED
    assert second.status.state is State.UNAVAILABLE and second.status.checked == 0


def test_unreachable_server_is_unavailable_not_an_exception() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    result = client(url, retries=1).check(SEGMENTS, "en")
    assert result.status.state is State.UNAVAILABLE
    assert "unreachable" in result.status.detail and url in result.status.detail
    assert result.status.line().startswith("grammar: not checked for en: LanguageTool at")


def test_refused_language_fails_that_locale_only() -> None:
    with FakeLanguageTool(Behaviour(refuse_languages=("fr",))) as lt:
        c = client(lt.url)
        refused = c.check(["Les patient doit venir."], "fr")
        fine = c.check(SEGMENTS[:1], "en")
    assert refused.status.state is State.UNAVAILABLE and "HTTP 400" in refused.status.detail
    assert fine.status.state is State.CHECKED and c.down is None


def test_empty_segments_cost_no_request() -> None:
    with FakeLanguageTool() as lt:
        result = client(lt.url).check(["", "<br>", "  "], "en")
        assert lt.behaviour.checks == 0
    assert result.status.state is State.CHECKED and result.issues == [[], [], []]


def test_service_falls_back_to_harper_for_english_when_the_server_is_down() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    service = GrammarService(client(url, retries=0))
    english = service.check(["It is important that you goes to the doctor."], "en")
    spanish = service.check(["Es importante."], "es")
    assert english.status.state is State.CHECKED and english.status.engine == "harper"
    assert "unreachable" in english.status.detail
    assert english.issues[0] and english.issues[0][0].engine == "harper"
    assert spanish.status.state is State.UNAVAILABLE


def test_not_configured_is_reported_as_such() -> None:
    service = GrammarService(None)
    result = service.check(["Es importante."], "es")
    assert result.status.state is State.NOT_CONFIGURED
    assert "qa.languagetool_url" in result.status.line()


# -- the checks on top of the client ---------------------------------------------------------------


def context_for(url: str, **qa: object) -> CheckContext:
    settings = QASettings(languagetool_url=url, languagetool_retries=1, languagetool_timeout_seconds=2.0,
                          **qa)  # type: ignore[arg-type]
    context = CheckContext()
    context.options[ENGINES_OPTION] = open_engines(settings)
    context.options[ENGINES_OPTION].grammar.languagetool.backoff = 0.01  # type: ignore[union-attr]
    return context


def test_grammar_check_batches_a_locale_and_maps_categories_to_mqm() -> None:
    units = [Unit("Patients", "Les patient doivent venir.", locale="fr"),
             Unit("Water", "Talk to your doctor about the the side effects.", locale="fr"),
             Unit("Style", "A very unique case , really.", locale="fr"),
             Unit("Same", "Les patient doivent venir.", locale="fr")]
    with FakeLanguageTool() as lt:
        context = context_for(lt.url)
        findings = GrammarCheck().run_many(units, context)
        assert lt.behaviour.checks == 1  # four units, three distinct texts, one request
    by_rule = {f.extra["rule"]: f for f in findings}
    assert by_rule["D_N"].category == "linguistic-conventions" and by_rule["D_N"].severity == "minor"
    assert by_rule["D_N"].suggestion == "Les patients" and by_rule["D_N"].in_target
    assert by_rule["VERY_UNIQUE"].category == "style" and by_rule["VERY_UNIQUE"].severity == "info"
    assert by_rule["COMMA_PARENTHESIS_WHITESPACE"].category == "locale-conventions"
    assert sum(f.extra["rule"] == "D_N" for f in findings) == 2
    [status] = engine_statuses(context)
    assert status.ok and status.engine == "languagetool" and status.checked == 3


def test_grammar_check_with_a_dead_server_reports_status_not_a_pass() -> None:
    context = context_for(f"http://127.0.0.1:{closed_port()}")
    units = [Unit("x", "Es importante que vas al médico.", locale="es"),
             Unit("y", "Das ist gut.", locale="de")]
    findings = GrammarCheck().run_many(units, context)
    assert findings == []
    statuses = engine_statuses(context)
    assert [(s.locale, s.state) for s in statuses] == [("de", State.UNAVAILABLE), ("es", State.UNAVAILABLE)]
    assert all("not checked" in s.line() for s in statuses)


def test_source_grammar_examples_against_the_local_server() -> None:
    with FakeLanguageTool() as lt:
        context = context_for(lt.url)
        check = SourceGrammarCheck()
        for example in check.examples:
            found = list(check.run(Unit(example.source, example.target, locale="en"), context))
            assert bool(found) == example.fails, example
            assert all(f.extra["engine"] == "languagetool" for f in found)


@pytest.mark.parametrize("retries", [0, 3])
def test_retries_are_bounded(retries: int) -> None:
    with FakeLanguageTool(Behaviour(fail_first=100, fail_status=502)) as lt:
        result = client(lt.url, retries=retries).check(SEGMENTS[:1], "en")
        assert lt.behaviour.checks == retries + 1
    assert result.status.state is State.UNAVAILABLE and "HTTP 502" in result.status.detail
