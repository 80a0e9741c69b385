""" "Связаться с сотрудником": the person writes a question (with a photo or document if they
like), picks its kind, and gets the number and the reply deadline at once. Later they answer
staff, close the ticket and rate it. Every button is checked against the person's own tickets."""

from typing import Any

from sqlalchemy import select

from bot.core.actions import StaleAction, integer
from bot.core.feature import MENU, Context, Feature, TextNotExpected, go
from bot.core.messages import Button, Reply, buttons
from bot.core.outbox import Deliveries
from bot.core.privacy import mask
from bot.core.ratings import Stage
from bot.core.timers import Timers
from bot.tickets import cards
from bot.tickets.actions import DONE, FEATURE, KIND, RATE, RATE_ANSWER, REPLY, SHOW
from bot.tickets.models import Ticket
from bot.tickets.ratings import ASKED, OFFERED
from bot.tickets.retention import TicketRetention, erased
from bot.tickets.service import CLOSED, TEXT_LIMIT, TicketService, file_refs, plain_files
from bot.tickets.sla import CITIZEN_KINDS, KINDS
from bot.tickets.sla_timers import SlaTimers

HISTORY_LIMIT = 10


class TicketFeature(Feature):
    name = FEATURE
    commands = ("/operator",)  # "Связаться с сотрудником" typed, as the knowledge base says
    accepts_files = True

    def __init__(self, service: TicketService) -> None:
        self.service = service
        self.retention = TicketRetention(service)

    def register_timers(self, timers: Timers) -> None:
        SlaTimers(self.service).register_timers(timers)
        self.retention.register(timers)

    def register_deliveries(self, deliveries: Deliveries) -> None:
        deliveries.on(FEATURE, self.service.settled)

    async def enter(self, ctx: Context) -> list[Reply]:
        ctx.goto(self.name, "ask")
        return [Reply(ctx.t("ticket-ask"), buttons(ctx.menu_button()))]

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        step, data = ctx.conversation.step, ctx.conversation.data
        files = ctx.incoming.files
        if step in ("ask", "kind"):
            if not text.strip() and not files:
                return [Reply(ctx.t("ticket-ask"), buttons(ctx.menu_button()))]
            # Several messages before the kind is chosen make one question.
            question = "\n".join(part for part in (data.get("q", ""), text.strip()) if part)
            # The kind, which decides about contacts, comes next; documents go already.
            question = mask(question, keep_contacts=True)
            ctx.goto(
                self.name,
                "kind",
                {"q": question[:TEXT_LIMIT], "files": data.get("files", []) + plain_files(files)},
            )
            replies = await self.repeat(ctx)
            if len(question) > TEXT_LIMIT:  # said, not cut unseen
                replies.insert(0, Reply(ctx.t("ticket-too-long", limit=TEXT_LIMIT)))
            return replies
        if step == "open" and isinstance(data.get("n"), int):
            ticket = await self.service.owned(ctx.session, ctx.person, data["n"])
            if ticket is not None and ticket.status != CLOSED:
                await self.service.person_message(
                    ctx.session, ticket, ctx.person, text, files, ctx.now
                )
                return [Reply(ctx.t("ticket-added", number=ticket.id), buttons(ctx.menu_button()))]
        if step == "comment" and data.get("kind") in KINDS and text.strip():
            await self.service.ratings.comment(ctx.session, data["kind"], text, ctx.now)
            ctx.goto(MENU)
            return [Reply(ctx.t("ticket-comment-thanks"), buttons(ctx.menu_button()))]
        # A closed ticket or a finished step: the text is a new question, not lost.
        raise TextNotExpected

    async def repeat(self, ctx: Context) -> list[Reply]:
        step = ctx.conversation.step
        if step == "ask":
            return [Reply(ctx.t("ticket-ask"), buttons(ctx.menu_button()))]
        if step == "kind":
            rows = [ctx.button(f"ticket-kind-{kind}", KIND.pack(kind)) for kind in CITIZEN_KINDS]
            return [Reply(ctx.t("ticket-kind"), buttons(*rows, ctx.menu_button()))]
        return []

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        data = ctx.conversation.data if ctx.conversation.feature == self.name else {}
        if verb == KIND.verb and len(args) == 1 and args[0] in CITIZEN_KINDS and "q" in data:
            return await self._create(ctx, args[0], data)
        if not args:
            raise StaleAction(verb)
        # Every other button names a ticket, which must be the person's own.
        ticket = await self.service.owned(ctx.session, ctx.person, integer(args[0]))
        if ticket is None:
            ctx.log("ticket.denied")
            raise StaleAction(verb)
        if verb == SHOW.verb:
            SHOW.unpack(args)
            return await self._show(ctx, ticket)
        if verb == REPLY.verb and ticket.status != CLOSED:
            REPLY.unpack(args)
            ctx.goto(self.name, "open", {"n": ticket.id})
            return [Reply(ctx.t("ticket-reply-prompt"), buttons(ctx.menu_button()))]
        if verb == DONE.verb and ticket.status != CLOSED:
            DONE.unpack(args)
            ctx.goto(MENU)
            return await self.service.close(ctx.session, ticket, "person", ctx.now)
        if verb == RATE_ANSWER.verb and ticket.rating == ASKED:
            _, score = RATE_ANSWER.unpack(args)
            await self.service.ratings.rate(
                ctx.session, ticket, score, ctx.now, Stage.TICKET_ANSWERED
            )
            # The person stays where they were: their next text may be for the ticket.
            return [Reply(ctx.t("ticket-answer-rated"), buttons(ctx.menu_button()))]
        if verb == RATE.verb and ticket.rating == OFFERED:
            _, score = RATE.unpack(args)
            await self.service.ratings.rate(
                ctx.session, ticket, score, ctx.now, Stage.TICKET_CLOSED
            )
            # Only the kind is kept for the comment: it must not lead back to the ticket.
            # Nothing goes to the interaction log either: a timed event next to the rating
            # row would tie the anonymous score to the person.
            ctx.goto(self.name, "comment", {"kind": ticket.kind})
            return [
                Reply(
                    ctx.t("ticket-rated"),
                    buttons(ctx.button("ticket-button-no-comment", go(MENU))),
                )
            ]
        raise StaleAction(verb)

    async def _create(self, ctx: Context, kind: str, data: dict[str, Any]) -> list[Reply]:
        files = file_refs(data.get("files", []))
        ticket = await self.service.create(
            ctx.session, ctx.person, kind, data["q"], files, ctx.now
        )
        ctx.goto(self.name, "open", {"n": ticket.id})
        tz = ctx.settings.tz
        if self.service.sla.office.is_open(ctx.now):
            key, when = "ticket-created", cards.when(ctx.locale, ticket.first_due, ctx.now, tz)
        else:  # a question at night is not answered in two hours: say when it will be
            key = "ticket-created-off-hours"
            when = cards.when_weekday(ctx.locale, ticket.first_due, ctx.now, tz)
        return [Reply(ctx.t(key, number=ticket.id, when=when), buttons(ctx.menu_button()))]

    async def _show(self, ctx: Context, ticket: Ticket) -> list[Reply]:
        tz = ctx.settings.tz
        lines = [self._line(ctx, ticket)]
        for message in await self.service.messages(ctx.session, ticket.id):
            at = message.at.astimezone(tz).strftime("%d.%m %H:%M")
            files = f" [{len(message.files)} 📎]" if message.files else ""
            text = ctx.t("ticket-history-erased") if erased(message) else message.text + files
            lines.append(ctx.t(f"ticket-history-{message.author}", at=at, text=text))
        rows: list[Button | list[Button]] = []
        if ticket.status != CLOSED:
            rows.append(
                [
                    ctx.button("ticket-button-reply", REPLY.pack(ticket.id)),
                    ctx.button("ticket-button-done", DONE.pack(ticket.id)),
                ]
            )
        rows.append(ctx.menu_button())
        return [Reply("\n\n".join(lines), buttons(*rows))]

    def _line(self, ctx: Context, ticket: Ticket) -> str:
        return ctx.t(
            "ticket-history-line",
            number=ticket.id,
            date=ticket.created_at.astimezone(ctx.settings.tz).strftime("%d.%m.%Y"),
            kind=cards.kind_label(ctx.locale, ticket.kind),
            status=ticket.status,
        )

    async def history(self, ctx: Context) -> list[Reply]:
        tickets = (
            await ctx.session.scalars(
                select(Ticket)
                .where(Ticket.person_id == ctx.person.id)
                .order_by(Ticket.id.desc())
                .limit(HISTORY_LIMIT)
            )
        ).all()
        if not tickets:
            return []
        rows = [Button(self._line(ctx, ticket), SHOW.pack(ticket.id)) for ticket in tickets]
        return [Reply(ctx.t("ticket-history-title"), buttons(*rows))]
