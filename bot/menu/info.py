""" "Режим работы и контакты": the office's own answers on hours, contacts and address."""

from bot.core.feature import MENU, Context, Feature
from bot.core.messages import Reply
from knowledge_base.store import KnowledgeStore

# Knowledge-base topics that together make the office card, so moderators keep one copy.
INFO_TOPICS = ("working_hours", "contacts", "office_address")


class Info(Feature):
    name = "info"

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store

    async def enter(self, ctx: Context) -> list[Reply]:
        ctx.goto(MENU)
        entries = (await self.store.snapshot(ctx.session)).entries
        parts = [
            entries[topic].answer_en if ctx.locale == "en" else entries[topic].answer_ru
            for topic in INFO_TOPICS
            if topic in entries and entries[topic].enabled
        ]
        return [Reply("\n\n".join([ctx.t("info-title"), *parts]), ((ctx.menu_button(),),))]
