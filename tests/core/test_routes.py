"""Features declare the commands that open them and the features their buttons open; a
wrong declaration stops the start-up instead of becoming "this button no longer works"."""

import pytest

from bot.app import App, build_features
from bot.core.engine import Engine
from bot.core.feature import Context, Feature
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
