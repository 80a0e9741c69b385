""" "Записаться на приём": office → service → day → time (held for a few minutes) → consent →
pass data where the building has a pass regime → contacts → summary → confirm.

The form lives in the conversation row (state.Draft), its personal fields sealed (crypto.py),
so a restart resumes it and the database never holds them in clear. The typed fields are a
table of steps; buttons are checked against the step they belong to."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.booking import actions, book, form, notices, views
from bot.booking.actions import FEATURE, Answer
from bot.booking.book import NotOffered, SlotTaken
from bot.booking.crypto import Vault
from bot.booking.picker import Picker
from bot.booking.schedule import Office, Schedule, Service
from bot.booking.service import Bookings
from bot.booking.state import (
    CONSENT,
    DAY,
    DOC_NUMBER,
    DOC_TYPE,
    EMAIL,
    NAME,
    OFFICE,
    PATRONYMIC,
    PHONE,
    PLATE,
    SERVICE,
    SUMMARY,
    SURNAME,
    TIME,
    Draft,
)
from bot.core.actions import Action, StaleAction
from bot.core.feature import MENU, Context
from bot.core.messages import Reply
from bot.core.ratings import OfferRating, RatingTags, Stage, Touchpoint

Check = Callable[[str, Draft], str]


def _plain(check: Callable[[str], str]) -> Check:
    return lambda text, _draft: check(text)


def _document(text: str, draft: Draft) -> str:
    return form.document(draft.doc or "", text)


@dataclass(frozen=True)
class Step:
    """A typed field of the form: where its value goes in the sealed form, how it is checked
    (form.Invalid re-asks), the step after it, and whether it may be skipped."""

    field: str
    check: Check
    following: str
    optional: bool = False


STEPS = {
    SURNAME: Step("surname", _plain(form.name), NAME),
    NAME: Step("name", _plain(form.name), PATRONYMIC),
    PATRONYMIC: Step("patronymic", _plain(form.name), DOC_TYPE, optional=True),
    DOC_NUMBER: Step("doc_number", _document, PLATE),
    PLATE: Step("plate", _plain(form.plate), PHONE, optional=True),
    PHONE: Step("phone", _plain(form.phone), EMAIL, optional=True),
    EMAIL: Step("email", _plain(form.email), SUMMARY, optional=True),
}
SKIP_WORDS = {"нет", "пропустить", "-", "—", "no", "skip", "none"}
Handler = Callable[..., Awaitable[list[Reply]]]


class Wizard:
    def __init__(
        self,
        schedule: Schedule,
        vault: Vault,
        bookings: Bookings,
        picker: Picker,
        offer: OfferRating,
    ) -> None:
        self.schedule = schedule
        self.vault = vault
        self.bookings = bookings
        self.picker = picker
        self.offer = offer
        # Each button: the steps it belongs to (None: any) and what it does.
        self.buttons: dict[Action, tuple[tuple[str, ...] | None, Handler]] = {
            actions.OFFICES: (None, self._offices),
            actions.OFFICE: ((OFFICE, SERVICE, DAY), self._office),
            actions.SERVICE: ((SERVICE,), self._service),
            actions.DAYS: (None, self.picker.days),
            actions.DAY: ((DAY,), self.picker.pick_day),
            actions.SLOT: ((TIME, SUMMARY), self._time),
            actions.CONSENT: ((CONSENT,), self._consent),
            actions.DOC: ((DOC_TYPE,), self._doc),
            actions.SKIP: (tuple(s for s, step in STEPS.items() if step.optional), self._skip),
            actions.CONFIRM: ((SUMMARY,), self._confirm),
            actions.RESTART: ((SUMMARY,), self._restart),
            actions.WAITLIST: ((DAY,), self.picker.waitlist_days),
            actions.WAIT_DAY: ((DAY,), self.picker.join_waitlist),
        }

    def _form(self, draft: Draft) -> dict[str, Any]:
        return self.vault.open(draft.p)

    # ---------------------------------------------------------------- office, service, time

    async def enter(self, ctx: Context) -> list[Reply]:
        offices = self.schedule.offices
        if len(offices) == 1:
            return await self._services(ctx, offices[0])
        ctx.goto(FEATURE, OFFICE)
        return [views.offices(ctx.locale, offices)]

    async def _offices(self, ctx: Context, _draft: Draft) -> list[Reply]:
        await book.release_holds(ctx.session, ctx.person.id)
        ctx.goto(FEATURE)
        return await self.enter(ctx)

    async def _office(self, ctx: Context, _draft: Draft, office_id: str) -> list[Reply]:
        office = self.schedule.office(office_id)
        if office is None:
            raise StaleAction(office_id)
        return await self._services(ctx, office)

    async def _services(self, ctx: Context, office: Office) -> list[Reply]:
        if len(office.services) == 1:
            return await self._pick_service(ctx, office, office.services[0])
        ctx.goto(FEATURE, SERVICE, Draft(office=office.id).to_dict())
        return [views.services(ctx.locale, office)]

    async def _service(self, ctx: Context, draft: Draft, service_id: str) -> list[Reply]:
        office = self.picker.office(draft)
        service = office.service(service_id)
        if service is None:
            raise StaleAction(service_id)
        return await self._pick_service(ctx, office, service)

    async def _pick_service(self, ctx: Context, office: Office, service: Service) -> list[Reply]:
        existing = await book.active_booking(
            ctx.session, ctx.person.id, office.id, service.id, ctx.now
        )
        if existing is not None:
            ctx.goto(MENU)
            return [views.already_booked(ctx.locale, existing, self.schedule)]
        return await self.picker.days(ctx, Draft(office=office.id, service=service.id))

    async def _time(self, ctx: Context, draft: Draft, code: str) -> list[Reply]:
        taken = await self.picker.hold(ctx, draft, code)
        if taken is not None:
            return taken
        # A form already filled goes straight back to its summary with the new time.
        return [self._summary(ctx, draft) if draft.filled else self._ask(ctx, draft, CONSENT)]

    # ---------------------------------------------------------------- the form

    def _ask(self, ctx: Context, draft: Draft, step: str, problem: str | None = None) -> Reply:
        ctx.goto(FEATURE, step, draft.to_dict())
        if step == CONSENT:
            office = self.picker.office(draft)
            return views.consent(ctx.locale, office, self.schedule.rules.purge_after_days)
        if step == DOC_TYPE:
            return views.ask_doc(ctx.locale, problem)
        if step == DOC_NUMBER:
            return views.ask(ctx.locale, f"booking-ask-docno-{draft.doc or 'ru'}", problem=problem)
        skip = f"booking-skip-{step}" if STEPS[step].optional else None
        return views.ask(ctx.locale, f"booking-ask-{step}", skip=skip, problem=problem)

    async def _consent(self, ctx: Context, draft: Draft, answer: Answer) -> list[Reply]:
        office = self.picker.office(draft)
        draft.consent = answer == Answer.YES
        ctx.goto(FEATURE, CONSENT, draft.to_dict())
        if draft.consent:
            return [self._ask(ctx, draft, SURNAME if office.pass_regime else PHONE)]
        if not office.pass_regime or office.allow_without_pass:
            draft.p = self.vault.seal({})  # nothing personal is kept without consent
            return [self._summary(ctx, draft)]
        # A pass cannot be made without the data: release the time and show other ways.
        await book.release_holds(ctx.session, ctx.person.id)
        ctx.goto(MENU)
        others = any(not o.pass_regime or o.allow_without_pass for o in self.schedule.offices)
        return [views.consent_needed(ctx.locale, office, other_offices=others)]

    async def _doc(self, ctx: Context, draft: Draft, kind: form.DocType) -> list[Reply]:
        draft.doc = kind.value
        return [self._ask(ctx, draft, DOC_NUMBER)]

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        """Text at a typed step (one of STEPS)."""
        draft = Draft.from_dict(ctx.conversation.data)
        step = STEPS[ctx.conversation.step]
        if step.optional and text.strip().lower() in SKIP_WORDS:
            return [self._fill(ctx, draft, step, None)]
        try:
            value = step.check(text, draft)
        except form.Invalid as exc:
            return [self._ask(ctx, draft, ctx.conversation.step, exc.key)]
        return [self._fill(ctx, draft, step, value)]

    async def _skip(self, ctx: Context, draft: Draft) -> list[Reply]:
        return [self._fill(ctx, draft, STEPS[ctx.conversation.step], None)]

    def _fill(self, ctx: Context, draft: Draft, step: Step, value: str | None) -> Reply:
        sealed = self._form(draft)
        if value is None:
            sealed.pop(step.field, None)
        else:
            sealed[step.field] = value
        draft.p = self.vault.seal(sealed)
        if step.following == SUMMARY:
            return self._summary(ctx, draft)
        return self._ask(ctx, draft, step.following)

    def _summary(self, ctx: Context, draft: Draft) -> Reply:
        draft.filled = True
        ctx.goto(FEATURE, SUMMARY, draft.to_dict())
        held_until = datetime.fromisoformat(draft.held_until) if draft.held_until else None
        return views.summary(
            ctx.locale,
            self.picker.slot(draft),
            self._form(draft),
            draft.doc,
            held_until,
            ctx.now,
            self.schedule,
        )

    async def _restart(self, ctx: Context, draft: Draft) -> list[Reply]:
        # The slot and its hold are kept, the form is not.
        kept = Draft(
            office=draft.office,
            service=draft.service,
            start=draft.start,
            hold=draft.hold,
            held_until=draft.held_until,
        )
        return [self._ask(ctx, kept, CONSENT)]

    async def repeat(self, ctx: Context) -> list[Reply]:
        """The question of a form step, the summary, or the first screen (the choice of day
        and time is the picker's to repeat)."""
        step, draft = ctx.conversation.step, Draft.from_dict(ctx.conversation.data)
        if step == SERVICE:
            return await self._services(ctx, self.picker.office(draft))
        if step in (CONSENT, DOC_TYPE) or step in STEPS:
            return [self._ask(ctx, draft, step)]
        if step == SUMMARY:
            return [self._summary(ctx, draft)]
        return await self.enter(ctx)

    # ---------------------------------------------------------------- confirm

    async def _confirm(self, ctx: Context, draft: Draft) -> list[Reply]:
        slot = self.picker.slot(draft)
        if await book.active_booking(
            ctx.session, ctx.person.id, slot.office.id, slot.service.id, ctx.now
        ):
            return await self._pick_service(ctx, slot.office, slot.service)
        personal = self._form(draft)
        try:
            booking = await self.bookings.book(
                ctx.session,
                ctx.person.id,
                slot,
                ctx.now,
                hold_id=draft.hold,
                personal=personal,
                doc_type=draft.doc,
            )
        except NotOffered:
            return await self.picker.days(ctx, draft, "booking-slot-past")
        except SlotTaken:
            key = "booking-hold-expired" if draft.hold else "booking-just-taken"
            return await self.picker.taken(ctx, draft, key)
        confirmation = notices.confirmation(ctx.locale, booking, self.schedule)
        if personal.get("email"):
            self.bookings.send_copy(ctx.session, booking, confirmation)
        ctx.log("booking.booked", str(booking.id))
        ctx.goto(MENU)
        tags = RatingTags(
            booking.service, Touchpoint.MESSENGER, ctx.person.channel, Stage.BOOKING_MADE
        )
        scores = await self.offer(ctx.session, tags, ctx.now.astimezone(self.schedule.tz).date())
        return [confirmation, notices.rating_ask(ctx.locale, "booking-rate", scores)]
