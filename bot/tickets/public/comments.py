""" "/comments" for moderators: the public comments set aside as needing no answer (thanks,
emoji, spam), newest first, each with a button that makes it a ticket after all. The ticket
gets the usual receipt under the comment and its card in the staff chat."""

from bot.core.actions import Action, StaleAction, integer
from bot.core.feature import MENU, Context, Feature
from bot.core.messages import Button, Reply, buttons
from bot.core.staff import Role, staff_name
from bot.core.timers import Timers
from bot.tickets import cards
from bot.tickets.public.desk import PublicDesk

FEATURE = "comments"
SHOWN = 10
QUOTE = 120  # characters of a comment shown in the list
MAKE_TICKET = Action(FEATURE, "open", integer)


class Comments(Feature):
    name = FEATURE
    commands = ("/comments",)

    def __init__(self, desk: PublicDesk) -> None:
        self.desk = desk

    def register_timers(self, timers: Timers) -> None:
        self.desk.aside.register_timers(timers)  # the daily list in the staff chat

    async def _allowed(self, ctx: Context) -> bool:
        return await staff_name(ctx.session, ctx.person, Role.MODERATOR) is not None

    async def enter(self, ctx: Context) -> list[Reply]:
        ctx.goto(MENU)
        if not await self._allowed(ctx):
            return [Reply(ctx.t("comments-moderators-only"), buttons(ctx.menu_button()))]
        rows = await self.desk.skipped(ctx.session, ctx.now, SHOWN)
        if not rows:
            return [Reply(ctx.t("comments-none"), buttons(ctx.menu_button()))]
        lines = [ctx.t("comments-title")]
        for row in rows:
            text = row.text if len(row.text) <= QUOTE else row.text[: QUOTE - 1] + "…"
            lines.append(
                ctx.t(
                    "comments-line",
                    number=row.id,
                    source=ctx.t(f"comments-source-{row.source}"),
                    reason=ctx.t(f"comments-reason-{row.reason}"),
                    when=row.at.astimezone(self.desk.service.tz).strftime("%d.%m %H:%M"),
                    text=text or "—",
                )
            )
        keys = [
            Button(ctx.t("comments-make-ticket", number=row.id), MAKE_TICKET.pack(row.id))
            for row in rows
        ]
        return [Reply("\n\n".join(lines), buttons(*keys, ctx.menu_button()))]

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        if verb != MAKE_TICKET.verb or not await self._allowed(ctx):
            raise StaleAction(verb)
        (number,) = MAKE_TICKET.unpack(args)
        row, ticket = await self.desk.make_ticket(ctx.session, number, ctx.now)
        if row is None:
            raise StaleAction(verb)
        if ticket is None:
            text = ctx.t("comments-already", number=row.id, ticket=row.ticket_id or 0)
        else:
            ctx.log("comments.open", str(ticket.id))
            when = cards.when(ctx.locale, ticket.first_due, ctx.now, self.desk.service.tz)
            text = ctx.t("comments-opened", number=row.id, ticket=ticket.id, when=when)
        return [Reply(text, buttons(ctx.menu_button()))]
