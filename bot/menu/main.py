"""The main menu."""

from collections.abc import Awaitable, Callable

from bot.core.feature import MENU, Context, Feature, go
from bot.core.messages import Reply, buttons

# (catalog key, feature name) in the order people see them; two per row on wide screens
# would cut long Russian labels, so one entry per row.
ENTRIES = (
    ("menu-services", "scenario"),
    ("menu-faq", "faq"),
    ("menu-booking", "booking"),
    ("menu-survey", "survey"),
    ("menu-human", "ticket"),
    ("menu-applications", "applications"),
    ("menu-history", "history"),
    ("menu-info", "info"),
    ("menu-language", "language"),
)


def menu_reply(ctx: Context, greeting_key: str = "menu-greeting") -> Reply:
    return Reply(
        ctx.t(greeting_key), buttons(*(ctx.button(key, go(name)) for key, name in ENTRIES))
    )


FreeText = Callable[[Context, str], Awaitable[list[Reply]]]


class MainMenu(Feature):
    name = MENU
    commands = ("/start", "/menu", "меню", "menu", "начать", "старт", "start")

    def __init__(self, free_text: FreeText | None = None) -> None:
        # Text typed outside any form is taken as a question (the knowledge base answers it).
        self.free_text = free_text

    def routes(self) -> set[str]:
        return {name for _, name in ENTRIES}

    async def enter(self, ctx: Context) -> list[Reply]:
        return [menu_reply(ctx)]

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        if self.free_text is not None and text.strip():
            return await self.free_text(ctx, text)
        return [Reply(ctx.t("not-understood")), menu_reply(ctx, "menu-again")]
