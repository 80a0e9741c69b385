"""Features declare the commands that open them and the features their buttons open; a
wrong declaration stops the start-up instead of becoming "this button no longer works"."""

import ast
import sys
from pathlib import Path

import pytest

from bot.app import App, build_features
from bot.core.engine import Engine
from bot.core.feature import MENU, Context, Feature
from bot.core.messages import Reply


class Pointer(Feature):
    name = "pointer"
    commands = ("/point",)

    def __init__(self, target: str) -> None:
        self.target = target

    def routes(self) -> set[str]:
        return {self.target}

    async def enter(self, ctx: Context) -> list[Reply]:
        return []


def test_a_route_to_a_missing_feature_stops_the_start_up(app: App) -> None:
    features = build_features(app.settings, app.store)
    with pytest.raises(ValueError, match=r"pointer opens missing features: \['nowhere'\]"):
        Engine(app.sessions, app.settings, [*features, Pointer("nowhere")])
    Engine(app.sessions, app.settings, [*features, Pointer("booking")])  # a real one is fine


def test_two_features_claiming_one_command_stop_the_start_up(app: App) -> None:
    class Other(Pointer):
        name = "other"
        commands = ("/kb",)  # the moderators' command

    features = build_features(app.settings, app.store)
    with pytest.raises(ValueError, match="'/kb' is claimed by kbmod too"):
        Engine(app.sessions, app.settings, [*features, Other("menu")])


def test_every_shipped_command_opens_its_feature(app: App) -> None:
    assert {word: app.engine.commands[word] for word in ("/start", "/kb", "/today")} == {
        "/start": "menu",
        "/kb": "kbmod",
        "/today": "today",
    }
    assert app.engine.commands["удалить мои данные"] == "forget"


def _opened_by_name(package: Path) -> set[str]:
    """Feature names written as go("…") in a package's code."""
    found = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "go"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_go_button_is_a_declared_route(app: App) -> None:
    """routes() is what start-up checks, so a go("…") left out of it would slip past."""
    root = Path(__file__).resolve().parents[2]
    declared: dict[Path, set[str]] = {}
    for feature in app.engine.features.values():
        package = Path(sys.modules[type(feature).__module__].__file__).parent
        declared.setdefault(package, set()).update(feature.routes(), {feature.name})
    undeclared = {
        f"{package.relative_to(root)}: {name}"
        for package, names in declared.items()
        for name in _opened_by_name(package) - names - {MENU}
    }
    assert sorted(undeclared) == []
    assert _opened_by_name(root / "bot" / "booking") >= {"ticket", "history"}  # it looks
