"""Choosing the language of the bot's texts."""

from bot.core.engine import MENU, Context, Feature, StaleAction
from bot.core.messages import Button, Reply, action, buttons
from bot.core.texts import LOCALES
from bot.menu.main import menu_reply

LANGUAGE_NAMES = {"ru": "Русский", "en": "English"}
# Typed answers accepted while the choice is open, for people who type instead of pressing.
TYPED = {
    "русский": "ru",
    "russian": "ru",
    "ru": "ru",
    "english": "en",
    "английский": "en",
    "en": "en",
}


class Language(Feature):
    name = "language"

    async def enter(self, ctx: Context) -> list[Reply]:
        choices = [
            Button(LANGUAGE_NAMES[code], action(self.name, "set", code)) for code in LOCALES
        ]
        return [Reply(ctx.t("language-choose"), buttons(choices))]

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        if verb != "set" or len(args) != 1 or args[0] not in LOCALES:
            raise StaleAction(verb)
        return self._set(ctx, args[0])

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        code = TYPED.get(text.strip().lower())
        if code is None:
            return [*await self.enter(ctx)]
        return self._set(ctx, code)

    def _set(self, ctx: Context, code: str) -> list[Reply]:
        ctx.person.locale = code
        ctx.log("language.set", code)
        ctx.goto(MENU)
        return [Reply(ctx.t("language-set")), menu_reply(ctx, "menu-again")]
