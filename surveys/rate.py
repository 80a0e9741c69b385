"""The presses of the 1–5 buttons other features put under their messages (surveys.ratings
.offer): each records one anonymous score and leaves the person where they were."""

from bot.core.actions import StaleAction
from bot.core.feature import MENU, Context, Feature
from bot.core.messages import Reply, buttons
from surveys.ratings import FEATURE, SCORE, take


class Rate(Feature):
    name = FEATURE

    async def enter(self, ctx: Context) -> list[Reply]:
        ctx.goto(MENU)  # nothing to open: the buttons are under other features' messages
        raise StaleAction(self.name)

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        if verb != SCORE.verb:
            raise StaleAction(verb)
        token, value = SCORE.unpack(args)
        if not await take(ctx.session, token, value, ctx.now.astimezone(ctx.settings.tz).date()):
            raise StaleAction(verb)
        # Nothing goes to the interaction log: a timed event next to the score's day would
        # tie the anonymous score to the person.
        return [Reply(ctx.t("rate-thanks"), buttons(ctx.menu_button()))]
