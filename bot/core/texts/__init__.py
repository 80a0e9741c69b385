"""Message catalogs: Fluent files per locale, Russian first, English as the second language."""

import logging
import warnings
from functools import cache
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.resolver import MAX_PART_LENGTH

LOCALES = ("ru", "en")
DEFAULT_LOCALE = "ru"
# Folders holding <locale>/*.ftl: the core's own, then each feature's (add_catalogs), so a
# feature's texts live in its package and the core names no feature.
_ROOTS: list[Path] = [Path(__file__).parent]
# Fluent refuses an inserted value longer than MAX_PART_LENGTH (a guard against runaway
# messages); a person's question or a staff answer can be longer, so such values are put in
# after formatting, in place of a marker Fluent leaves alone.
_LONG = MAX_PART_LENGTH // 2
_MARK = "\ue000{}\ue001"

log = logging.getLogger(__name__)


class CatalogWarning(UserWarning):
    """A message missing from a catalog or failing to format: a bug (an error in tests)."""


def pick_locale(hint: str | None) -> str:
    """The catalog for a messenger language hint: Russian unless the person's app is not."""
    if not hint:
        return DEFAULT_LOCALE
    language = hint.split("-")[0].lower()
    # Speakers of these languages usually read Russian better than English.
    if language in {"ru", "uk", "be", "kk", "ky", "uz", "tg", "hy", "az", "tt", "ba"}:
        return DEFAULT_LOCALE
    return "en"


def add_catalogs(root: Path) -> None:
    """A feature's catalog folder (root/<locale>/*.ftl), added when its package is imported."""
    if root not in _ROOTS:
        _ROOTS.append(root)
        _bundle.cache_clear()


def catalog_files(locale: str) -> list[Path]:
    return [path for root in _ROOTS for path in sorted((root / locale).glob("*.ftl"))]


@cache
def _bundle(locale: str) -> FluentBundle:
    # Built by hand rather than with FluentResourceLoader, which leaves its files open.
    bundle = FluentBundle([locale], use_isolating=False)
    for path in catalog_files(locale):
        bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return bundle


def text(locale: str, key: str, **args: object) -> str:
    """The message `key` in `locale`, falling back to Russian. A lookup that fails is reported
    (CatalogWarning, which the test suite turns into an error); a person is shown the best
    text there is, never the bare key."""
    long_values = {}
    for name, value in args.items():
        if isinstance(value, str) and len(value) > _LONG:
            long_values[_MARK.format(len(long_values))] = value
            args[name] = _MARK.format(len(long_values) - 1)
    best: str | None = None
    for candidate in dict.fromkeys((locale, DEFAULT_LOCALE)):
        if candidate not in LOCALES:
            continue
        bundle = _bundle(candidate)
        message = bundle.get_message(key) if bundle.has_message(key) else None
        if message is None or message.value is None:
            _report(f"{candidate}: no message {key!r}")
            continue
        value, errors = bundle.format_pattern(message.value, args)
        if errors:
            _report(f"{candidate}: {key!r}: {'; '.join(map(str, errors))}")
            best = best or value
            continue
        best = value
        break
    if best is None:
        best = _bundle(DEFAULT_LOCALE).format_pattern(
            _bundle(DEFAULT_LOCALE).get_message("error-generic").value, {}
        )[0]
    for mark, value in long_values.items():
        best = best.replace(mark, value)
    return best


def _report(problem: str) -> None:
    log.error("catalog: %s", problem)
    warnings.warn(problem, CatalogWarning, stacklevel=3)


def catalog_keys(locale: str) -> set[str]:
    """Every message id defined in one locale's catalog (for completeness tests)."""
    from fluent.syntax import FluentParser, ast

    keys: set[str] = set()
    for path in catalog_files(locale):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        keys |= {entry.id.name for entry in resource.body if isinstance(entry, ast.Message)}
    return keys
