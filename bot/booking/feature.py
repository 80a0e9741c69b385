"""The booking feature as the engine sees it: one state key and one action prefix
("booking"), handed on to the dialogue each button belongs to: the buttons on a booking and
on a waitlist offer work from any state, a move's buttons while a move is under way, the
rest are the new-booking wizard's."""

from bot.booking import actions, views
from bot.booking.actions import FEATURE, TAKE_SEAT
from bot.booking.crypto import Vault
from bot.booking.manage import Manage, Mover
from bot.booking.picker import Picker
from bot.booking.reminders import BookingTimers
from bot.booking.schedule import SHIPPED, Schedule, load_schedule
from bot.booking.service import Bookings
from bot.booking.state import DAY, SUMMARY, TIME, Draft, Moving, Pick
from bot.booking.wizard import STEPS, Wizard
from bot.core.actions import StaleAction
from bot.core.config import Settings
from bot.core.feature import Context, Feature
from bot.core.messages import Reply
from bot.core.ratings import OfferRating
from bot.core.timers import Timers


def office_schedule(settings: Settings) -> Schedule:
    """Reads and validates the schedule now, so a broken file stops the start-up."""
    return load_schedule(settings.content_path("booking", SHIPPED), settings.tz)


def pass_vault(settings: Settings) -> Vault:
    """The key that seals pass data and contacts (the same for every process of one office)."""
    return Vault(settings.secret())


class BookingFeature(Feature):
    name = FEATURE

    def routes(self) -> set[str]:
        return {"ticket", "info", "history", "forget"}

    def __init__(
        self,
        schedule: Schedule,
        vault: Vault,
        offer: OfferRating,
        *,
        staff_chat: bool,
        email: bool,
    ) -> None:
        # Public: the staff's /today and the forget command share them (the assembly wires).
        self.schedule = schedule
        self.vault = vault
        self.timers = BookingTimers(schedule, vault, staff_chat=staff_chat)
        bookings = Bookings(schedule, vault, self.timers, email=email)
        self.picker = Picker(schedule)
        self.wizard = Wizard(schedule, vault, bookings, self.picker, offer)
        self.mover = Mover(schedule, bookings, self.picker)
        # The /history section (menu.history.HistorySection).
        self.manage = Manage(schedule, bookings, self.mover)

    @classmethod
    def from_settings(
        cls, settings: Settings, schedule: Schedule, offer: OfferRating, *, staff_chat: bool
    ) -> "BookingFeature":
        return cls(
            schedule,
            pass_vault(settings),
            offer,
            staff_chat=staff_chat,
            email=bool(settings.smtp_host),
        )

    def register_timers(self, timers: Timers) -> None:
        self.timers.register(timers)

    async def enter(self, ctx: Context) -> list[Reply]:
        return await self.wizard.enter(ctx)

    def _state(self, ctx: Context) -> Pick:
        data = ctx.conversation.data
        return Moving.from_dict(data) if Moving.applies(data) else Draft.from_dict(data)

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        action = actions.BY_VERB.get(verb)
        if action is None:
            raise StaleAction(verb)
        if action in self.manage.buttons:
            return await self.manage.on_action(ctx, action, args)
        if action is TAKE_SEAT:
            (entry_id,) = action.unpack(args)
            return await self.picker.take_seat(ctx, entry_id)
        if ctx.conversation.feature != self.name:
            raise StaleAction(verb)
        state = self._state(ctx)
        # A move has buttons of its own; the wizard's others (a new office, the waitlist)
        # start over from the move's office and service, as a new booking.
        table = self.wizard.buttons
        if isinstance(state, Moving) and action in self.mover.buttons:
            table = self.mover.buttons
        else:
            state = Draft.from_dict(ctx.conversation.data)
        if action not in table:
            raise StaleAction(verb)
        steps, handler = table[action]
        if steps is not None and ctx.conversation.step not in steps:
            raise StaleAction(verb)
        return await handler(ctx, state, *action.unpack(args))

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        if ctx.conversation.step not in STEPS:
            return [views.use_buttons(ctx.locale), *await self.repeat(ctx)]
        return await self.wizard.on_text(ctx, text)

    async def repeat(self, ctx: Context) -> list[Reply]:
        step, state = ctx.conversation.step, self._state(ctx)
        if step == DAY:
            return await self.picker.days(ctx, state)
        if step == TIME and state.day is not None:
            try:
                day = actions.parse_day(state.day)
            except StaleAction:
                day = None
            if day is not None:
                return await self.picker.times(ctx, state, day)
        if isinstance(state, Moving) and step == SUMMARY:
            return [self.mover.summary(ctx, state)]
        return await self.wizard.repeat(ctx)
