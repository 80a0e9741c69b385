""" "Режим работы и контакты": the office's own answers on hours, contacts and address."""

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.feature import MENU, Context, Feature
from bot.core.messages import Reply

# Knowledge-base topics that together make the office card, so moderators keep one copy.
INFO_TOPICS = ("working_hours", "contacts", "office_address")


class Answers(Protocol):
    """Where the office card's texts are kept (the knowledge base)."""

    async def answers(
        self, session: AsyncSession, topics: Sequence[str], locale: str
    ) -> list[str]: ...


class Info(Feature):
    name = "info"

    def __init__(self, answers: Answers) -> None:
        self.answers = answers

    async def enter(self, ctx: Context) -> list[Reply]:
        ctx.goto(MENU)
        parts = await self.answers.answers(ctx.session, INFO_TOPICS, ctx.locale)
        return [Reply("\n\n".join([ctx.t("info-title"), *parts]), ((ctx.menu_button(),),))]
