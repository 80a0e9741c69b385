"""Each feature's texts live in its own package: a message id written in a package's code is
defined in that package's catalog or in the core's, never only in another feature's (whose
catalog is there only when that feature is imported)."""

import ast
from pathlib import Path

from fluent.syntax import FluentParser
from fluent.syntax import ast as fluent

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "bot" / "core"
PACKAGES = [
    ROOT / "bot" / "menu",
    ROOT / "bot" / "booking",
    ROOT / "bot" / "tickets",
    ROOT / "bot" / "missing",
    ROOT / "knowledge_base",
    ROOT / "scenarios",
    ROOT / "surveys",
    ROOT / "applications",
    CORE,
]


def _keys(package: Path) -> set[str]:
    keys: set[str] = set()
    for path in (package / "texts").glob("*/*.ftl"):
        body = FluentParser().parse(path.read_text(encoding="utf-8")).body
        keys |= {entry.id.name for entry in body if isinstance(entry, fluent.Message)}
    return keys


def _strings(package: Path) -> set[str]:
    found: set[str] = set()
    for path in package.rglob("*.py"):
        if package != CORE and path.is_relative_to(CORE):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_no_package_uses_another_features_message() -> None:
    owned = {package: _keys(package) for package in PACKAGES}
    every = set().union(*owned.values())
    borrowed = {
        f"{package.relative_to(ROOT)}: {key}"
        for package in PACKAGES
        for key in (_strings(package) & every) - owned[package] - owned[CORE]
    }
    assert sorted(borrowed) == []
    assert "menu-greeting" in owned[ROOT / "bot" / "menu"]  # the walk sees the catalogs
