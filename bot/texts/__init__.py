"""Message catalogs: Fluent files per locale, Russian first, English as the second language."""

from functools import cache
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource

LOCALES = ("ru", "en")
DEFAULT_LOCALE = "ru"
CATALOG_FILES = ["main.ftl", "scenarios.ftl", "kb.ftl", "tickets.ftl", "booking.ftl"]
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
def _bundle(locale: str) -> FluentBundle:
    # Built by hand rather than with FluentResourceLoader, which leaves its files open.
    bundle = FluentBundle([locale], use_isolating=False)
    for name in CATALOG_FILES:
        bundle.add_resource(FluentResource((_ROOT / locale / name).read_text(encoding="utf-8")))
    return bundle


def text(locale: str, key: str, **args: object) -> str:
    """The message `key` in `locale`; falls back to Russian, then to the key itself."""
    for candidate in (locale, DEFAULT_LOCALE):
        if candidate not in LOCALES:
            continue
        bundle = _bundle(candidate)
        if bundle.has_message(key):
            value, errors = bundle.format_pattern(bundle.get_message(key).value, args)
            if not errors:
                return value
    return key


def catalog_keys(locale: str) -> set[str]:
    """Every message id defined in one locale's catalog (for completeness tests)."""
    from fluent.syntax import FluentParser, ast

    keys: set[str] = set()
    for name in CATALOG_FILES:
        resource = FluentParser().parse((_ROOT / locale / name).read_text(encoding="utf-8"))
        keys |= {entry.id.name for entry in resource.body if isinstance(entry, ast.Message)}
    return keys
