"""/history: the person's own requests and visits."""

from bot.conversation import Reply, buttons
from bot.engine import MENU, Context, Feature


class History(Feature):
    name = "history"

    async def enter(self, ctx: Context) -> list[Reply]:
        ctx.goto(MENU)
        return [Reply(ctx.t("history-empty"), buttons(ctx.menu_button()))]
