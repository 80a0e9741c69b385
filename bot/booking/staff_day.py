""" "/today" for staff: the day's appointments with "пришёл" (check-in), "принят" (called in)
and "не хватает документов" (visit_docs.py) buttons. The wait is from the later of arrival and
the booked time to the call-in, so coming early does not count as waiting; it is shown against
the 15-minute norm."""

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.booking import notices
from bot.booking.crypto import Vault
from bot.booking.models import ARRIVED, BOOKED, NO_SHOW, SERVED, Booking
from bot.booking.schedule import Schedule
from bot.booking.visit_docs import FEATURE, TICKETS, VisitDocs, Writing
from bot.core.actions import Action, StaleAction, integer
from bot.core.feature import MENU, Context, Feature, TextNotExpected
from bot.core.invitations import InviteToSurvey
from bot.core.messages import Reply, buttons
from bot.core.missing import MissingDocs
from bot.core.models import Person
from bot.core.ratings import OfferRating, RatingTags, Stage, Touchpoint
from bot.core.staff import Role, staff_name

WAIT_NORM = timedelta(minutes=15)
SHOWN = 60
ARRIVED_BUTTON = Action(FEATURE, "in", integer)
SERVED_BUTTON = Action(FEATURE, "done", integer)


def wait_of(booking: Booking) -> timedelta | None:
    if booking.served_at is None or booking.arrived_at is None:
        return None
    return max(booking.served_at - max(booking.arrived_at, booking.starts_at), timedelta())


class StaffDay(Feature):
    name = FEATURE
    commands = ("/today",)

    def __init__(
        self,
        schedule: Schedule,
        vault: Vault,
        offer: OfferRating,
        invite: InviteToSurvey,
        missing: MissingDocs,
        signature: str,
    ) -> None:
        self.schedule = schedule
        self.vault = vault
        self.offer = offer
        self.invite = invite
        self.docs = VisitDocs(missing, schedule.tz, signature)

    def routes(self) -> set[str]:
        return {TICKETS}  # the visitor's notice of missing documents

    async def _allowed(self, ctx: Context) -> bool:
        return await staff_name(ctx.session, ctx.person, Role.STAFF) is not None

    async def enter(self, ctx: Context) -> list[Reply]:
        ctx.goto(MENU)
        if not await self._allowed(ctx):
            return [Reply(ctx.t("today-staff-only"), buttons(ctx.menu_button()))]
        start = datetime.combine(
            ctx.now.astimezone(self.schedule.tz).date(), datetime.min.time(), self.schedule.tz
        )
        bookings = (
            await ctx.session.scalars(
                select(Booking)
                .where(
                    Booking.status.in_((BOOKED, ARRIVED, SERVED, NO_SHOW)),
                    Booking.starts_at >= start,
                    Booking.starts_at < start + timedelta(days=1),
                )
                .order_by(Booking.starts_at, Booking.office, Booking.seat)
                .limit(SHOWN)
            )
        ).all()
        if not bookings:
            return [Reply(ctx.t("today-empty"), buttons(ctx.menu_button()))]
        return [self._card(ctx, booking) for booking in bookings]

    def _card(self, ctx: Context, booking: Booking) -> Reply:
        data = self.vault.open(booking.personal)
        who = " ".join(data.get(k, "") for k in ("surname", "name", "patronymic")).strip()
        office = self.schedule.office(booking.office)
        service = office.service(booking.service) if office else None
        wait = wait_of(booking)
        text = ctx.t(
            "today-card",
            time=f"{booking.starts_at.astimezone(self.schedule.tz):%H:%M}",
            number=booking.id,
            who=who or "—",
            service=service.title.get(ctx.locale) if service else booking.service,
            status=booking.status,
            wait=round(wait.total_seconds() / 60) if wait is not None else -1,
            norm=round(WAIT_NORM.total_seconds() / 60),
        )
        rows = []
        if booking.status == BOOKED:
            rows.append(ctx.button("today-button-arrived", ARRIVED_BUTTON.pack(booking.id)))
        if booking.status in (BOOKED, ARRIVED):
            rows.append(ctx.button("today-button-served", SERVED_BUTTON.pack(booking.id)))
        rows += self.docs.button(ctx, booking)
        return Reply(text, buttons(rows) if rows else ())

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        state = Writing.of(ctx)
        if state is None or not await self._allowed(ctx):
            raise TextNotExpected
        return await self.docs.on_text(ctx, state, text)

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        docs = next((action for action in self.docs.buttons if action.verb == verb), None)
        if docs is not None:
            name = await staff_name(ctx.session, ctx.person, Role.STAFF)
            if name is None:
                return [Reply(ctx.t("today-staff-only"), buttons(ctx.menu_button()))]
            return await self.docs.on_action(ctx, docs, args, name)
        action = {ARRIVED_BUTTON.verb: ARRIVED_BUTTON, SERVED_BUTTON.verb: SERVED_BUTTON}.get(verb)
        if action is None:
            raise StaleAction(verb)
        (booking_id,) = action.unpack(args)
        if not await self._allowed(ctx):
            return [Reply(ctx.t("today-staff-only"), buttons(ctx.menu_button()))]
        booking = await ctx.session.get(Booking, booking_id, with_for_update=True)
        if booking is None or booking.status not in (BOOKED, ARRIVED):
            raise StaleAction(verb)
        if action is ARRIVED_BUTTON:
            if booking.status != BOOKED:
                raise StaleAction(verb)
            booking.status, booking.arrived_at = ARRIVED, ctx.now
        else:
            # "Принят" without "пришёл" first: the person was called in on arrival.
            booking.arrived_at = booking.arrived_at or ctx.now
            booking.status, booking.served_at = SERVED, ctx.now
            await self._after_visit(ctx, booking)
        ctx.log(f"booking.{verb}", str(booking.id))
        return [self._card(ctx, booking)]

    async def _after_visit(self, ctx: Context, booking: Booking) -> None:
        """The visitor is asked to rate the visit, and may be invited to a survey: two
        messages, since pressing a score takes a Telegram message's other buttons away."""
        person = await ctx.session.get(Person, booking.person_id)
        assert person is not None  # bookings go with their person (ON DELETE CASCADE)
        tags = RatingTags(booking.service, Touchpoint.OFFICE, person.channel, Stage.VISIT)
        scores = await self.offer(ctx.session, tags, ctx.now.astimezone(self.schedule.tz).date())
        rating = notices.rating_ask(person.locale, "booking-rate-visit", scores)
        invitation = await self.invite(ctx.session, person, ctx.now)
        ctx.notify(person, [rating] if invitation is None else [rating, invitation])
