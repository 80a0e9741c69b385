"""Message catalogs: Fluent files per locale, Russian first, English as the second language."""

from functools import cache
from pathlib import Path

from fluent.runtime import FluentLocalization, FluentResourceLoader

LOCALES = ("ru", "en")
DEFAULT_LOCALE = "ru"
CATALOG_FILES = ["main.ftl"]
_ROOT = Path(__file__).parent


def pick_locale(hint: str | None) -> str:
    """The catalog for a messenger language hint: Russian unless the person's app is not."""
    if not hint:
        return DEFAULT_LOCALE
    language = hint.split("-")[0].lower()
    # Speakers of these languages usually read Russian better than English.
    if language in {"ru", "uk", "be", "kk", "ky", "uz", "tg", "hy", "az", "tt", "ba"}:
        return DEFAULT_LOCALE
    return "en"


@cache
def _localization(locale: str) -> FluentLocalization:
    chain = [locale] if locale == DEFAULT_LOCALE else [locale, DEFAULT_LOCALE]
    loader = FluentResourceLoader(str(_ROOT / "{locale}"))
    return FluentLocalization(chain, CATALOG_FILES, loader)


def text(locale: str, key: str, **args: object) -> str:
    """The message `key` in `locale`; falls back to Russian, then to the key itself."""
    if locale not in LOCALES:
        locale = DEFAULT_LOCALE
    return _localization(locale).format_value(key, args)


def catalog_keys(locale: str) -> set[str]:
    """Every message id defined in one locale's catalog (for completeness tests)."""
    from fluent.syntax import FluentParser, ast

    keys: set[str] = set()
    for name in CATALOG_FILES:
        resource = FluentParser().parse((_ROOT / locale / name).read_text(encoding="utf-8"))
        keys |= {entry.id.name for entry in resource.body if isinstance(entry, ast.Message)}
    return keys
