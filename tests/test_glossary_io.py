"""Loading (errors with file and line), TBX-Basic round trip and safety, TICO-19 import, CLI."""

from pathlib import Path

import pytest

from medloc.cli import main
from medloc.glossary import load_glossary
from medloc.glossary.load import parse_text
from medloc.glossary.tbx import export_tbx, parse_tbx
from medloc.glossary.tico import import_tico
from medloc.model import MedlocError

ROOT = Path(__file__).resolve().parents[1]
TICO = Path("/work/shared/corpus/tico19-terminology")
if not TICO.exists():
    TICO = ROOT.parent / "shared" / "corpus" / "tico19-terminology"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("- id: a\n  term: b\n  es: [unclosed\n", 4, "invalid YAML"),
        ("- id: a\n  term: b\n- id: c\n  trem: d\n", 4, "unknown key 'trem'"),
        ("- id: a\n  term: b\n- id: Bad Id\n  term: c\n", 3, "id 'Bad Id'"),
        ("- id: a\n  term: ''\n", 2, "term is empty"),
        ("- id: a\n  term: b\n  dnt: maybe\n", 3, "dnt must be true or false"),
        ("- id: a\n  term: !!python/object:os.system b\n", 2, "plain text"),
        ("id: a\nterm: b\n", 1, "list of entries"),
        ("- id: a\n  term: b\n  es: {preferred: x, prefered: y}\n", 3, "unknown key 'prefered'"),
        # Tagged scalars whose text the tag cannot hold: refused at their line, not read as text.
        ("- id: a\n  term: !!int x\n", 2, "term: 'x' is not a valid !!int value"),
        ("- id: a\n  term: b\n  note: !!float nope\n", 3, "note: 'nope' is not a valid !!float value"),
        ("- id: a\n  term: b\n  dnt: !!bool maybe\n", 3, "dnt: 'maybe' is not a valid !!bool value"),
        ("- id: a\n  term: 0b_\n", 2, "'0b_' is not a valid !!int value (invalid literal"),
        ("- id: a\n  term: b\n  es: {preferred: !!int x}\n", 3, "a.es.preferred: 'x' is not a valid"),
        ("- id: a\n  term: b\n  note: !!timestamp 2024-13-45\n", 3, "note must be a plain text value"),
        ("- id: a\n  term: b\n  source: !!python/object:os.system {}\n", 3, "plain text"),
        ('- id: a\n  term: b\n  note: !!binary "%%%"\n', 3, "note must be a plain text value"),
        ("- id: a\n  term: b\n  es: " + "[" * 5000 + "\n", 3, "invalid YAML: nested too deeply"),
        ("- id: a\n  term: b\n  note: a\x01b\n", 3, "invalid YAML: unacceptable character #x0001"),
    ],
)
def test_malformed_glossary_names_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(MedlocError) as info:
        parse_text(text, "glossary/bad.yaml")
    assert info.value.path == "glossary/bad.yaml" and info.value.line == line
    assert words in info.value.message


def test_tagged_values_that_fit_their_tag_still_load() -> None:
    concept = parse_text("- id: a\n  term: !!int 42\n  dnt: !!bool yes\n  note: !!float 1.5\n", "g.yaml")[0]
    assert (concept.term, concept.dnt, concept.note) == ("42", True, "1.5")


def test_glossary_file_that_does_not_construct_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("- id: a\n  term: b\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("- id: c\n  term: d\n- id: e\n  term: f\n  dnt: !!bool maybe\n")
    with pytest.raises(MedlocError) as info:
        load_glossary(tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'b.yaml'}:5: dnt: 'maybe' is not a valid !!bool value")


@pytest.mark.parametrize("encoding", ["Shift_JIS", "UTF-7", "big5", "idna", "punycode", "undefined"])
def test_tbx_with_an_encoding_expat_cannot_use_names_file_and_line(encoding: str) -> None:
    data = f'<?xml version="1.0" encoding="{encoding}"?>\n<tbx><text><body/></text></tbx>'.encode()
    with pytest.raises(MedlocError) as info:  # was a bare ValueError/UnicodeError out of expat
        parse_tbx(data, "odd.tbx")
    assert info.value.path == "odd.tbx" and info.value.line == 1
    assert info.value.message.startswith("invalid XML: ")


def test_tbx_round_trip_is_lossless() -> None:
    glossary = load_glossary(ROOT / "glossary")
    text = export_tbx(glossary)
    assert 'type="TBX-Basic"' in text and "deprecatedTerm-admn-sts" in text
    back = parse_tbx(text.encode("utf-8"), "x.tbx")

    def strip(g):
        return [
            (
                c.id,
                c.term,
                c.pos,
                c.allowed,
                c.forbidden,
                dict(c.translations),
                c.dnt,
                c.note,
                c.source,
                c.examples,
            )
            for c in g
        ]

    assert strip(back) == strip(glossary)
    assert export_tbx(back) == text


def test_tbx_external_entities_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    evil = (
        f'<?xml version="1.0"?><!DOCTYPE tbx [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<tbx><text><body><conceptEntry id="a"><langSec xml:lang="en"><termSec><term>&x;</term>'
        "</termSec></langSec></conceptEntry></body></text></tbx>"
    ).encode()
    with pytest.raises(MedlocError, match="unsafe XML"):
        parse_tbx(evil, "evil.tbx")


def test_tbx_v2_and_parse_errors() -> None:
    v2 = (
        '<martif type="TBX"><text><body><termEntry id="fever"><langSet xml:lang="en"><tig><term>fever</term>'
        '</tig></langSet><langSet xml:lang="zh-CN"><tig><term>发热</term></tig></langSet></termEntry>'
        "</body></text></martif>"
    ).encode()
    concept = parse_tbx(v2, "v2.tbx").concepts[0]
    assert (concept.id, concept.term, concept.translations["zh_CN"].preferred) == ("fever", "fever", "发热")
    with pytest.raises(MedlocError) as info:
        parse_tbx(b"<tbx>\n<text>\n</tbx>", "broken.tbx")
    assert info.value.line == 3


@pytest.mark.skipif(not TICO.exists(), reason="shared TICO-19 corpus not present")
def test_tico_import_merges_facebook_and_google_lists() -> None:
    files = [*sorted(TICO.glob("*/*.csv")), TICO / "facebook_multilingual_merged.tsv"]
    glossary = import_tico(files, ["es", "fr", "de", "zh_CN"])
    by_term = {c.term.casefold(): c for c in glossary}
    assert len(glossary) > 400
    fever = by_term["fever"]
    assert {k: v.preferred for k, v in fever.translations.items()} == {
        "es": "fiebre",
        "fr": "fièvre",
        "de": "Fieber",
        "zh_CN": "发热",
    }
    assert by_term["contagious"].pos == "adjective"
    assert "google" in by_term["contagious"].source
    assert all(set(c.translations) <= {"es", "fr", "de", "zh_CN"} for c in glossary)


def test_tico_bad_row_names_line(tmp_path: Path) -> None:
    bad = tmp_path / "f_en-es_XX.csv"
    bad.write_text(
        "id,sourceLang,targetLang,sourceString,targetString\n1,en,es_XX,fever,fiebre\n2,en,es_XX,x\n"
    )
    with pytest.raises(MedlocError) as info:
        import_tico([bad])
    assert info.value.line == 3


def test_cli_lint_and_fix_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "g.yaml").write_text(
        "- id: muscle-twitching\n  term: muscle twitching\n  forbidden: [flesh jumping]\n"
        "  es: espasmo muscular\n  fr: fasciculation musculaire\n  de: Muskelzucken\n  zh_CN: 肌肉抽搐\n"
    )
    (tmp_path / "source_articles").mkdir()
    article = tmp_path / "source_articles" / "seed.txt"
    article.write_text("Title\n\nThis flesh jumping stops.\n\nFlesh jumps again.\n", encoding="utf-8")
    assert main(["glossary", "lint", "-p", str(tmp_path)]) == 0
    assert main(["fix", "-p", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "+This muscle twitching stops." in out and "2 fix(es) in 1 file(s) proposed" in out
    assert "flesh jumping" in article.read_text()
    assert main(["fix", "-p", str(tmp_path), "--write"]) == 0
    assert article.read_text() == "Title\n\nThis muscle twitching stops.\n\nMuscle twitches again.\n"
    (tmp_path / "glossary" / "h.yaml").write_text("- id: x\n  term: [\n")
    assert main(["fix", "-p", str(tmp_path), "--write"]) == 2
    assert "h.yaml:" in capsys.readouterr().err
