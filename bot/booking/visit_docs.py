"""Missing documents at a visit, from /today. "Не хватает документов" on a visitor's card records
the moment the problem was found (through the notices port, which reminds staff before the 24
hours pass); the employee then types what is missing, and the visitor gets it in their own
chat with a button to send documents to staff and one to book a new visit. "Отмена" under
the question withdraws it; leaving the step otherwise keeps the problem on record, and the
reminder comes."""

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bot.booking.models import ARRIVED, SERVED, Booking
from bot.core.actions import Action, StaleAction, integer
from bot.core.feature import MENU, Context, go
from bot.core.messages import Button, Reply, buttons
from bot.core.missing import VISIT, MissingDocs
from bot.core.models import Person
from bot.core.staff import Role, signed, staff_member

FEATURE = "today"  # /today's name and action prefix (staff_day.py)
DOCS_BUTTON = Action(FEATURE, "docs", integer)
DOCS_CANCEL = Action(FEATURE, "docsx", integer)
# The visitor is there (checked in, or called in): their documents are looked at.
CHECKED = (ARRIVED, SERVED)
TICKETS = "ticket"  # where the visitor sends documents to staff (go:ticket)


@dataclass(frozen=True)
class Writing:
    """The step's state: the employee is typing the notice about this booking."""

    STEP = "docs"
    booking: int

    def to_dict(self) -> dict[str, Any]:
        return {"b": self.booking}

    @classmethod
    def of(cls, ctx: Context) -> "Writing | None":
        booking = ctx.conversation.data.get("b")
        if ctx.conversation.step != cls.STEP or not isinstance(booking, int):
            return None
        return cls(booking)


class VisitDocs:
    buttons = (DOCS_BUTTON, DOCS_CANCEL)

    def __init__(self, missing: MissingDocs, tz: ZoneInfo, signature: str) -> None:
        self.missing = missing
        self.tz = tz
        self.signature = signature  # STAFF_SIGNATURE, as under the tickets' answers

    def button(self, ctx: Context, booking: Booking) -> list[Button]:
        """The card's button, where the visitor's documents are being looked at."""
        if booking.status not in CHECKED:
            return []
        return [ctx.button("today-button-docs", DOCS_BUTTON.pack(booking.id))]

    async def on_action(
        self, ctx: Context, action: Action, args: list[str], staff_name: str
    ) -> list[Reply]:
        (booking_id,) = action.unpack(args)
        if action is DOCS_CANCEL:
            if not await self.missing.cancel(ctx.session, VISIT, booking_id, ctx.now):
                raise StaleAction(action.verb)
            ctx.goto(MENU)
            done = ctx.t("today-docs-cancelled", number=booking_id)
            return [Reply(done, buttons(ctx.menu_button()))]
        booking = await ctx.session.get(Booking, booking_id)
        if booking is None or booking.status not in CHECKED:
            raise StaleAction(action.verb)
        due = await self.missing.found(
            ctx.session, VISIT, booking.id, booking.person_id, ctx.now, staff_name, ctx.person.id
        )
        ctx.goto(FEATURE, Writing.STEP, Writing(booking.id).to_dict())
        ctx.log("booking.docs_found", str(booking.id))
        when = f"{due.astimezone(self.tz):%H:%M %d.%m}"
        ask = ctx.t("today-docs-ask", number=booking.id, due=when)
        cancel = ctx.button("today-button-docs-cancel", DOCS_CANCEL.pack(booking.id))
        return [Reply(ask, buttons(cancel))]

    async def on_text(self, ctx: Context, state: Writing, text: str) -> list[Reply]:
        """The employee's one message: the notice, as they wrote it."""
        if not text.strip():
            return [Reply(ctx.t("today-docs-empty"))]
        notice = await self.missing.waiting(ctx.session, VISIT, state.booking)
        booking = await ctx.session.get(Booking, state.booking)
        ctx.goto(MENU)
        if notice is None or booking is None:  # withdrawn or sent meanwhile (another device)
            return [Reply(ctx.t("today-docs-gone"), buttons(ctx.menu_button()))]
        visitor = await ctx.session.get(Person, booking.person_id)
        assert visitor is not None  # bookings go with their person (ON DELETE CASCADE)
        body = text.strip()
        member = await staff_member(ctx.session, ctx.person, Role.STAFF)
        if member is not None:  # the role may have been taken away meanwhile
            body = signed(visitor.locale, body, self.signature, member.name, member.position)
        await self.missing.send(ctx.session, notice, visitor, body, go(TICKETS), now=ctx.now)
        ctx.log("booking.docs_sent", str(booking.id))
        sent = ctx.t("today-docs-sent", number=booking.id)
        return [Reply(sent, buttons(ctx.menu_button()))]
