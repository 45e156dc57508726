"""Markup, placeholders, URLs, e-mails, spec-style."""

from __future__ import annotations

from check_helpers import fails, findings, passes

from medloc.checks.base import CheckContext, Unit
from medloc.checks.markup import EmailsCheck, MarkupCheck, PlaceholdersCheck, UrlsCheck, localized_link
from medloc.model import Severity

M, P = MarkupCheck, PlaceholdersCheck


def test_tags() -> None:
    assert passes(M, "Take <strong>500 mg</strong>", "Tome <strong>500 mg</strong>")
    assert fails(M, "Take <strong>500 mg</strong>", "Tome 500 mg")
    assert passes(M, "the Mayo Clinic", "la <i>Mayo Clinic</i>")  # added emphasis is fine
    broken = findings(M, "Take <strong>500 mg</strong>", "Tome <strong>500 mg")
    assert Severity.CRITICAL in {f.severity for f in broken}
    unsafe = findings(M, '<a href="/a">x</a>', '<a href="javascript:alert(1)">x</a>')
    assert Severity.CRITICAL in {f.severity for f in unsafe}
    assert fails(M, "<b>x</b>", '<b onclick="x()">x</b>')


def test_links() -> None:
    assert localized_link(
        "https://www.cancer.gov/types/ovarian", "https://www.cancer.gov/espanol/tipos/ovario", "es"
    )
    assert not localized_link("https://www.cancer.gov/types", "https://www.cancer.gov/other", "es")
    assert localized_link("http://www.cancer.gov/clinicaltrials/NCT1", "/clinicaltrials/NCT1", "es")
    assert fails(M, '<a href="https://cancer.gov/a">a</a>', '<a href="https://evil.example/a">a</a>')
    strict = MarkupCheck().run(
        Unit(
            '<a href="https://www.cancer.gov/types">t</a>',
            '<a href="https://www.cancer.gov/espanol/tipos">t</a>',
            locale="es",
        ),
        CheckContext(options={"markup.strict_links": True}),
    )
    assert list(strict)
    assert passes(M, '<a href="/a" sys_id="1">a</a>', '<a href="/a" sys_id="2">a</a>')  # CMS bookkeeping


def test_placeholders() -> None:
    assert passes(P, "%(count)d of %(total)d", "%(total)d: %(count)d")
    assert fails(P, "%(count)d items", "%(cuenta)d elementos")
    assert fails(P, "%s of %s", "%s")
    assert findings(P, "%s of %s", "%s de %s de %s")[0].severity == Severity.CRITICAL
    assert passes(P, "Page {0} of {1}", "Página {0} de {1}")
    assert passes(P, "20% off", "20 % de descuento")
    assert passes(P, "The {name} was added. Add another {name}.", "{name} añadido. Añada otro.")
    assert passes(P, "%(counter)s results", "نتيجتان", "ar")  # dual form says the count in words


def test_urls_and_emails() -> None:
    assert passes(
        UrlsCheck, "Visit https://www.cancer.gov/about.", "Visite https://www.cancer.gov/espanol/acerca."
    )
    assert fails(UrlsCheck, "Visit https://www.cancer.gov/about.", "Visite el sitio.")
    assert passes(EmailsCheck, "Write to a@nih.gov.", "Escriba a a@nih.gov.")
    assert fails(EmailsCheck, "Write to a@nih.gov.", "Escriba a b@nih.gov.")
