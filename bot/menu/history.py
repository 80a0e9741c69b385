"""/history: the person's own requests and visits, gathered from the features that keep them."""

from collections.abc import Sequence
from typing import Protocol

from bot.core.feature import MENU, Context, Feature
from bot.core.messages import Reply


class HistorySection(Protocol):
    """A feature that keeps records for the person (bookings, tickets)."""

    async def history(self, ctx: Context) -> list[Reply]:
        """The person's records as replies (with their own buttons), newest first; [] if none."""
        ...


class History(Feature):
    name = "history"
    commands = ("/history",)

    def __init__(self, sections: Sequence[HistorySection] = ()) -> None:
        self.sections = sections

    async def enter(self, ctx: Context) -> list[Reply]:
        ctx.goto(MENU)
        replies = [reply for section in self.sections for reply in await section.history(ctx)]
        if not replies:
            return [Reply(ctx.t("history-empty"), ((ctx.menu_button(),),))]
        return [*replies, Reply(ctx.t("menu-again"), ((ctx.menu_button(),),))]
