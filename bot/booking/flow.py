""" "Записаться на приём": office → service → day → time (held for a few minutes) → consent →
pass data where the building has a pass regime → contacts → summary → confirm; and the
buttons on a booking (from /history and reminders): "Приду", "Перенести", "Отменить".

The form lives in the conversation row, its personal fields sealed (see crypto.py), so a
restart resumes it and the database never holds them in clear. Every button carries only
ids; booking ids are checked against ctx.person, slots against the schedule and the state.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.booking import book, form, notices
from bot.booking.book import NotOffered, Slot, SlotTaken
from bot.booking.crypto import Vault
from bot.booking.models import ACTIVE, BOOKED, Booking, WaitlistEntry
from bot.booking.reminders import BookingTimers
from bot.booking.schedule import SHIPPED, Office, Schedule, Service, load_schedule
from bot.booking.slots import free_slots, full_days, nearest_free
from bot.core import outbox
from bot.core.actions import StaleAction, code, integer
from bot.core.config import Settings
from bot.core.feature import GO, MENU, Context, Feature
from bot.core.messages import Button, Reply, buttons
from bot.core.models import Person
from bot.core.timers import Timers

# conversation.step values while this feature owns the conversation
OFFICE, SERVICE, DAY, TIME, CONSENT = "office", "service", "day", "time", "consent"
SURNAME, NAME, PATRONYMIC, DOC_TYPE, DOC_NUMBER = "surname", "name", "patronymic", "doc", "docno"
PLATE, PHONE, EMAIL, SUMMARY = "plate", "phone", "email", "summary"
# Text steps: (field in the sealed form, check, next step, may be skipped)
TEXT_STEPS = {
    SURNAME: ("surname", form.name, NAME, False),
    NAME: ("name", form.name, PATRONYMIC, False),
    PATRONYMIC: ("patronymic", form.name, DOC_TYPE, True),
    DOC_NUMBER: ("doc_number", None, PLATE, False),
    PLATE: ("plate", form.plate, PHONE, True),
    PHONE: ("phone", form.phone, EMAIL, True),
    EMAIL: ("email", form.email, SUMMARY, True),
}
SKIP_WORDS = {"нет", "пропустить", "-", "—", "no", "skip", "none"}
DAYS_SHOWN = 10
DAY_FORMAT, SLOT_FORMAT = "%Y%m%d", "%Y%m%d%H%M"


class BookingFlow(Feature):
    name = "booking"

    def routes(self) -> set[str]:
        return {"ticket", "info", "history", "forget"}

    def __init__(self, schedule: Schedule, settings: Settings) -> None:
        self.schedule = schedule
        self.settings = settings
        self.vault = Vault(settings.secret())
        self.timers = BookingTimers(schedule, settings, self.vault)

    @classmethod
    def from_settings(cls, settings: Settings) -> "BookingFlow":
        """Reads and validates the schedule now, so a broken file stops the start-up."""
        return cls(load_schedule(settings.content_path("booking", SHIPPED), settings.tz), settings)

    def register_timers(self, timers: Timers) -> None:
        self.timers.register(timers)

    # ---------------------------------------------------------------- helpers

    def _office(self, data: dict[str, Any]) -> Office:
        office = self.schedule.office(data.get("office", ""))
        if office is None:
            raise StaleAction("office")
        return office

    def _service(self, data: dict[str, Any]) -> tuple[Office, Service]:
        office = self._office(data)
        service = office.service(data.get("service", ""))
        if service is None:
            raise StaleAction("service")
        return office, service

    def _slot(self, data: dict[str, Any]) -> Slot:
        office, service = self._service(data)
        start = _parse_slot(data.get("start", ""), self.schedule)
        if start is None:
            raise StaleAction("start")
        return Slot(office, service, start)

    def _form(self, data: dict[str, Any]) -> dict[str, Any]:
        return self.vault.open(data.get("p"))

    def _nav(self, ctx: Context, *rows: list[Button] | Button) -> tuple:
        return buttons(*rows, ctx.menu_button())

    # ---------------------------------------------------------------- office, service, day, time

    async def enter(self, ctx: Context) -> list[Reply]:
        offices = self.schedule.offices
        if len(offices) == 1:
            return await self._services(ctx, offices[0])
        ctx.goto(self.name, OFFICE)
        choices = [Button(o.name.get(ctx.locale), code(self.name, "o", o.id)) for o in offices]
        return [Reply(ctx.t("booking-choose-office"), self._nav(ctx, *choices))]

    async def _services(self, ctx: Context, office: Office) -> list[Reply]:
        if len(office.services) == 1:
            return await self._pick_service(ctx, office, office.services[0])
        ctx.goto(self.name, SERVICE, {"office": office.id})
        choices = [
            Button(s.title.get(ctx.locale), code(self.name, "s", s.id)) for s in office.services
        ]
        text = ctx.t("booking-choose-service", office=office.name.get(ctx.locale))
        back = ctx.button("button-back", self.name, "offices")
        return [Reply(text, self._nav(ctx, *choices, back))]

    async def _pick_service(self, ctx: Context, office: Office, service: Service) -> list[Reply]:
        existing = await book.active_booking(
            ctx.session, ctx.person.id, office.id, service.id, ctx.now
        )
        if existing is not None:
            ctx.goto(MENU)
            text = ctx.t(
                "booking-already", details=notices.details(ctx.locale, existing, self.schedule)
            )
            return [Reply(text, notices.booking_buttons(ctx.locale, existing.id))]
        ctx.goto(self.name, DAY, {"office": office.id, "service": service.id})
        return await self._days(ctx)

    async def _days(self, ctx: Context, note: str | None = None) -> list[Reply]:
        data = dict(ctx.conversation.data)
        office, service = self._service(data)
        ctx.goto(self.name, DAY, data)
        free = await free_slots(ctx.session, self.schedule, office, service, ctx.now)
        full = full_days(self.schedule, office, service, ctx.now, free)
        rows: list[list[Button] | Button] = []
        days = list(free)[:DAYS_SHOWN]
        for i in range(0, len(days), 2):
            rows.append(
                [
                    Button(
                        notices.day_label(ctx.locale, day),
                        code(self.name, "d", f"{day:{DAY_FORMAT}}"),
                    )
                    for day in days[i : i + 2]
                ]
            )
        if full:
            rows.append(ctx.button("booking-button-waitlist", self.name, "wait"))
        if len(office.services) > 1 and "move" not in data:
            rows.append(ctx.button("button-back", self.name, "o", office.id))
        key = "booking-choose-day" if days else "booking-no-days"
        text = ctx.t(
            key, service=service.title.get(ctx.locale), office=office.name.get(ctx.locale)
        )
        return [Reply(f"{note}\n\n{text}" if note else text, self._nav(ctx, *rows))]

    async def _times(self, ctx: Context, day: date) -> list[Reply]:
        data = dict(ctx.conversation.data)
        office, service = self._service(data)
        if day not in self.schedule.bookable_days(ctx.now) or not self.schedule.slots_on(
            office, service, day
        ):
            raise StaleAction("day")  # past, beyond the horizon, a holiday, or forged
        free = await free_slots(ctx.session, self.schedule, office, service, ctx.now, [day])
        if day not in free:
            return await self._days(ctx, ctx.t("booking-day-gone"))
        ctx.goto(self.name, TIME, data)
        return [
            Reply(
                ctx.t("booking-choose-time", day=notices.day_label(ctx.locale, day)),
                self._nav(
                    ctx, *self._time_rows(free[day]), ctx.button("button-back", self.name, "days")
                ),
            )
        ]

    def _time_rows(self, starts: list[datetime]) -> list[list[Button]]:
        labels = [
            Button(
                f"{s.astimezone(self.schedule.tz):%H:%M}",
                code(self.name, "t", _slot_code(s, self.schedule)),
            )
            for s in starts
        ]
        return [labels[i : i + 4] for i in range(0, len(labels), 4)]

    async def _taken(self, ctx: Context, key: str) -> list[Reply]:
        """The slot went to someone else: say so and offer the nearest free times."""
        office, service = self._service(ctx.conversation.data)
        nearest = await nearest_free(ctx.session, self.schedule, office, service, ctx.now)
        ctx.goto(self.name, TIME, {k: v for k, v in ctx.conversation.data.items() if k != "hold"})
        rows = [
            [
                Button(
                    notices.when(ctx.locale, s, self.schedule),
                    code(self.name, "t", _slot_code(s, self.schedule)),
                )
            ]
            for s in nearest
        ]
        text = ctx.t(key) if nearest else f"{ctx.t(key)}\n\n{ctx.t('booking-no-days')}"
        return [
            Reply(
                text,
                self._nav(ctx, *rows, ctx.button("booking-button-other-day", self.name, "days")),
            )
        ]

    async def _pick_time(self, ctx: Context, code: str) -> list[Reply]:
        data = dict(ctx.conversation.data)
        data["start"] = code
        slot = self._slot(data)
        try:
            held = await book.hold(ctx.session, self.schedule, ctx.person.id, slot, ctx.now)
        except NotOffered:
            raise StaleAction("t") from None
        except SlotTaken:
            return await self._taken(ctx, "booking-just-taken")
        data["hold"] = held.id
        # The summary shows when this hold ends; it is not extended while the form is filled.
        data["held_until"] = (held.held_until or ctx.now).isoformat()
        ctx.goto(self.name, CONSENT, data)
        if "move" in data or data.get("filled"):
            return [self._summary(ctx)]
        return [self._prompt(ctx, CONSENT)]

    # ---------------------------------------------------------------- the form

    def _prompt(self, ctx: Context, step: str, problem: str | None = None) -> Reply:
        data = ctx.conversation.data
        ctx.goto(self.name, step, data)
        rows: list[list[Button] | Button] = []
        if step == CONSENT:
            office = self._office(data)
            rows = [
                ctx.button("booking-consent-yes", self.name, "consent", "yes"),
                ctx.button("booking-consent-no", self.name, "consent", "no"),
            ]
            text = ctx.t(
                "booking-consent",
                retention=self.schedule.rules.purge_after_days,
                pass_regime="yes" if office.pass_regime else "no",
            )
        elif step == DOC_TYPE:
            rows = [
                ctx.button(f"booking-doc-{kind}", self.name, "doc", kind)
                for kind in form.DOC_TYPES
            ]
            text = ctx.t("booking-ask-doc")
        elif step == DOC_NUMBER:
            text = ctx.t(f"booking-ask-docno-{data.get('doc', 'ru')}")
        else:
            text = ctx.t(f"booking-ask-{step}")
            if TEXT_STEPS[step][3]:
                rows.append(ctx.button(f"booking-skip-{step}", self.name, "skip"))
        if problem:
            text = f"{ctx.t(problem)}\n\n{text}"
        return Reply(text, self._nav(ctx, *rows))

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        step = ctx.conversation.step
        if step not in TEXT_STEPS:
            return [Reply(ctx.t("booking-use-buttons")), *await self.repeat(ctx)]
        field, check, following, optional = TEXT_STEPS[step]
        if optional and text.strip().lower() in SKIP_WORDS:
            return [self._advance(ctx, field, None, following)]
        if step == DOC_NUMBER:
            check = lambda value: form.document(ctx.conversation.data.get("doc", ""), value)  # noqa: E731
        try:
            value = check(text)  # type: ignore[misc]
        except form.Invalid as exc:
            return [self._prompt(ctx, step, exc.key)]
        return [self._advance(ctx, field, value, following)]

    def _advance(self, ctx: Context, field: str, value: str | None, following: str) -> Reply:
        data = dict(ctx.conversation.data)
        sealed = self._form(data)
        if value is None:
            sealed.pop(field, None)
        else:
            sealed[field] = value
        data["p"] = self.vault.seal(sealed)
        ctx.goto(self.name, following, data)
        if following == SUMMARY:
            return self._summary(ctx)
        return self._prompt(ctx, following)

    async def repeat(self, ctx: Context) -> list[Reply]:
        step, data = ctx.conversation.step, ctx.conversation.data
        if step == SERVICE:
            return await self._services(ctx, self._office(data))
        if step == DAY:
            return await self._days(ctx)
        if step == TIME and "day" in data:
            day = _parse_day(data["day"])
            if day is not None:
                return await self._times(ctx, day)
        if step in (CONSENT, DOC_TYPE) or step in TEXT_STEPS:
            return [self._prompt(ctx, step)]
        if step == SUMMARY:
            return [self._summary(ctx)]
        return await self.enter(ctx)

    async def _consent(self, ctx: Context, agreed: bool) -> list[Reply]:
        data = dict(ctx.conversation.data)
        office = self._office(data)
        data["consent"] = agreed
        ctx.goto(self.name, CONSENT, data)
        if agreed:
            return [self._prompt(ctx, SURNAME if office.pass_regime else PHONE)]
        if not office.pass_regime or office.allow_without_pass:
            data["p"] = self.vault.seal({})  # nothing personal is kept without consent
            data["filled"] = True
            ctx.goto(self.name, SUMMARY, data)
            return [self._summary(ctx)]
        # A pass cannot be made without the data: release the time and show other ways.
        await book.release_holds(ctx.session, ctx.person.id)
        ctx.goto(MENU)
        others = [o for o in self.schedule.offices if not o.pass_regime or o.allow_without_pass]
        rows: list[Button] = (
            [ctx.button("booking-button-other-office", self.name, "offices")] if others else []
        )
        rows += [ctx.button("menu-human", GO, "ticket"), ctx.button("menu-info", GO, "info")]
        return [Reply(ctx.t("booking-consent-needed", phone=office.phone), self._nav(ctx, *rows))]

    def _summary(self, ctx: Context) -> Reply:
        data = dict(ctx.conversation.data)
        data["filled"] = True
        ctx.goto(self.name, SUMMARY, data)
        slot = self._slot(data)
        sealed = self._form(data)
        lines = [
            ctx.t(
                "booking-summary-slot",
                office=slot.office.name.get(ctx.locale),
                address=slot.office.address.get(ctx.locale),
                service=slot.service.title.get(ctx.locale),
                when=notices.when(ctx.locale, slot.start, self.schedule),
            ),
        ]
        if "move" in data:
            lines.insert(0, ctx.t("booking-summary-move", number=data["move"]))
        elif sealed.get("surname"):
            full = " ".join(sealed.get(k, "") for k in ("surname", "name", "patronymic")).strip()
            lines.append(ctx.t("booking-summary-person", name=full))
            lines.append(
                ctx.t(
                    "booking-summary-doc",
                    doc=ctx.t(f"booking-doc-{data.get('doc', 'other')}"),
                    number=form.masked(sealed.get("doc_number", "")),
                )
            )
            if sealed.get("plate"):
                lines.append(ctx.t("booking-summary-plate", plate=sealed["plate"]))
        elif slot.office.pass_regime:
            lines.append(ctx.t("booking-summary-no-pass"))
        if "move" not in data:
            lines.append(
                ctx.t(
                    "booking-summary-contact",
                    phone=sealed.get("phone") or "—",
                    email=sealed.get("email") or "—",
                )
            )
        held_until = datetime.fromisoformat(data.get("held_until") or ctx.now.isoformat())
        if held_until > ctx.now:
            until = f"{held_until.astimezone(self.schedule.tz):%H:%M}"
            lines.append(ctx.t("booking-summary-hold", until=until))
        else:  # a promise already broken is not repeated: confirming re-checks the seat
            lines.append(ctx.t("booking-summary-hold-gone"))
        rows: list[Button] = [
            ctx.button("booking-button-confirm", self.name, "ok"),
            ctx.button("booking-button-other-time", self.name, "days"),
        ]
        if "move" not in data:
            rows.append(ctx.button("booking-button-restart", self.name, "restart"))
        return Reply("\n".join(lines), self._nav(ctx, *rows))

    # ---------------------------------------------------------------- confirm

    async def _confirm(self, ctx: Context) -> list[Reply]:
        data = ctx.conversation.data
        slot = self._slot(data)
        hold_id = data.get("hold")
        if "move" in data:
            return await self._confirm_move(ctx, slot, hold_id)
        if await book.active_booking(
            ctx.session, ctx.person.id, slot.office.id, slot.service.id, ctx.now
        ):
            return await self._pick_service(ctx, slot.office, slot.service)
        sealed = self._form(data)
        has_pass = bool(sealed.get("surname"))
        try:
            booking = await book.book(
                ctx.session,
                self.schedule,
                ctx.person.id,
                slot,
                ctx.now,
                hold_id=hold_id,
                personal=self.vault.seal(sealed) if sealed else None,
                doc_type=data.get("doc") if has_pass else None,
            )
        except NotOffered:
            return await self._days(ctx, ctx.t("booking-slot-past"))
        except SlotTaken:
            return await self._taken(
                ctx, "booking-hold-expired" if hold_id else "booking-just-taken"
            )
        await ctx.session.flush()
        self.timers.plan(ctx.session, booking, ctx.now)
        await self.timers.ensure_pass_list(ctx.session)
        await ctx.session.execute(
            delete(WaitlistEntry).where(
                WaitlistEntry.person_id == ctx.person.id,
                WaitlistEntry.office == slot.office.id,
                WaitlistEntry.service == slot.service.id,
            )
        )
        confirmation = notices.confirmation(ctx.locale, booking, self.schedule)
        if sealed.get("email") and self.settings.smtp_host:
            # The address stays sealed in the booking; the e-mail sender looks it up by id.
            outbox.enqueue(ctx.session, "email", f"booking:{booking.id}", [confirmation])
        day = slot.start.astimezone(self.schedule.tz).date()
        if has_pass and self.timers.after_list_sent(day):
            await self.timers.send_pass_list(ctx.session, slot.office.id, day)
        ctx.log("booking.booked", str(booking.id))
        ctx.goto(MENU)
        return [confirmation]

    async def _confirm_move(self, ctx: Context, slot: Slot, hold_id: int | None) -> list[Reply]:
        booking = await book.owned(ctx.session, str(ctx.conversation.data["move"]), ctx.person.id)
        if booking is None or booking.status != BOOKED:
            ctx.goto(MENU)
            raise StaleAction("move")
        try:
            old = await book.move(
                ctx.session, self.schedule, booking, slot, ctx.now, hold_id=hold_id
            )
        except NotOffered:
            return await self._days(ctx, ctx.t("booking-slot-past"))
        except SlotTaken:
            return await self._taken(
                ctx, "booking-hold-expired" if hold_id else "booking-just-taken"
            )
        self.timers.plan(ctx.session, booking, ctx.now)
        await offer_freed_seat(
            ctx.session, self.schedule, booking.office, booking.service, old, ctx.now
        )
        # Moved onto a day whose pass list already went out: the desk needs the new visitor.
        day = slot.start.astimezone(self.schedule.tz).date()
        if booking.personal and self.timers.after_list_sent(day):
            await self.timers.send_pass_list(ctx.session, slot.office.id, day)
        ctx.log("booking.moved", str(booking.id))
        ctx.goto(MENU)
        return [notices.confirmation(ctx.locale, booking, self.schedule, moved=True)]

    # ---------------------------------------------------------------- buttons

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        if verb in ("come", "cx", "cxy", "move", "wl") and len(args) == 1:
            return await self._on_booking(ctx, verb, args[0])
        if ctx.conversation.feature != self.name:
            raise StaleAction(verb)
        step, data = ctx.conversation.step, ctx.conversation.data
        arg = args[0] if len(args) == 1 else None
        if verb == "offices" and arg is None:
            await book.release_holds(ctx.session, ctx.person.id)
            ctx.goto(self.name)
            return await self.enter(ctx)
        if verb == "o" and step in (OFFICE, SERVICE, DAY) and arg:
            office = self.schedule.office(arg)
            if office is None:
                raise StaleAction(verb)
            return await self._services(ctx, office)
        if verb == "s" and step == SERVICE and arg:
            office = self._office(data)
            service = office.service(arg)
            if service is None:
                raise StaleAction(verb)
            return await self._pick_service(ctx, office, service)
        if verb == "days" and arg is None and "service" in data:
            return await self._days(ctx)
        if verb == "d" and step == DAY and arg and (day := _parse_day(arg)) is not None:
            ctx.goto(self.name, DAY, {**data, "day": arg})
            return await self._times(ctx, day)
        if verb == "t" and step in (TIME, SUMMARY) and arg and "service" in data:
            return await self._pick_time(ctx, arg)
        if verb == "consent" and step == CONSENT and arg in ("yes", "no"):
            return await self._consent(ctx, arg == "yes")
        if verb == "doc" and step == DOC_TYPE and arg in form.DOC_TYPES:
            ctx.goto(self.name, DOC_NUMBER, {**data, "doc": arg})
            return [self._prompt(ctx, DOC_NUMBER)]
        if verb == "skip" and arg is None and step in TEXT_STEPS and TEXT_STEPS[step][3]:
            field, _, following, _ = TEXT_STEPS[step]
            return [self._advance(ctx, field, None, following)]
        if verb == "ok" and arg is None and step == SUMMARY:
            return await self._confirm(ctx)
        if verb == "restart" and arg is None and step == SUMMARY:
            kept = ("office", "service", "start", "hold", "held_until")
            keep = {k: data[k] for k in kept if k in data}
            ctx.goto(self.name, CONSENT, keep)
            return [self._prompt(ctx, CONSENT)]
        if verb == "wait" and arg is None and step == DAY:
            return await self._waitlist_days(ctx)
        if verb == "wj" and step == DAY and arg and (day := _parse_day(arg)) is not None:
            return await self._join_waitlist(ctx, day)
        raise StaleAction(verb)

    async def _waitlist_days(self, ctx: Context) -> list[Reply]:
        office, service = self._service(ctx.conversation.data)
        free = await free_slots(ctx.session, self.schedule, office, service, ctx.now)
        full = full_days(self.schedule, office, service, ctx.now, free)[:DAYS_SHOWN]
        rows = [
            ctx.button(
                "booking-day",
                self.name,
                "wj",
                f"{d:{DAY_FORMAT}}",
                day=notices.day_label(ctx.locale, d),
            )
            for d in full
        ]
        return [
            Reply(
                ctx.t("booking-waitlist-choose"),
                self._nav(ctx, *rows, ctx.button("button-back", self.name, "days")),
            )
        ]

    async def _join_waitlist(self, ctx: Context, day: date) -> list[Reply]:
        office, service = self._service(ctx.conversation.data)
        free = await free_slots(ctx.session, self.schedule, office, service, ctx.now)
        if day not in full_days(self.schedule, office, service, ctx.now, free):
            raise StaleAction("wj")
        await book.join_waitlist(ctx.session, ctx.person.id, office.id, service.id, day)
        ctx.log("booking.waitlist")
        ctx.goto(MENU)
        return [
            Reply(
                ctx.t("booking-waitlist-joined", day=notices.day_label(ctx.locale, day)),
                buttons(ctx.menu_button()),
            )
        ]

    async def _on_booking(self, ctx: Context, verb: str, ref: str) -> list[Reply]:
        """Buttons that name a booking (or a waitlist place): only the owner's ones work."""
        if verb == "wl":
            return await self._waitlist_offer(ctx, ref)
        booking = await book.owned(ctx.session, ref, ctx.person.id)
        if booking is None:
            ctx.log("booking.refused")
            return [
                Reply(
                    ctx.t("booking-not-yours"),
                    buttons(ctx.button("menu-history", GO, "history"), ctx.menu_button()),
                )
            ]
        if booking.status != BOOKED or booking.starts_at <= ctx.now:
            return [
                Reply(ctx.t("booking-not-active", number=booking.id), buttons(ctx.menu_button()))
            ]
        if verb == "come":
            ctx.log("booking.will_come", str(booking.id))
            return [
                Reply(
                    ctx.t(
                        "booking-see-you",
                        details=notices.details(ctx.locale, booking, self.schedule),
                    ),
                    buttons(ctx.menu_button()),
                )
            ]
        office = self.schedule.office(booking.office)
        if booking.starts_at - ctx.now < self.schedule.cancel_notice:
            hours = self.schedule.rules.cancel_notice_minutes / 60
            return [
                Reply(
                    ctx.t("booking-too-late", hours=hours, phone=office.phone if office else ""),
                    buttons(ctx.menu_button()),
                )
            ]
        if verb == "move":
            ctx.goto(
                self.name,
                DAY,
                {"office": booking.office, "service": booking.service, "move": booking.id},
            )
            return await self._days(ctx)
        if verb == "cx":
            text = ctx.t(
                "booking-cancel-ask", details=notices.details(ctx.locale, booking, self.schedule)
            )
            rows = (
                ctx.button("booking-button-cancel-yes", self.name, "cxy", booking.id),
                ctx.button("booking-button-keep", GO, MENU),
            )
            return [Reply(text, buttons(*rows))]
        old = booking.starts_at
        book.cancel(booking, ctx.now)
        await offer_freed_seat(
            ctx.session, self.schedule, booking.office, booking.service, old, ctx.now
        )
        ctx.log("booking.cancelled", str(booking.id))
        ctx.goto(MENU)
        return [
            Reply(
                ctx.t("booking-cancelled", number=booking.id),
                buttons(ctx.button("menu-booking", GO, self.name), ctx.menu_button()),
            )
        ]

    async def _waitlist_offer(self, ctx: Context, ref: str) -> list[Reply]:
        entry = await ctx.session.get(WaitlistEntry, integer(ref))
        if entry is None or entry.person_id != ctx.person.id:
            return [Reply(ctx.t("booking-not-yours"), buttons(ctx.menu_button()))]
        ctx.goto(
            self.name,
            DAY,
            {"office": entry.office, "service": entry.service, "day": f"{entry.day:{DAY_FORMAT}}"},
        )
        office, service = self._service(ctx.conversation.data)
        free = await free_slots(ctx.session, self.schedule, office, service, ctx.now, [entry.day])
        if entry.day not in free:
            entry.notified_at = None  # still in line for the next freed seat
            return await self._days(ctx, ctx.t("booking-waitlist-late"))
        return await self._times(ctx, entry.day)

    # ---------------------------------------------------------------- /history

    async def history(self, ctx: Context) -> list[Reply]:
        bookings = (
            await ctx.session.scalars(
                select(Booking)
                .where(
                    Booking.person_id == ctx.person.id, Booking.status.in_((*ACTIVE, "cancelled"))
                )
                .order_by(Booking.starts_at.desc())
                .limit(10)
            )
        ).all()
        replies = []
        for booking in bookings:
            text = ctx.t(
                "booking-history-item",
                status=booking.status,
                details=notices.details(ctx.locale, booking, self.schedule),
            )
            upcoming = booking.status == BOOKED and booking.starts_at > ctx.now
            rows = notices.booking_buttons(ctx.locale, booking.id) if upcoming else ()
            replies.append(Reply(text, rows))
        if replies:
            replies.append(
                Reply(
                    ctx.t("booking-forget-hint"),
                    buttons(ctx.button("booking-button-forget", GO, "forget")),
                )
            )
        return replies


async def offer_freed_seat(
    session: AsyncSession,
    schedule: Schedule,
    office_id: str,
    service_id: str,
    start: datetime,
    now: datetime,
) -> None:
    """A seat came free: tell the first person waiting for that day (first come, first served:
    the button only opens the day's free times)."""
    if start <= now:
        return
    day = start.astimezone(schedule.tz).date()
    entry = await book.next_waiting(session, office_id, service_id, day)
    office = schedule.office(office_id)
    service = office.service(service_id) if office else None
    if entry is None or service is None:
        return
    person = await session.get(Person, entry.person_id)
    if person is None:
        return
    entry.notified_at = now
    reply = notices.waitlist_offer(person.locale, entry.id, day, service.title.get(person.locale))
    outbox.enqueue(session, person.channel, person.chat_id, [reply])


def _slot_code(start: datetime, schedule: Schedule) -> str:
    return f"{start.astimezone(schedule.tz):{SLOT_FORMAT}}"


def _parse_slot(code: str, schedule: Schedule) -> datetime | None:
    if not (len(code) == 12 and code.isascii() and code.isdigit()):
        return None
    try:
        return datetime.strptime(code, SLOT_FORMAT).replace(tzinfo=schedule.tz)
    except ValueError:
        return None


def _parse_day(code: str) -> date | None:
    if not (len(code) == 8 and code.isascii() and code.isdigit()):
        return None
    try:
        return datetime.strptime(code, DAY_FORMAT).date()
    except ValueError:
        return None
