""" "Удалить мои данные": erase the person's pass data and contacts from every booking and
cancel their future bookings, and erase the texts of their tickets and what other features
keep of them (through the hooks the assembly passes in), after a confirmation."""

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.booking import book, waitlist
from bot.booking.models import BOOKED, Booking
from bot.booking.schedule import Schedule
from bot.core.actions import Action, StaleAction
from bot.core.feature import MENU, Context, Feature, go
from bot.core.messages import Reply, buttons
from bot.core.models import Person

# Erases another feature's data of the person; returns how many open requests it closed.
Eraser = Callable[[AsyncSession, Person, datetime], Awaitable[int]]
# Erases what another feature keeps of the person (e.g. when they were invited to a survey).
Erase = Callable[[AsyncSession, Person], Awaitable[None]]
YES = Action("forget", "yes")


class Forget(Feature):
    name = "forget"
    commands = ("/forget", "удалить мои данные", "delete my data")

    def __init__(
        self, schedule: Schedule, erase_tickets: Eraser, also_erase: Sequence[Erase] = ()
    ) -> None:
        self.schedule = schedule
        self.erase_tickets = erase_tickets
        self.also_erase = also_erase

    async def enter(self, ctx: Context) -> list[Reply]:
        ctx.goto(self.name)
        return [
            Reply(
                ctx.t("forget-ask"),
                buttons(ctx.button("forget-yes", YES.pack()), ctx.button("forget-no", go(MENU))),
            )
        ]

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        if verb != YES.verb or ctx.conversation.feature != self.name:
            raise StaleAction(verb)
        YES.unpack(args)
        await book.release_holds(ctx.session, ctx.person.id)
        bookings = (
            await ctx.session.scalars(
                select(Booking).where(Booking.person_id == ctx.person.id).with_for_update()
            )
        ).all()
        cancelled = 0
        for booking in bookings:
            booking.personal = None
            if booking.status == BOOKED and booking.starts_at > ctx.now:
                start = booking.starts_at
                book.cancel(booking, ctx.now)
                await waitlist.offer_freed_seat(
                    ctx.session, self.schedule, booking.office, booking.service, start, ctx.now
                )
                cancelled += 1
        await waitlist.forget(ctx.session, ctx.person.id)
        closed = await self.erase_tickets(ctx.session, ctx.person, ctx.now)
        for erase in self.also_erase:
            await erase(ctx.session, ctx.person)
        ctx.log("privacy.forget")
        ctx.goto(MENU)
        done = ctx.t("forget-done", cancelled=cancelled, closed=closed)
        return [Reply(done, buttons(ctx.menu_button()))]
