"""Invitations to the surveys after a visit, a closed ticket or a finished scenario: at most
one per person per period (SURVEY_INVITE_DAYS), none to someone who pressed "Не присылать
опросы", none when no survey is open to them that they have not answered. The person turns
them off and on again from the invitation itself or with /invites. What is kept
(surveys.models.SurveyInvitation) is tied to the person and holds nothing of their
answers."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import texts
from bot.core.actions import Action, StaleAction
from bot.core.feature import MENU, Context, Feature, go
from bot.core.messages import Button, Reply, buttons
from bot.core.models import Person
from surveys.models import SurveyInvitation
from surveys.openings import Openings

FEATURE = "invites"
SURVEYS = "survey"  # the feature that lists the surveys open to the person
OFF = Action(FEATURE, "off")
ON = Action(FEATURE, "on")


class Invitations:
    """The InviteToSurvey port."""

    def __init__(self, every: timedelta, tz: ZoneInfo, openings: Openings) -> None:
        self.every = every
        self.tz = tz
        self.openings = openings

    async def __call__(self, session: AsyncSession, person: Person, now: datetime) -> Reply | None:
        today = now.astimezone(self.tz).date()
        row = await _row(session, person)
        if row.opted_out or (
            row.last_sent_on is not None and today < row.last_sent_on + self.every
        ):
            return None
        # Not to a list that would be empty for them: nothing meant for them is open, or
        # they have answered it all.
        available = await self.openings.available(session, person, today)
        if not await self.openings.untaken(session, person, available):
            return None
        row.last_sent_on = today
        return invitation(person.locale)


def invitation(locale: str) -> Reply:
    def button(key: str, action: str) -> Button:
        return Button(texts.text(locale, key), action)

    return Reply(
        texts.text(locale, "invite-text"),
        buttons(button("invite-take", go(SURVEYS)), button("invite-stop", OFF.pack())),
    )


async def forget(session: AsyncSession, person: Person) -> None:
    """For "удалить мои данные": the date of the last invitation goes; a refusal stays."""
    row = await session.get(SurveyInvitation, person.id, with_for_update=True)
    if row is None:
        return
    if row.opted_out:
        row.last_sent_on = None
    else:
        await session.delete(row)


async def _row(session: AsyncSession, person: Person) -> SurveyInvitation:
    """The person's row, locked, made on first use."""
    row = await session.get(SurveyInvitation, person.id, with_for_update=True)
    if row is None:
        row = SurveyInvitation(person_id=person.id)
        session.add(row)
    return row


async def opted_out(session: AsyncSession, person: Person) -> bool:
    row = await session.get(SurveyInvitation, person.id)
    return row is not None and row.opted_out


class InvitationSettings(Feature):
    """ "Не присылать опросы" and back: the invitation's button, or /invites."""

    name = FEATURE
    commands = ("/invites", "не присылать опросы", "присылать опросы")

    def routes(self) -> set[str]:
        return {SURVEYS}

    async def enter(self, ctx: Context) -> list[Reply]:
        ctx.goto(MENU)
        if await opted_out(ctx.session, ctx.person):
            return [self._screen(ctx, "invites-are-off", "invites-button-on", ON)]
        return [self._screen(ctx, "invites-are-on", "invites-button-off", OFF)]

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        action = {OFF.verb: OFF, ON.verb: ON}.get(verb)
        if action is None:
            raise StaleAction(verb)
        action.unpack(args)
        off = action is OFF
        (await _row(ctx.session, ctx.person)).opted_out = off
        ctx.log("invites.off" if off else "invites.on")
        ctx.goto(MENU)
        if off:
            return [self._screen(ctx, "invites-turned-off", "invites-button-on", ON)]
        return [self._screen(ctx, "invites-turned-on", "invites-button-off", OFF)]

    def _screen(self, ctx: Context, key: str, toggle: str, action: Action) -> Reply:
        days = ctx.settings.survey_invite_days
        return Reply(
            ctx.t(key, days=days),
            buttons(ctx.button(toggle, action.pack()), ctx.menu_button()),
        )
