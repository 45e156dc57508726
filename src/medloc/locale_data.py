"""CLDR locale data (plural rules, language names, number symbols): the only module that imports Babel.

Why one module: catalog headers and the number checks need the same few facts about a locale, and
Babel spells locales its own way ("pt_BR", not "pt-BR") and raises its own errors for codes it does
not know. Here each lookup takes our locale codes and either answers or falls back in a documented
way, so no other module handles Babel's types or exceptions, and a Babel upgrade is checked in one
place.

What the rest of the code may call:

- `plural_forms(locale)`: the gettext Plural-Forms header value (English's rule when unknown).
- `language_name(locale)`: the English name of the locale ("Spanish (Mexico)"), or the code itself.
- `number_symbols(locale)`: (decimal, group) symbols, or None when CLDR has no such locale.
- `format_number(value, locale)`: a number written with the locale's symbols (raises when unknown).
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from babel.messages.plurals import get_plural
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

DEFAULT_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"


def plural_forms(locale: str) -> str:
    """gettext Plural-Forms from Babel's CLDR-derived table ('nplurals=2; plural=(n != 1);')."""
    try:
        return str(get_plural(locale).plural_forms)
    except (UnknownLocaleError, ValueError):
        return DEFAULT_PLURAL_FORMS


def language_name(locale: str) -> str:
    """The locale's English display name; the code itself when CLDR does not know it."""
    try:
        return Locale.parse(locale).get_display_name("en") or locale
    except (UnknownLocaleError, ValueError):
        return locale


def number_symbols(locale: str) -> tuple[str, str] | None:
    """(decimal, group) symbols of a Babel locale code ("fr", "pt_BR"); None when CLDR has none."""
    try:
        return get_decimal_symbol(locale), get_group_symbol(locale)
    except Exception:  # UnknownLocaleError, ValueError or TypeError for a malformed code
        return None


def format_number(value: float, locale: str) -> str:
    """`value` in the locale's notation, all its decimals kept ("es": 1234.5 -> "1.234,5").

    Our codes may use "-" ("pt-BR"); an empty code means English. Raises for a locale CLDR lacks.
    """
    return str(format_decimal(value, locale=locale.replace("-", "_") or "en", decimal_quantization=False))
