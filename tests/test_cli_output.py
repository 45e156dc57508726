"""Standard output carries medloc's own output only (medloc.cli.stdout): what native code writes to
file descriptor 1 during a command goes to stderr, so `medloc check --format json > qa.json` is JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from paths import REPO

MEDLOC = Path(sys.executable).with_name("medloc")
# An NCI press-release sentence on which Harper (Rust) prints a debug line to descriptor 1 while linting.
SENTENCE = ("“We are looking forward to further exploring this combination in ovarian cancer and "
            "potentially increasing effective treatment options for our patients with this cancer,” said "
            "the investigator.")
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)])}


def _po(locale: str, msgstr: str) -> str:
    language = f'"Language: {locale}\\n"\n' if locale else ""
    return f'{HEADER}{language}\nmsgid "{SENTENCE}"\nmsgstr "{msgstr}"\n'


def test_check_json_on_stdout_stays_json_while_harper_prints(tmp_path: Path) -> None:
    """The real case: a project whose English source Harper checks (no engine memo yet, as in a fresh
    CI checkout); before, Harper's line came first on stdout and the report did not parse."""
    (tmp_path / "medloc.toml").write_text('[project]\nlocales = ["fr"]\n')
    (tmp_path / "locales" / "templates").mkdir(parents=True)
    (tmp_path / "locales" / "fr").mkdir()
    (tmp_path / "locales" / "templates" / "trial.pot").write_text(_po("", ""), encoding="utf-8")
    (tmp_path / "locales" / "fr" / "trial.po").write_text(
        _po("fr", "« Nous avons hâte d’explorer cette association », a déclaré l’investigatrice."),
        encoding="utf-8")
    done = subprocess.run([str(MEDLOC), "check", "--format", "json", "--project", str(tmp_path)],
                          capture_output=True, text=True, env=_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)  # the whole of stdout is the report
    assert any(f["check"] == "source-grammar" and "harper" in f["message"] for f in report["findings"])


NOISY = """
import os, sys
import medloc.report.render as render
from medloc.cli import main

plain = render.render
def noisy(report, fmt):
    os.write(1, b"native noise\\n")  # as a C or Rust library writes, past sys.stdout
    return plain(report, fmt)
render.render = noisy  # `medloc check` imports it when it runs
code = main(["check", "--po", sys.argv[1], "--format", "json", "--project", sys.argv[2]])
os.write(1, b"after the command\\n")  # descriptor 1 is standard output again
sys.exit(code)
"""


def test_what_native_code_writes_to_descriptor_1_goes_to_stderr(tmp_path: Path) -> None:
    po = tmp_path / "fr.po"
    po.write_text(_po("fr", "« Nous avons hâte », a-t-il dit."), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", NOISY, str(po), str(tmp_path)], capture_output=True,
                          text=True, env=_env(), timeout=300)
    assert done.returncode in (0, 1), done.stderr
    report, after = done.stdout.rsplit("\n", 2)[0], done.stdout.rsplit("\n", 2)[1]
    assert json.loads(report)["scope"] == "files" and after == "after the command"
    assert "native noise" in done.stderr and "native noise" not in done.stdout
