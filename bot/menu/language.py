"""Choosing the language of the bot's texts."""

from bot.core.actions import Action, StaleAction
from bot.core.feature import MENU, Context, Feature
from bot.core.messages import Button, Reply, buttons
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


def _locale(value: str) -> str:
    if value not in LOCALES:
        raise StaleAction(value)
    return value


SET = Action("language", "set", _locale)


class Language(Feature):
    name = "language"

    async def enter(self, ctx: Context) -> list[Reply]:
        choices = [Button(LANGUAGE_NAMES[locale], SET.pack(locale)) for locale in LOCALES]
        return [Reply(ctx.t("language-choose"), buttons(choices))]

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        if verb != SET.verb:
            raise StaleAction(verb)
        (locale,) = SET.unpack(args)
        return self._set(ctx, locale)

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
