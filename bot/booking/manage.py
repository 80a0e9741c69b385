"""An existing booking: the buttons on it (from /history and reminders: "Приду",
"Перенести", "Отменить"), moving it to another time, and the /history section. Every button
carries only the booking's id; only the owner's bookings answer."""

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.booking import actions, book, notices, views
from bot.booking.actions import FEATURE
from bot.booking.book import NotOffered, SlotTaken
from bot.booking.models import BOOKED, Booking
from bot.booking.picker import Picker
from bot.booking.schedule import Schedule
from bot.booking.service import Bookings
from bot.booking.state import DAY, SUMMARY, TIME, Moving
from bot.core.actions import Action, StaleAction
from bot.core.feature import MENU, Context
from bot.core.messages import Reply

Handler = Callable[..., Awaitable[list[Reply]]]


class Manage:
    """The buttons naming a booking, whatever the person is doing meanwhile."""

    def __init__(self, schedule: Schedule, bookings: Bookings, mover: "Mover") -> None:
        self.schedule = schedule
        self.bookings = bookings
        self.mover = mover
        # Each button and what it does with an active booking of the person's own.
        self.buttons: dict[Action, Handler] = {
            actions.COME: self._come,
            actions.CANCEL: self._ask_cancel,
            actions.CANCEL_YES: self._cancel,
            actions.MOVE: self.mover.start,
        }

    async def on_action(self, ctx: Context, action: Action, args: list[str]) -> list[Reply]:
        if len(args) != 1:
            raise StaleAction(str(action))
        try:
            (number,) = action.unpack(args)
        except StaleAction:
            number = None  # a forged id is nobody's booking
        booking = None if number is None else await book.owned(ctx.session, number, ctx.person.id)
        if booking is None:
            ctx.log("booking.refused")
            return [views.not_yours(ctx.locale, history=True)]
        if booking.status != BOOKED or booking.starts_at <= ctx.now:
            return [views.not_active(ctx.locale, booking.id)]
        if (
            action is not actions.COME
            and booking.starts_at - ctx.now < self.schedule.cancel_notice
        ):
            hours = self.schedule.rules.cancel_notice_minutes / 60
            office = self.schedule.office(booking.office)
            return [views.too_late(ctx.locale, hours, office)]
        return await self.buttons[action](ctx, booking)

    async def _come(self, ctx: Context, booking: Booking) -> list[Reply]:
        ctx.log("booking.will_come", str(booking.id))
        return [views.see_you(ctx.locale, booking, self.schedule)]

    async def _ask_cancel(self, ctx: Context, booking: Booking) -> list[Reply]:
        return [views.cancel_ask(ctx.locale, booking, self.schedule)]

    async def _cancel(self, ctx: Context, booking: Booking) -> list[Reply]:
        await self.bookings.cancel(ctx.session, booking, ctx.now)
        ctx.log("booking.cancelled", str(booking.id))
        ctx.goto(MENU)
        return [views.cancelled(ctx.locale, booking.id)]

    async def history(self, ctx: Context) -> list[Reply]:
        """The /history section (menu.history.HistorySection): the person's bookings."""
        replies = [
            views.history_item(ctx.locale, booking, self.schedule, ctx.now)
            for booking in await book.recent(ctx.session, ctx.person.id)
        ]
        return [*replies, views.forget_hint(ctx.locale)] if replies else []


class Mover:
    """Moving a booking: another day and time of the same service, a short summary (nothing
    of the form is asked again), confirm. The booking keeps its number and its pass data."""

    def __init__(self, schedule: Schedule, bookings: Bookings, picker: Picker) -> None:
        self.schedule = schedule
        self.bookings = bookings
        self.picker = picker
        # The buttons of a move, each with the steps it belongs to (None: any).
        self.buttons: dict[Action, tuple[tuple[str, ...] | None, Handler]] = {
            actions.DAYS: (None, self.picker.days),
            actions.DAY: ((DAY,), self.picker.pick_day),
            actions.SLOT: ((TIME, SUMMARY), self._time),
            actions.CONFIRM: ((SUMMARY,), self._confirm),
        }

    async def start(self, ctx: Context, booking: Booking) -> list[Reply]:
        state = Moving(office=booking.office, service=booking.service, move=booking.id)
        return await self.picker.days(ctx, state)

    async def _time(self, ctx: Context, state: Moving, code: str) -> list[Reply]:
        taken = await self.picker.hold(ctx, state, code)
        return taken if taken is not None else [self.summary(ctx, state)]

    def summary(self, ctx: Context, state: Moving) -> Reply:
        ctx.goto(FEATURE, SUMMARY, state.to_dict())
        held_until = datetime.fromisoformat(state.held_until) if state.held_until else None
        slot = self.picker.slot(state)
        return views.move_summary(ctx.locale, state.move, slot, held_until, ctx.now, self.schedule)

    async def _confirm(self, ctx: Context, state: Moving) -> list[Reply]:
        slot = self.picker.slot(state)
        booking = await book.owned(ctx.session, state.move, ctx.person.id)
        if booking is None or booking.status != BOOKED:
            ctx.goto(MENU)
            raise StaleAction("move")
        try:
            await self.bookings.move(ctx.session, booking, slot, ctx.now, hold_id=state.hold)
        except NotOffered:
            return await self.picker.days(ctx, state, "booking-slot-past")
        except SlotTaken:
            key = "booking-hold-expired" if state.hold else "booking-just-taken"
            return await self.picker.taken(ctx, state, key)
        ctx.log("booking.moved", str(booking.id))
        ctx.goto(MENU)
        return [notices.confirmation(ctx.locale, booking, self.schedule, moved=True)]
