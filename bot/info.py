""" "Режим работы и контакты": the office's own answers on hours, contacts and address."""

from pathlib import Path

import knowledge_base
from bot.config import Settings
from bot.conversation import Reply, buttons
from bot.engine import MENU, Context, Feature
from knowledge_base.entries import Entry, load_entries

# Knowledge-base topics that together make the office card.
INFO_TOPICS = ("working_hours", "contacts", "office_address")
SHIPPED = Path(knowledge_base.__file__).parent / "demo"


class Info(Feature):
    name = "info"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def _entries(self) -> list[Entry]:
        folder = self.settings.content_path("knowledge_base", SHIPPED)
        by_id = {entry.id: entry for entry in load_entries(folder)}
        return [by_id[topic] for topic in INFO_TOPICS if topic in by_id]

    async def enter(self, ctx: Context) -> list[Reply]:
        ctx.goto(MENU)
        parts = [
            entry.answer_en if ctx.locale == "en" else entry.answer_ru for entry in self._entries()
        ]
        return [Reply("\n\n".join([ctx.t("info-title"), *parts]), buttons(ctx.menu_button()))]
