"""QA runner, scoring and gate, fingerprints, waivers, run comparison, reports and `medloc check`."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from qa_support import (
    SOURCE,
    EchoCheck,
    GrammarDown,
    NumbersCheck,
    UntranslatedCheck,
    all_checks,
    make_project,
    po_text,
)

import medloc.qa
from medloc.checks.engine import Runner, units_from_po
from medloc.cli import main
from medloc.config import load_settings
from medloc.findings import fingerprint
from medloc.model import Finding, MedlocError, Severity
from medloc.po import parse
from medloc.qa import check_po_files, record_run, run_project_qa
from medloc.report.render import render
from medloc.scoring import Gate, score_locale
from medloc.stats import Counts
from medloc.waivers import add_waiver, load_waivers

BAD_DOSE = [("Take 500 mg twice a day.", "Tome 50 mg dos veces al día."), *SOURCE[1:]]


def _f(severity: Severity, check: str = "x") -> Finding:
    return Finding(check, severity, "m")


# --- scoring and gate ---------------------------------------------------------------------------

def test_penalty_is_mqm_weighted_per_1000_words() -> None:
    counts = Counts(translated=10, translated_words=2000)
    s = score_locale("a", "es", counts, [_f(Severity.MAJOR), _f(Severity.MINOR), _f(Severity.MINOR),
                                         _f(Severity.INFO)], Gate())
    assert s.penalty == 7 and s.penalty_per_1000_words == pytest.approx(3.5)
    assert s.score == pytest.approx(99.65) and s.publishable and s.decision == "publish"


def test_any_critical_blocks_whatever_the_score() -> None:
    huge = Counts(translated=1, translated_words=100_000)
    s = score_locale("a", "es", huge, [_f(Severity.CRITICAL, "numbers")], Gate())
    assert s.penalty_per_1000_words == pytest.approx(0.25)
    assert not s.publishable and any("critical" in r and "numbers" in r for r in s.reasons)


def test_penalty_over_limit_blocks() -> None:
    s = score_locale("a", "es", Counts(translated=1, translated_words=100), [_f(Severity.MAJOR)] * 1, Gate())
    assert s.penalty_per_1000_words == 50 and not s.publishable
    assert any("over the limit of 25" in r for r in s.reasons)


def test_fuzzy_never_counts_as_done_and_no_rounding_up() -> None:
    counts = Counts(translated=3, translated_words=30, fuzzy=1, fuzzy_words=10)
    s = score_locale("a", "es", counts, [], Gate())
    assert s.completion == 75 and not s.publishable
    assert "1 fuzzy entry to review" in s.reasons[0]
    nearly = Counts(translated=1, translated_words=9999, untranslated=1, untranslated_words=1)
    assert not score_locale("a", "es", nearly, [], Gate()).publishable  # 99.99 % is not 100 %
    assert score_locale("a", "es", nearly, [], Gate(min_completion=99.0)).publishable


# --- runner -------------------------------------------------------------------------------------

def test_runner_honours_ignore_flags_and_skips_obsolete() -> None:
    text = po_text(BAD_DOSE[:2], flags={1: "ignore-t-numbers"})
    text = text.replace('msgid "Do not', 'msgid "Do not').replace(
        'msgstr "No tome más de 4 dosis."', 'msgstr "No tome más de 5 dosis."')
    text += '\n#~ msgid "Old 1"\n#~ msgstr "Viejo 2"\n'
    units = units_from_po(parse(text), article="a", locale="es")
    assert len(units) == 2 and units[1].ignores("t-numbers")
    found = Runner([NumbersCheck()]).run(units)
    assert [f.message for f in found] == ["number 50 is not in the source"]
    assert found[0].extra["line"] and found[0].extra["reference"] == "source_articles/a.html:10"


def test_unknown_check_id_is_an_error_naming_the_settings_file(tmp_path: Path, capsys) -> None:
    make_project(tmp_path, settings='[qa]\ndisable = ["no-such-check"]\n')
    assert main(["check", "--project", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no-such-check" in err and "medloc.toml" in err


# --- fingerprints, waivers, comparison ----------------------------------------------------------

@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(medloc.qa, "selected_checks", lambda settings: all_checks())
    medloc.qa._CONTEXTS.clear()
    return make_project(tmp_path, es=BAD_DOSE)


def _by_check(report, check: str):
    return [r for r in report.findings if r.finding.check == check]


def test_project_report_rows_and_findings(project: Path) -> None:
    report = run_project_qa(load_settings(project))
    (crit,) = _by_check(report, "t-numbers")
    # a first run is the baseline: nothing to compare with, so nothing is "new"
    assert (crit.finding.article, crit.finding.locale, crit.status) == ("aspirin", "es", "open")
    rows = {(s.article, s.locale): s for s in report.rows}
    assert not rows["aspirin", "es"].publishable
    assert rows["aspirin", "es"].reasons[0].startswith("1 critical finding (t-numbers)")
    assert rows["dose", "es"].reasons == ["MQM penalty 47.6 per 1,000 words is over the limit of 25."]
    assert rows["aspirin", "fr"].completion == 0 and "untranslated" in rows["aspirin", "fr"].reasons[0]
    consistency = _by_check(report, "t-consistency")
    assert consistency and consistency[0].finding.article == "dose"
    source = rows["aspirin", "en"]
    assert source.severities["major"] == 1  # "your your" in the source


def test_fingerprint_stable_across_runs_and_line_moves_but_not_edits(project: Path) -> None:
    settings = load_settings(project)
    first = _by_check(run_project_qa(settings), "t-numbers")[0].fingerprint
    assert first == _by_check(run_project_qa(settings), "t-numbers")[0].fingerprint
    po = project / "locales" / "es" / "aspirin.po"
    po.write_text(po_text([*BAD_DOSE[1:], BAD_DOSE[0]]))  # same entry, other line
    moved = _by_check(run_project_qa(settings), "t-numbers")[0]
    assert moved.fingerprint == first and moved.finding.extra["line"] != "0"
    po.write_text(po_text([("Take 500 mg twice a day.", "Tome 5 mg dos veces al día."), *SOURCE[1:]]))
    assert _by_check(run_project_qa(settings), "t-numbers")[0].fingerprint != first


def test_waived_finding_does_not_count_and_comes_back_after_change(project: Path) -> None:
    settings = load_settings(project)
    report = run_project_qa(settings)
    fp = _by_check(report, "t-numbers")[0].fingerprint
    path = project / "qa" / "waivers.toml"
    add_waiver(path, fp, "Checked with the pharmacist: 50 mg is the Spanish label.", by="rev",
               about={"check": "t-numbers"})
    assert load_waivers(path)[fp].by == "rev"
    report = run_project_qa(settings)
    (waived,) = _by_check(report, "t-numbers")
    assert waived.status == "waived" and waived.waiver and "pharmacist" in waived.waiver.reason
    row = next(s for s in report.rows if (s.article, s.locale) == ("aspirin", "es"))
    assert row.severities["critical"] == 0 and row.waived == 1
    assert not report.failing(Severity.CRITICAL)
    (project / "locales" / "es" / "aspirin.po").write_text(
        po_text([("Take 500 mg twice a day.", "Tome 5 mg dos veces al día."), *SOURCE[1:]]))
    report = run_project_qa(settings)
    (back,) = _by_check(report, "t-numbers")
    assert back.status == "open" and back.fingerprint != fp  # no run recorded: still the baseline
    assert [w.fingerprint for w in report.stale_waivers] == [fp]
    with pytest.raises(MedlocError, match="reason"):
        add_waiver(path, "abc", "  ", by="x")


def test_run_comparison_new_fixed_open(project: Path) -> None:
    settings = load_settings(project)
    first = run_project_qa(settings)
    assert first.first_run and first.findings and all(r.status == "open" for r in first.findings)
    assert first.counts()["status"]["new"] == 0 and not first.fixed
    record_run(first, settings)
    fixed_fp = _by_check(first, "t-numbers")[0].fingerprint
    fr = [(SOURCE[0][0], "Prenez 500 mg deux fois par jour."),
          (SOURCE[1][0], "Ne prenez pas plus de 6 doses."), *[(s, "") for s, _ in SOURCE[2:]]]
    (project / "locales" / "es" / "aspirin.po").write_text(po_text(SOURCE))
    (project / "locales" / "fr" / "aspirin.po").write_text(po_text(fr, "fr"))
    second = run_project_qa(settings)
    assert not second.first_run
    assert [p.fingerprint for p in second.fixed if p.check == "t-numbers"] == [fixed_fp]
    (new,) = _by_check(second, "t-numbers")
    assert new.status == "new" and new.finding.locale == "fr"
    assert {r.status for r in _by_check(second, "t-untranslated") if r.finding.article == "dose"} == {"open"}
    assert second.counts()["fixed"] >= 1
    only_es = run_project_qa(settings, locales=["es"])
    assert all(p.locale == "es" for p in only_es.fixed)


def test_engine_unavailable_is_one_finding_per_locale_and_a_banner(project: Path) -> None:
    settings = load_settings(project)
    report = run_project_qa(settings, checks=[*all_checks(), GrammarDown()])
    engine = _by_check(report, "engine-unavailable")  # fr has no translation: nothing was sent
    assert [r.finding.locale for r in engine] == ["es"]
    assert "connection refused" in engine[0].finding.message
    grammar = next(x for x in report.engine_lines() if x["kind"] == "grammar")
    assert grammar["checked"] is False and "not checked" in grammar["summary"]
    assert "grammar: not checked" in render(report, "md")
    assert "grammar: not checked" in render(report, "html")
    assert all(r.finding.severity is Severity.INFO for r in engine)


# --- formats ------------------------------------------------------------------------------------

def test_json_schema_fields(project: Path) -> None:
    report = run_project_qa(load_settings(project))
    data = json.loads(render(report, "json"))
    assert data["schema"] == "medloc.qa-report/1"
    f = next(x for x in data["findings"] if x["check"] == "t-numbers")
    for key in ("check", "severity", "category", "message", "article", "locale", "msgid", "msgstr", "span",
                "suggestion", "fingerprint", "status", "line"):
        assert key in f
    assert f["span"] == {"start": 5, "end": 7, "in": "target", "text": "50"} and f["suggestion"] == "500"
    row = next(x for x in data["articles"] if (x["article"], x["locale"]) == ("aspirin", "es"))
    for key in ("completion", "words", "score", "penalty_per_1000_words", "decision", "reasons"):
        assert key in row
    assert row["decision"] == "blocked"
    assert {e["kind"] for e in data["engines"]} == {"grammar", "spelling"}
    assert {"glossary_fixes", "fixed", "summary", "gate"} <= set(data)


def test_junit_is_well_formed(project: Path) -> None:
    (project / "locales" / "es" / "dose.po").write_text(po_text([(SOURCE[0][0], "Tome 9 mg <b>\x01&</b>")]))
    report = run_project_qa(load_settings(project))
    root = ET.fromstring(render(report, "junit").encode())
    assert root.tag == "testsuites" and int(root.get("failures", 0)) >= 2
    cases = root.findall(".//testcase")
    assert len(cases) == int(root.get("tests", 0)) and any(c.find("failure") is not None for c in cases)


def test_glossary_fixes_are_in_the_report(project: Path) -> None:
    fixes = project / "out" / "glossary-fixes"
    fixes.mkdir(parents=True)
    fix = {"article": "aspirin", "path": "a.html", "segment": 1, "block": "p#1", "line": 7,
           "before": "flesh jumping", "after": "muscle twitching", "concept": "muscle-twitching"}
    (fixes / "aspirin.json").write_text(json.dumps({"article": "aspirin", "fixes": [fix]}))
    report = run_project_qa(load_settings(project))
    assert report.glossary_fixes == [fix]
    assert "flesh jumping" in render(report, "md") and "muscle twitching" in render(report, "html")


# --- medloc check on lone PO files, medloc waive -------------------------------------------------

@pytest.mark.parametrize(("entries", "fail_on", "code"), [
    (BAD_DOSE, "critical", 1),
    (SOURCE, "critical", 0),
    ([*SOURCE[:3], (SOURCE[3][0], "")], "critical", 0),
    ([*SOURCE[:3], (SOURCE[3][0], "")], "major", 0),
    ([*SOURCE[:3], (SOURCE[3][0], "")], "minor", 1),
])
def test_check_lone_po_file_exit_codes(tmp_path: Path, monkeypatch, capsys, entries, fail_on, code) -> None:
    monkeypatch.setattr(medloc.qa, "selected_checks", lambda settings: [NumbersCheck(), UntranslatedCheck()])
    medloc.qa._CONTEXTS.clear()
    po = tmp_path / "handed-in.po"
    po.write_text(po_text(entries, "es"))
    out = tmp_path / "r.json"
    assert main(["check", "--po", str(po), "--fail-on", fail_on, "--output", str(out),
                 "--project", str(tmp_path)]) == code
    data = json.loads(out.read_text())
    assert data["scope"] == "files" and data["articles"][0]["locale"] == "es"
    assert data["articles"][0]["article"] == "handed-in"


def test_check_md_to_stdout_and_bad_format(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(medloc.qa, "selected_checks", lambda settings: [NumbersCheck()])
    medloc.qa._CONTEXTS.clear()
    po = tmp_path / "x.po"
    po.write_text(po_text(BAD_DOSE, "es"))
    assert main(["check", "--po", str(po), "--format", "md", "--project", str(tmp_path)]) == 1
    assert "# medloc QA report" in capsys.readouterr().out
    assert main(["check", "--po", str(po), "--format", "pdf", "--project", str(tmp_path)]) == 2


def test_project_check_writes_reports_and_waive_command(project: Path, capsys) -> None:
    assert main(["check", "--project", str(project), "--record"]) == 1
    reports = project / "out" / "reports"
    assert {p.name for p in reports.iterdir()} >= {"qa.json", "qa.html", "qa.md", "qa.junit.xml"}
    fp = next(f["fingerprint"] for f in json.loads((reports / "qa.json").read_text())["findings"]
              if f["check"] == "t-numbers")
    assert main(["waive", fp, "--reason", "label says 50 mg", "--by", "rev", "--project", str(project)]) == 0
    assert main(["waive", "0000", "--reason", "x", "--project", str(project)]) == 2
    assert main(["check", "--project", str(project)]) == 0  # the only critical is waived
    text = (project / "qa" / "waivers.toml").read_text()
    assert "label says 50 mg" in text and 'check = "t-numbers"' in text


LOCK_HOLDER = """
import sys, time
from medloc.fsutil import ProjectLock
with ProjectLock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(60)
"""


def test_project_check_waits_for_a_running_flow_then_fails_clearly(tmp_path: Path, monkeypatch,
                                                                   capsys) -> None:
    """What `medloc check` writes on a project (the findings history, out/reports/) a flow run writes
    too: while another process holds the project lock, it writes nothing and says so (exit 2)."""
    monkeypatch.setattr(medloc.qa, "selected_checks", lambda settings: [NumbersCheck(), UntranslatedCheck()])
    medloc.qa._CONTEXTS.clear()
    project = make_project(tmp_path, es=BAD_DOSE, settings="[catalog]\nlock_timeout_seconds = 0.5\n")
    state = project / ".medloc"
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, str(state)], stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        before = sorted(p.name for p in state.iterdir())
        for args in (["--record"], []):
            assert main(["check", "--project", str(project), *args]) == 2
            assert "holds the project lock" in capsys.readouterr().err
        assert sorted(p.name for p in state.iterdir()) == before  # no history recorded
        assert not (project / "out" / "reports").exists()
        report = tmp_path / "elsewhere.json"  # a report written elsewhere touches nothing of the run's
        assert main(["check", "--project", str(project), "--output", str(report)]) == 1
        assert json.loads(report.read_text())["scope"] == "project"
    finally:
        holder.kill()
        holder.wait()
    assert main(["check", "--project", str(project), "--record"]) == 1  # the lock is free again
    assert (project / "out" / "reports" / "qa.json").is_file()


def test_html_escapes_markup_in_fields(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(po_text([("Click <b>here</b>", "<script>alert(1)</script>"),
                           ("Image", '<img src=x onerror="alert(2)">')], "es"))
    settings = load_settings(tmp_path)
    html = render(check_po_files([po], settings, checks=[EchoCheck()]), "html")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b>here" not in html
    assert fingerprint(Finding("a", Severity.INFO, "m")) == fingerprint(Finding("a", Severity.MAJOR, "other"))


def test_flow_stage_reuses_stored_article_findings_and_records(project: Path) -> None:
    from medloc.qa import ArticleQA, article_qa_path, check_article, runner_for
    from medloc.qastage import qa_run

    settings = load_settings(project)
    qa, _ = check_article("aspirin", settings, runner_for(settings))
    qa.findings.append(Finding("t-stored", Severity.MINOR, "from the pipeline's record", article="aspirin",
                               locale="es"))
    path = article_qa_path(settings, "aspirin")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(qa.to_dict()))
    assert ArticleQA.from_dict(json.loads(path.read_text())).findings[-1].check == "t-stored"
    out = qa_run(settings)
    assert "publishable" in out["headline"] and out["markdown"].startswith("# medloc QA report")
    assert {row["locale"] for row in out["table"]} == {"es", "fr"} and out["counts"]["blocked"] == 4
    data = json.loads((project / "out" / "reports" / "qa.json").read_text())
    assert any(f["check"] == "t-stored" for f in data["findings"])
    assert (project / ".medloc" / "qa-history.sqlite").is_file()
    assert all(f["status"] == "open" for f in json.loads(render(run_project_qa(settings), "json"))["findings"]
               if f["check"] != "t-stored")
