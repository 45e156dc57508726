"""Target term QA through inflection (es, fr, de), forbidden translations, do-not-translate; hints."""

from pathlib import Path

import pytest

from medloc.glossary import Terminology, check_target, hints_for, load_glossary, term_findings
from medloc.model import Severity

TERMS = Terminology(load_glossary(Path(__file__).resolve().parents[1] / "glossary"))


@pytest.mark.parametrize(
    ("locale", "target"),
    [
        ("es", "Los espasmos musculares aparecen de noche."),
        ("es", "El espasmo muscular aparece de noche."),
        ("es", "Las fasciculaciones aparecen de noche."),
        ("fr", "Les fasciculations musculaires apparaissent la nuit."),
        ("fr", "Des tressautements musculaires apparaissent la nuit."),
        ("de", "Nächtliche Muskelzuckungen sind häufig."),
        ("de", "Muskelzucken ist häufig."),
        ("zh_CN", "夜间肌肉抽搐很常见。"),
    ],
)
def test_inflected_approved_terms_satisfy_the_concept(locale: str, target: str) -> None:
    assert check_target(TERMS, "Muscle twitching at night is common.", target, locale) == []


@pytest.mark.parametrize(
    ("locale", "target", "kind"),
    [
        ("es", "Los saltos de carne aparecen de noche.", "forbidden"),
        ("fr", "Les sauts de chair apparaissent la nuit.", "forbidden"),
        ("de", "Das Fleischspringen ist häufig.", "forbidden"),
        ("es", "Los temblores aparecen de noche.", "missing"),
        ("de", "Das Zittern ist häufig.", "missing"),
    ],
)
def test_forbidden_and_missing(locale: str, target: str, kind: str) -> None:
    issues = check_target(TERMS, "Muscle twitching at night is common.", target, locale)
    assert kind in {i.kind for i in issues}
    forbidden = [i for i in issues if i.kind == "forbidden"]
    for issue in forbidden:
        assert issue.span is not None and target[issue.span[0] : issue.span[1]].split()[-1] in target
        assert issue.suggestion == TERMS.concept("muscle-twitching").translations[locale].preferred


def test_hot_flash_calques_in_targets() -> None:
    source = "Hot flashes are common."
    assert (
        next(i.kind for i in check_target(TERMS, source, "Los destellos calientes son comunes.", "es"))
        == "forbidden"
    )
    assert check_target(TERMS, source, "Los sofocos son frecuentes.", "es") == []
    assert check_target(TERMS, source, "Hitzewallungen sind häufig.", "de") == []
    assert check_target(TERMS, source, "Les bouffées de chaleur sont fréquentes.", "fr") == []


def test_do_not_translate_altered() -> None:
    source = "SARS-CoV-2 causes COVID-19."
    assert check_target(TERMS, source, "El SARS-CoV-2 causa la COVID-19.", "es") == []
    issues = check_target(TERMS, source, "El sars-cov-2 causa la COVID-19.", "es")
    assert [(i.kind, i.concept) for i in issues] == [("dnt-altered", "sars-cov-2")]
    assert issues[0].span == (3, 13)


def test_findings_have_severity_and_span() -> None:
    findings = term_findings(TERMS, "Muscle twitching", "Saltos de carne", "es", article="seed")
    assert findings[0].severity is Severity.CRITICAL and findings[0].span == (0, 15)
    assert findings[0].check == "glossary" and findings[0].article == "seed"


def test_hints_list_concepts_once_with_locale_terms() -> None:
    hints = hints_for(TERMS, "Muscle twitching and <b>hot flashes</b>; muscle twitches again.", "es")
    assert hints == [
        "glossary: muscle twitching → espasmo muscular (also: fasciculación, contracción muscular "
        "involuntaria; avoid: salto de carne, carne que salta)",
        "glossary: hot flashes → sofoco (also: bochorno; avoid: destello caliente, flash caliente)",
    ]
    assert hints_for(TERMS, "COVID-19 and paroxetine", "de") == [
        'glossary: COVID-19 → do not translate, keep "COVID-19"',
        "glossary: paroxetine → Paroxetin",
    ]


@pytest.mark.parametrize(
    ("locale", "source", "target"),
    [
        # German compounds hold the approved noun
        ("de", "The decline in estrogen levels.", "Der Abfall des Östrogenspiegels."),
        ("de", "Fluctuations in hormone levels.", "Schwankungen des Hormonspiegels."),
        # Romance adjectives derived from the approved noun
        ("es", "Fluctuations in hormone levels.", "Fluctuaciones de los niveles hormonales."),
        ("fr", "Fluctuations in hormone levels.", "Fluctuations des taux hormonaux."),
    ],
)
def test_compounds_and_derived_forms_count_as_the_approved_term(
    locale: str, source: str, target: str
) -> None:
    assert [i for i in check_target(TERMS, source, target, locale) if i.kind == "missing"] == []


def test_a_missing_term_is_minor_and_still_reported() -> None:
    issues = check_target(TERMS, "Fluctuations in hormone levels.", "Cambios de los niveles de azúcar.", "es")
    assert [i.kind for i in issues] == ["missing"]
    [finding] = term_findings(
        TERMS, "Fluctuations in hormone levels.", "Cambios de los niveles de azúcar.", "es"
    )
    assert finding.severity is Severity.MINOR
