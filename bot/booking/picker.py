"""Choosing a day and a time, the part a new booking and a move share; and the waitlist of
full days that the day screen leads to. The time chosen is held (book.hold) until the form
is confirmed; what comes after the hold is the caller's flow."""

from datetime import date

from bot.booking import actions, book, views, waitlist
from bot.booking.actions import FEATURE
from bot.booking.book import NotOffered, Slot, SlotTaken
from bot.booking.schedule import Office, Schedule, Service
from bot.booking.slots import free_slots, full_days, nearest_free
from bot.booking.state import CONSENT, DAY, TIME, Draft, Pick
from bot.core.actions import StaleAction
from bot.core.feature import MENU, Context
from bot.core.messages import Reply

DAYS_SHOWN = 10


class Picker:
    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule

    def office(self, state: Pick) -> Office:
        office = self.schedule.office(state.office or "")
        if office is None:
            raise StaleAction("office")
        return office

    def service(self, state: Pick) -> tuple[Office, Service]:
        office = self.office(state)
        service = office.service(state.service or "")
        if service is None:
            raise StaleAction("service")
        return office, service

    def slot(self, state: Pick) -> Slot:
        office, service = self.service(state)
        return Slot(office, service, actions.parse_slot(state.start or "", self.schedule.tz))

    async def days(self, ctx: Context, state: Pick, note: str | None = None) -> list[Reply]:
        """The free days of the chosen service (`note`: a catalog key said first)."""
        office, service = self.service(state)
        ctx.goto(FEATURE, DAY, state.to_dict())
        free = await free_slots(ctx.session, self.schedule, office, service, ctx.now)
        full = full_days(self.schedule, office, service, ctx.now, free)
        back = state.other_services and len(office.services) > 1
        shown = list(free)[:DAYS_SHOWN]
        return [
            views.days(
                ctx.locale, office, service, shown, waitlist=bool(full), back=back, note=note
            )
        ]

    async def times(self, ctx: Context, state: Pick, day: date) -> list[Reply]:
        office, service = self.service(state)
        if day not in self.schedule.bookable_days(ctx.now) or not self.schedule.slots_on(
            office, service, day
        ):
            raise StaleAction("day")  # past, beyond the horizon, a holiday, or forged
        free = await free_slots(ctx.session, self.schedule, office, service, ctx.now, [day])
        if day not in free:
            return await self.days(ctx, state, "booking-day-gone")
        ctx.goto(FEATURE, TIME, state.to_dict())
        return [views.times(ctx.locale, day, free[day], self.schedule)]

    async def pick_day(self, ctx: Context, state: Pick, code: str) -> list[Reply]:
        day = actions.parse_day(code)
        state.day = code
        ctx.goto(FEATURE, DAY, state.to_dict())  # kept even if the day turns out stale
        return await self.times(ctx, state, day)

    async def taken(self, ctx: Context, state: Pick, key: str) -> list[Reply]:
        """The slot went to someone else: say so (`key`) and offer the nearest free times."""
        office, service = self.service(state)
        nearest = await nearest_free(ctx.session, self.schedule, office, service, ctx.now)
        state.hold = None
        ctx.goto(FEATURE, TIME, state.to_dict())
        return [views.taken(ctx.locale, key, nearest, self.schedule)]

    async def hold(self, ctx: Context, state: Pick, code: str) -> list[Reply] | None:
        """Hold the time of `code` for the person: None when held (the state then has the
        hold), else the replies that say the time was just taken."""
        state.start = code
        slot = self.slot(state)
        try:
            held = await book.hold(ctx.session, self.schedule, ctx.person.id, slot, ctx.now)
        except NotOffered:
            raise StaleAction("t") from None
        except SlotTaken:
            return await self.taken(ctx, state, "booking-just-taken")
        state.hold = held.id
        # The summary shows when this hold ends; it is not extended while the form is filled.
        state.held_until = (held.held_until or ctx.now).isoformat()
        ctx.goto(FEATURE, CONSENT, state.to_dict())
        return None

    # ---------------------------------------------------------------- the waitlist

    async def waitlist_days(self, ctx: Context, state: Pick) -> list[Reply]:
        office, service = self.service(state)
        free = await free_slots(ctx.session, self.schedule, office, service, ctx.now)
        full = full_days(self.schedule, office, service, ctx.now, free)[:DAYS_SHOWN]
        return [views.waitlist_days(ctx.locale, full)]

    async def join_waitlist(self, ctx: Context, state: Pick, code: str) -> list[Reply]:
        day = actions.parse_day(code)
        office, service = self.service(state)
        free = await free_slots(ctx.session, self.schedule, office, service, ctx.now)
        if day not in full_days(self.schedule, office, service, ctx.now, free):
            raise StaleAction("wj")
        await waitlist.join(ctx.session, ctx.person.id, office.id, service.id, day)
        ctx.log("booking.waitlist")
        ctx.goto(MENU)
        return [views.waitlist_joined(ctx.locale, day)]

    async def take_seat(self, ctx: Context, entry_id: int) -> list[Reply]:
        """The offer of a freed seat: the day's free times, to whoever is quickest."""
        entry = await waitlist.entry_of(ctx.session, entry_id, ctx.person.id)
        if entry is None:
            return [views.not_yours(ctx.locale, history=False)]
        state = Draft(office=entry.office, service=entry.service, day=actions.day_code(entry.day))
        ctx.goto(FEATURE, DAY, state.to_dict())
        office, service = self.service(state)
        free = await free_slots(ctx.session, self.schedule, office, service, ctx.now, [entry.day])
        if entry.day not in free:
            entry.notified_at = None  # still in line for the next freed seat
            return await self.days(ctx, state, "booking-waitlist-late")
        return await self.times(ctx, state, entry.day)
