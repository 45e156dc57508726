"""The reviewer's HTML report in a real browser (Debian's headless Chromium via chromedriver):
filters show what they say, and a hostile msgstr is shown as text with no script running."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import headless_chromium
from qa_support import SOURCE, EchoCheck, GrammarDown, NumbersCheck, UntranslatedCheck, po_text

from medloc.config import load_settings
from medloc.qa import check_po_files, write_reports
from medloc.report.render import render

HOSTILE = [
    "<script>document.title='pwned-script';alert(1)</script>",
    "<img src=x onerror=\"document.title='pwned-img';alert(2)\">",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with headless_chromium("1400,1800") as driver:
        yield driver


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("html")
    es, fr = root / "aspirin.po", root / "dose.po"
    es.write_text(po_text([("Take 500 mg twice a day.", "Tome 50 mg dos veces al día."),
                           ("Click <b>here</b>", HOSTILE[0]), ("Image", HOSTILE[1]),
                           *SOURCE[2:]], "es"))
    fr.write_text(po_text([(SOURCE[0][0], "Prenez 5000 mg."), (SOURCE[1][0], "")], "fr"))
    checks = [NumbersCheck(), UntranslatedCheck(), EchoCheck(), GrammarDown()]
    report = check_po_files([es, fr], load_settings(root), checks=checks)
    path = root / "qa.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    write_reports(report, load_settings(root), root / "reports")  # the index and the article pages
    return path


def _visible(driver) -> list:
    return [el for el in driver.find_elements("css selector", ".finding") if el.is_displayed()]


def test_filter_by_severity_shows_only_critical(browser, report_file: Path) -> None:
    from selenium.webdriver.support.ui import Select

    driver = browser
    driver.get(report_file.as_uri())
    everything = _visible(driver)
    assert len(everything) >= 5
    Select(driver.find_element("id", "f-severity")).select_by_value("critical")
    shown = _visible(driver)
    # 50 and 5000 (changed doses), 1 and 2 (the hostile msgstrs' "alert(1)", "alert(2)")
    assert len(shown) == 4 and {el.get_attribute("data-severity") for el in shown} == {"critical"}
    assert driver.find_element("id", "count").text == f"4 of {len(everything)}"
    assert "severity=critical" in driver.current_url
    Select(driver.find_element("id", "f-locale")).select_by_value("fr")
    (only,) = _visible(driver)
    assert "5000" in only.text and only.find_element("css selector", "mark").text == "5000"
    rows = [r for r in driver.find_elements("css selector", "tr.row") if r.is_displayed()]
    assert {r.get_attribute("data-locale") for r in rows} == {"fr"}
    assert "blocked" in rows[0].text and "critical" in rows[0].text
    driver.find_element("id", "f-reset").click()
    assert len(_visible(driver)) == len(everything)
    banner = driver.find_element("css selector", ".banner[data-engine=grammar]")
    assert banner.is_displayed() and "grammar: not checked" in banner.text
    driver.save_screenshot(str(report_file.with_suffix(".png")))


def test_link_with_filter_in_hash_opens_filtered(browser, report_file: Path) -> None:
    browser.get(report_file.as_uri() + "#severity=major%2B&locale=es")
    shown = _visible(browser)
    assert shown and {el.get_attribute("data-severity") for el in shown} <= {"critical", "major"}
    assert {el.get_attribute("data-locale") for el in shown} == {"es"}


def test_hostile_msgstr_is_text_and_no_script_runs(browser, report_file: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    driver = browser
    driver.get(report_file.as_uri())
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - raises when no alert opened
    assert driver.title == "medloc QA report"
    assert not driver.find_elements("css selector", "#list img, #list script, #list b")
    targets = " ".join(el.text for el in driver.find_elements("css selector", ".t.tgt"))
    assert HOSTILE[0] in targets and HOSTILE[1] in targets


def test_the_index_opens_an_article_page_whose_filters_work(browser, report_file: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.support.ui import Select

    driver = browser
    driver.get((report_file.parent / "reports" / "qa.html").as_uri())
    # The index lists the findings about no single article: here, grammar not checked.
    assert {el.get_attribute("data-check") for el in _visible(driver)} == {"engine-unavailable"}
    driver.find_element("css selector", '#decisions a[href="articles/aspirin.html"]').click()
    assert driver.current_url.endswith("/reports/articles/aspirin.html")
    assert driver.title == "medloc QA: aspirin"
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 - the hostile msgstrs are on this page: no script ran
    everything = _visible(driver)
    assert everything and {el.get_attribute("data-article") for el in everything} == {"aspirin"}
    Select(driver.find_element("id", "f-severity")).select_by_value("critical")
    shown = _visible(driver)
    assert 0 < len(shown) < len(everything)
    assert {el.get_attribute("data-severity") for el in shown} == {"critical"}
    driver.find_element("css selector", 'a[href="../qa.html"]').click()
    assert driver.current_url.endswith("/reports/qa.html")
