"""TMX round trip on TICO-19 (507 units × 5 locales) through `medloc tm import/export`."""

from __future__ import annotations

import pytest
from catalog_support import make_project

from medloc.cli import main
from medloc.model import MedlocError
from medloc.tmx import read_tmx, write_tmx

PAIRS = ["es-419", "fr", "pt-BR", "ru", "zh"]


def test_every_unit_of_every_locale_survives_import_and_export(tmp_path, corpus, capsys):
    make_project(tmp_path)
    originals = {}
    for pair in PAIRS:
        path = corpus / "tico19-tm" / f"tico19.en-{pair}.sample.tmx"
        units = read_tmx(path)
        assert len(units) == 507
        originals[pair] = {(u.tuid, u.source, u.target) for u in units}
        assert main(["tm", "import", str(path), "--project", str(tmp_path)]) == 0
    out = tmp_path / "export.tmx"
    assert main(["tm", "export", str(out), "--project", str(tmp_path)]) == 0
    assert "exported 2535 unit(s)" in capsys.readouterr().out
    back = read_tmx(out)
    for pair in PAIRS:
        got = {(u.tuid, u.source, u.target) for u in back if u.locale == pair}
        assert got == originals[pair], pair
    # the quirk: wiki_7:2465 has two English sources; both stay, each with its own targets
    assert len({u.source for u in back if u.tuid == "wiki_7:2465"}) == 2
    again = tmp_path / "again.tmx"
    write_tmx(again, back)
    assert {(u.tuid, u.source, u.target, u.locale) for u in read_tmx(again)} == {
        (u.tuid, u.source, u.target, u.locale) for u in back
    }


def test_markup_and_inline_codes_survive(tmp_path):
    from medloc.memory import Unit

    path = tmp_path / "m.tmx"
    unit = Unit('Take <strong>500 mg</strong> & "rest"', "Tome <strong>500 mg</strong> y «descanse»", "es")
    write_tmx(path, [unit])
    assert [(u.source, u.target, u.locale) for u in read_tmx(path)] == [(unit.source, unit.target, "es")]
    inline = tmp_path / "inline.tmx"
    inline.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body><tu>'
        '<tuv xml:lang="en"><seg>Take <bpt i="1">&lt;b&gt;</bpt>5 mg<ept i="1">&lt;/b&gt;</ept></seg></tuv>'
        '<tuv xml:lang="de"><seg>Nehmen Sie <bpt i="1">&lt;b&gt;</bpt>5 mg'
        '<ept i="1">&lt;/b&gt;</ept></seg></tuv>'
        "</tu></body></tmx>"
    )
    assert [(u.source, u.target) for u in read_tmx(inline)] == [
        ("Take <b>5 mg</b>", "Nehmen Sie <b>5 mg</b>")
    ]


def test_unsafe_or_broken_tmx_is_refused(tmp_path):
    bomb = tmp_path / "bomb.tmx"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
        '<tmx version="1.4"><body>&b;</body></tmx>'
    )
    with pytest.raises(MedlocError, match="unsafe"):
        read_tmx(bomb)
    broken = tmp_path / "broken.tmx"
    broken.write_text('<tmx version="1.4">\n<body>\n<tu>\n</body></tmx>')
    with pytest.raises(MedlocError) as info:
        read_tmx(broken)
    assert info.value.path == str(broken) and info.value.line == 4
