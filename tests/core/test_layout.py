"""Imports run one way: entry (bot/cli.py) → channels (handlers/) → assembly (bot/app.py) →
features → core (bot/core/). The core imports no feature and no messenger library; a feature
imports no other feature (it gets a Protocol port from the assembly instead)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FEATURES = (
    "bot.booking",
    "bot.tickets",
    "bot.menu",
    "bot.missing",
    "knowledge_base",
    "scenarios",
    "surveys",
    "touchpoints",
    "applications",
)
MESSENGERS = ("aiogram", "vkbottle", "maxapi", "aiohttp")
ENTRY = ("bot.cli", "bot.__main__")
ASSEMBLY = ("bot.app", "bot.assembly")
# Lower numbers may be imported by higher ones, never the other way round.
LEVELS = {"core": 0, "feature": 1, "assembly": 2, "channel": 3, "entry": 4}


def _within(module: str, packages: tuple[str, ...]) -> str | None:
    return next((p for p in packages if module == p or module.startswith(p + ".")), None)


def _layer(module: str) -> tuple[str, str] | None:
    """(layer, unit) of a project module; features are units of their own."""
    if _within(module, ("bot.core",)):
        return "core", "bot.core"
    if feature := _within(module, FEATURES):
        return "feature", feature
    if _within(module, ASSEMBLY):
        return "assembly", "bot.app"
    if _within(module, ENTRY):
        return "entry", "bot.cli"
    if _within(module, ("handlers",)):
        return "channel", "handlers"
    return None


def _modules() -> dict[str, Path]:
    found = {}
    for top in (
        "bot",
        "handlers",
        "knowledge_base",
        "scenarios",
        "surveys",
        "touchpoints",
        "applications",
    ):
        for path in (ROOT / top).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(module: str, path: Path, known: set[str]) -> list[tuple[int, str]]:
    """(line, module) per import; `from a import b` names a.b only when b is a module."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                name = f"{base}.{alias.name}"
                out.append((node.lineno, name if name in known else base))
    return out


def wrong_way_imports() -> list[str]:
    problems = []
    modules = _modules()
    for module, path in sorted(modules.items()):
        source = _layer(module)
        if source is None:
            continue
        layer, unit = source
        for line, imported in _imports(module, path, set(modules)):
            where = f"{path.relative_to(ROOT)}:{line}"
            if layer in ("core", "feature") and _within(imported, MESSENGERS):
                problems.append(f"{where}: {layer} imports the messenger library {imported}")
                continue
            target = _layer(imported)
            if target is None or target[1] == unit:
                continue
            if LEVELS[target[0]] > LEVELS[layer]:
                problems.append(f"{where}: {layer} {unit} imports {target[0]} {imported}")
            elif layer == target[0] == "feature":
                problems.append(f"{where}: feature {unit} imports feature {imported}")
    return sorted(set(problems))


def test_imports_run_one_way() -> None:
    assert wrong_way_imports() == []


def test_the_check_sees_a_wrong_way_import(tmp_path: Path, monkeypatch) -> None:
    """The walk itself can fail: a core module importing a feature is reported."""
    fake = tmp_path / "bot" / "core"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("from bot.booking import models\nimport aiogram\n")
    tops = ("handlers", "knowledge_base", "scenarios", "surveys", "touchpoints", "applications")
    for top in tops:
        (tmp_path / top).mkdir()
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert wrong_way_imports() == [
        "bot/core/bad.py:1: core bot.core imports feature bot.booking",
        "bot/core/bad.py:2: core imports the messenger library aiogram",
    ]
