"""Routes each Incoming to the feature that owns the person's state, inside one transaction."""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import metrics, texts
from bot.core.actions import StaleAction, parse
from bot.core.config import Settings
from bot.core.db import SessionFactory, is_transient, retrying, transaction
from bot.core.feature import GO, MENU, Context, Feature, TextNotExpected, go
from bot.core.inbox import Inbox, person_of, seen
from bot.core.messages import Button, Incoming, Reply, buttons, clean_text
from bot.core.models import Conversation, InboundUpdate, Person

log = logging.getLogger(__name__)

Notify = Callable[[Reply], Awaitable[None]]
# Work on a person's free text that needs no database, done before the update's transaction
# (the knowledge base encodes the question there, off SQLite's write lock).
Prepare = Callable[[str], Awaitable[None]]
# A reply that takes longer than this (a locked or unreachable database) gets a notice first.
SLOW_NOTICE_S = 3.0

# The core's own commands, matched after lower-casing and trimming; features declare the
# commands that open them (Feature.commands).
CORE_COMMANDS = {
    "/help": "help",
    "помощь": "help",
    "help": "help",
    "/cancel": "cancel",
    "отмена": "cancel",
    "отменить": "cancel",
    "cancel": "cancel",
}


class _HandledElsewhere(Exception):
    """The update was marked done by another worker or a replay while this one ran."""


class Engine:
    def __init__(
        self,
        sessions: SessionFactory,
        settings: Settings,
        features: Sequence[Feature],
        prepare: Prepare | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.prepare = prepare
        self.features = {feature.name: feature for feature in features}
        if MENU not in self.features:
            raise ValueError("the menu feature is required")
        self.commands = dict(CORE_COMMANDS)
        for feature in features:
            missing = feature.routes() - self.features.keys()
            if missing:
                raise ValueError(f"{feature.name} opens missing features: {sorted(missing)}")
            for word in feature.commands:
                if self.commands.setdefault(word, feature.name) != feature.name:
                    raise ValueError(f"{word!r} is claimed by {self.commands[word]} too")
        self.inbox = Inbox(sessions)
        self._handling: set[int] = set()  # inbound rows under way in this process

    async def record(self, incoming: Incoming) -> int | None:
        """Record an update now, to handle it soon after with `handle(recorded=...)`: for a
        channel that must acknowledge before handling (VK's Callback API). The row id, or
        None for a repeated delivery. Raises while the database stays unavailable."""
        started, cleaned = time.perf_counter(), replace(incoming, text=clean_text(incoming.text))
        inbound_id = await retrying(lambda: self.inbox.record(cleaned), "recording an update")
        if inbound_id is None:
            inbound_id = await self._pending_repeat(cleaned)
        if inbound_id is None or inbound_id in self._handling:
            # Counted as `handle` counts a repeat; the rest `handle` counts.
            metrics.handled(incoming.channel, metrics.DUPLICATE, time.perf_counter() - started)
            return None
        return inbound_id

    async def handle(
        self, incoming: Incoming, *, on_slow: Notify | None = None, recorded: int | None = None
    ) -> list[Reply] | None:
        """Replies to send back now; None for a repeated delivery of an update already seen.
        `recorded`: the row id `record` gave for this update, which then is not recorded again.

        A database that is locked or unreachable is waited for, not given up on: after
        SLOW_NOTICE_S the person is told once that the answer is coming (`on_slow`)."""
        started, outcome = time.perf_counter(), metrics.ERROR
        work = asyncio.ensure_future(
            self._handle(replace(incoming, text=clean_text(incoming.text)), recorded)
        )
        try:
            if on_slow is not None:
                done, _ = await asyncio.wait({work}, timeout=SLOW_NOTICE_S)
                if not done:
                    await self._notice(on_slow, texts.pick_locale(incoming.locale))
            replies = await work
            outcome = metrics.DUPLICATE if replies is None else metrics.HANDLED
            return replies
        except asyncio.CancelledError:
            outcome = metrics.CANCELLED
            raise
        finally:
            work.cancel()  # when the caller is cancelled (shutdown); a no-op once done
            metrics.handled(incoming.channel, outcome, time.perf_counter() - started)

    async def _handle(self, incoming: Incoming, recorded: int | None) -> list[Reply] | None:
        if incoming.update_id is None:
            return await self._process_in_order(incoming, None, to_outbox=False)
        if recorded is not None:
            return await self._handle_recorded(incoming, recorded)
        try:
            inbound_id = await retrying(lambda: self.inbox.record(incoming), "recording an update")
        except Exception as exc:
            if not is_transient(exc):
                raise
            log.error("database unavailable: a %s update was not recorded", incoming.channel)
            metrics.DEGRADED.labels(incoming.channel, metrics.NOT_RECORDED).inc()
            return [Reply(texts.text(texts.pick_locale(incoming.locale), "error-not-received"))]
        if inbound_id is None:
            inbound_id = await self._pending_repeat(incoming)
            if inbound_id is None:
                return None
        return await self._handle_recorded(incoming, inbound_id)

    async def _pending_repeat(self, incoming: Incoming) -> int | None:
        """A repeated update's row if it is still pending: its worker may have died mid-update,
        so it is handled now; were that worker alive after all, the database lets one win."""
        return await retrying(
            lambda: self.inbox.still_pending(incoming), "reading a repeated update"
        )

    async def _handle_recorded(self, incoming: Incoming, inbound_id: int) -> list[Reply] | None:
        if inbound_id in self._handling:
            return None  # a repeat of one this process is handling now
        self._handling.add(inbound_id)
        try:
            return await self._process_in_order(incoming, inbound_id, to_outbox=False)
        finally:
            self._handling.discard(inbound_id)

    async def _prepare(self, incoming: Incoming) -> None:
        if self.prepare is None or incoming.action is not None or not incoming.text:
            return
        try:
            await self.prepare(incoming.text)
        except Exception:  # a head start only: the handler does the work itself if need be
            log.exception("preparing a %s update failed", incoming.channel)

    async def replay_pending(self, received_before: datetime | None = None) -> int:
        """Handle updates accepted but not handled: before a crash, or while the database was
        unavailable for longer than the handler waited. Their replies go out through the
        outbox. Updates being handled in this process right now are left to it."""
        query = select(InboundUpdate.id, InboundUpdate.payload).where(
            InboundUpdate.status == "pending"
        )
        if received_before is not None:
            query = query.where(InboundUpdate.received_at < received_before)

        async def waiting() -> Sequence[Row[tuple[int, dict[str, Any] | None]]]:
            async with transaction(self.sessions) as session:
                return (await session.execute(query.order_by(InboundUpdate.id))).all()

        rows = await retrying(waiting, "reading waiting updates")
        handled = 0
        for inbound_id, payload in rows:
            if inbound_id in self._handling:
                continue
            self._handling.add(inbound_id)
            try:
                incoming = Incoming.from_dict(payload)
                await self._process_in_order(incoming, inbound_id, to_outbox=True)
            finally:
                self._handling.discard(inbound_id)
            handled += 1
        return handled

    async def reset_idle(self, before: datetime) -> int:
        """Drop forms left half-filled since `before`: what was typed there goes with them."""
        async with transaction(self.sessions) as session:
            result = await session.execute(
                update(Conversation)
                .where(Conversation.updated_at < before, Conversation.feature != MENU)
                .values(feature=MENU, step="", data={})
            )
        return result.rowcount  # type: ignore[attr-defined, no-any-return]

    async def purge_inbound(self, before: datetime) -> int:
        async with transaction(self.sessions) as session:
            result = await session.execute(
                delete(InboundUpdate).where(
                    InboundUpdate.status != "pending", InboundUpdate.received_at < before
                )
            )
        return result.rowcount  # type: ignore[attr-defined, no-any-return]

    async def _process_in_order(
        self, incoming: Incoming, inbound_id: int | None, *, to_outbox: bool
    ) -> list[Reply] | None:
        async with self.inbox.in_order((incoming.channel, incoming.user_id)):
            # In the person's turn, so a press after a typed question waits for its answer;
            # before the transaction, so SQLite's write lock does not wait for the encoding.
            await self._prepare(incoming)
            attempts = 0

            async def attempt() -> list[Reply] | None:
                nonlocal attempts
                attempts += 1
                # After a failed attempt the replies go through the outbox: had that attempt
                # committed after all (a lost COMMIT acknowledgement), the next one finds the
                # update done, and its replies must already be on their way.
                queued = to_outbox or (attempts > 1 and inbound_id is not None)
                return await self._process(incoming, inbound_id, to_outbox=queued)

            try:
                return await retrying(attempt, f"handling a {incoming.channel} update")
            except Exception as exc:
                if is_transient(exc) and inbound_id is not None:
                    # Still pending: the periodic replay handles it when the database is back.
                    log.error("database unavailable: a %s update waits", incoming.channel)
                    metrics.DEGRADED.labels(incoming.channel, metrics.WAITS).inc()
                    locale = texts.pick_locale(incoming.locale)
                    return [Reply(texts.text(locale, "busy-later"))]
                if is_transient(exc):
                    locale = texts.pick_locale(incoming.locale)
                else:
                    log.exception("failed to handle a %s update", incoming.channel)
                    metrics.DEGRADED.labels(incoming.channel, metrics.FAILED).inc()
                    await self._mark(inbound_id, "failed")
                    locale = await self._locale_of(incoming)
                return [self._sorry(locale)]

    @staticmethod
    async def _notice(on_slow: Notify, locale: str) -> None:
        try:
            await on_slow(Reply(texts.text(locale, "busy-wait")))
        except Exception as exc:  # a courtesy: its failure must not stop the real answer
            log.warning("busy notice not sent: %s", type(exc).__name__)

    @staticmethod
    def _sorry(locale: str) -> Reply:
        return Reply(
            texts.text(locale, "error-generic"),
            buttons(Button(texts.text(locale, "button-menu"), go(MENU))),
        )

    async def _process(
        self, incoming: Incoming, inbound_id: int | None, *, to_outbox: bool
    ) -> list[Reply] | None:
        try:
            async with transaction(self.sessions) as session:
                person, conversation = await self._load(session, incoming)
                ctx = Context(session, person, conversation, incoming, self.settings)
                replies = await self._route(ctx)
                if inbound_id is not None:
                    # Another worker, or a replay, may have handled it meanwhile: once only.
                    # Checked as it is marked done, one statement; the loser rolls back.
                    marked = await session.execute(
                        update(InboundUpdate)
                        .where(InboundUpdate.id == inbound_id, InboundUpdate.status == "pending")
                        .values(status="done", payload=None)
                    )
                    if not marked.rowcount:  # type: ignore[attr-defined]
                        raise _HandledElsewhere
                if to_outbox:
                    ctx.notify(person, replies)
                    return []
                return replies
        except _HandledElsewhere:
            return None

    async def _load(
        self, session: AsyncSession, incoming: Incoming
    ) -> tuple[Person, Conversation]:
        # Someone who wrote before: the person and their conversation in one query.
        known = (
            await session.execute(
                select(Person, Conversation)
                .join(Conversation, Conversation.person_id == Person.id)
                .where(Person.channel == incoming.channel, Person.external_id == incoming.user_id)
                .with_for_update(of=Conversation)
            )
        ).first()
        if known is not None:
            seen(known[0], incoming.chat_id)
            return known[0], known[1]
        person, new = await person_of(
            session, incoming.channel, incoming.user_id, incoming.chat_id, incoming.locale
        )
        # FOR UPDATE keeps one person's messages in order across workers on PostgreSQL.
        conversation = None
        if not new:
            conversation = await session.scalar(
                select(Conversation).where(Conversation.person_id == person.id).with_for_update()
            )
        if conversation is None:
            conversation = Conversation(person_id=person.id, feature=MENU, step="", data={})
            session.add(conversation)
        return person, conversation

    async def _route(self, ctx: Context) -> list[Reply]:
        incoming = ctx.incoming
        owner = self.features.get(ctx.conversation.feature, self.features[MENU])
        takes_files = bool(incoming.files) and owner.accepts_files and incoming.action is None
        if incoming.unsupported is not None and not takes_files:
            ctx.log("input.unsupported", incoming.unsupported)
            notice = ctx.t("unsupported-input", kind=incoming.unsupported.value)
            again = await owner.repeat(ctx)
            if again:
                return [Reply(notice), *again]
            return [Reply(notice, buttons(ctx.menu_button()))]
        if incoming.action is not None:
            return await self._route_action(ctx, incoming.action)
        command = self.commands.get(incoming.text.strip().lower().split("@")[0])
        if command == "cancel":
            ctx.log("cancel")
            ctx.goto(MENU)
            return [Reply(ctx.t("cancelled")), *await self.open(ctx, MENU)]
        if command == "help":
            return [Reply(ctx.t("help"), buttons(ctx.menu_button()))]
        if command is not None:
            return await self.open(ctx, command)
        try:
            return await owner.on_text(ctx, incoming.text)
        except TextNotExpected:
            ctx.goto(MENU)
            return await self.features[MENU].on_text(ctx, incoming.text)

    async def _route_action(self, ctx: Context, code: str) -> list[Reply]:
        parsed = parse(code)
        try:
            if parsed.prefix == GO and not parsed.args:
                return await self.open(ctx, parsed.verb)
            feature = self.features.get(parsed.prefix)
            if feature is None or not parsed.verb:
                raise StaleAction(code)
            return await feature.on_action(ctx, parsed.verb, list(parsed.args))
        except StaleAction:
            ctx.log("action.stale")
            return [Reply(ctx.t("stale-button"), buttons(ctx.menu_button()))]

    async def open(self, ctx: Context, name: str) -> list[Reply]:
        feature = self.features.get(name)
        if feature is None:
            raise StaleAction(name)
        if not (feature.resumes and ctx.conversation.feature == name):
            ctx.goto(name)
        ctx.log("open", name)
        return await feature.enter(ctx)

    async def _mark(self, inbound_id: int | None, status: str) -> None:
        if inbound_id is None:
            return
        async with transaction(self.sessions) as session:
            await session.execute(
                update(InboundUpdate)
                .where(InboundUpdate.id == inbound_id)
                .values(status=status, payload=None)
            )

    async def _locale_of(self, incoming: Incoming) -> str:
        async with self.sessions() as session:
            locale = await session.scalar(
                select(Person.locale).where(
                    Person.channel == incoming.channel, Person.external_id == incoming.user_id
                )
            )
        return locale or texts.pick_locale(incoming.locale)
