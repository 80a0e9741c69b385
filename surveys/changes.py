""" "Вы сказали — мы сделали": what the office changed because of feedback, with the quarter.

Moderators keep the list in the messenger (/changes); anyone can read it; people who asked
to be told get each new item through the outbox. The wish to be told is stored as the
person alone (no survey, no answer), so it says nothing about what they answered.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import Action, StaleAction, integer
from bot.core.feature import Context, Feature
from bot.core.messages import Button, Reply
from bot.core.models import Person
from bot.core.staff import Role, staff_name
from surveys.models import TEXT_LIMIT, ChangeSubscriber, FeedbackChange

SHOWN = 10  # the latest items; the published site lists them all

SUBSCRIBE = Action("changes", "sub")
UNSUBSCRIBE = Action("changes", "unsub")
ADD = Action("changes", "add")
PUBLISH = Action("changes", "pub")
REMOVE = Action("changes", "del", integer)


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


async def latest(session: AsyncSession, limit: int | None = SHOWN) -> list[FeedbackChange]:
    query = select(FeedbackChange).order_by(FeedbackChange.id.desc()).limit(limit)
    return list(await session.scalars(query))


async def forget(session: AsyncSession, person: Person) -> None:
    """ "Удалить мои данные": the wish to be told goes too."""
    await session.execute(delete(ChangeSubscriber).where(ChangeSubscriber.person_id == person.id))


class Changes(Feature):
    name = "changes"
    commands = ("/changes",)

    async def enter(self, ctx: Context) -> list[Reply]:
        return [await self._list(ctx)]

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        by = await staff_name(ctx.session, ctx.person, Role.MODERATOR)
        if ctx.conversation.step != "add" or by is None:
            return [await self._list(ctx)]
        text = text.strip()
        if len(text) > TEXT_LIMIT:
            return [Reply(ctx.t("changes-too-long", length=len(text), limit=TEXT_LIMIT))]
        ctx.goto(self.name, "preview", {"text": text})
        rows = ((ctx.button("changes-publish", PUBLISH.pack()),), (ctx.menu_button(),))
        return [Reply(ctx.t("changes-preview", text=text), rows)]

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        if verb in (SUBSCRIBE.verb, UNSUBSCRIBE.verb):
            SUBSCRIBE.unpack(args)
            return [await self._subscribe(ctx, on=verb == SUBSCRIBE.verb)]
        by = await staff_name(ctx.session, ctx.person, Role.MODERATOR)
        if by is None:
            raise StaleAction(verb)  # only moderators keep the list
        if verb == ADD.verb:
            ADD.unpack(args)
            ctx.goto(self.name, "add")
            return [Reply(ctx.t("changes-send-text"), ((ctx.menu_button(),),))]
        if verb == PUBLISH.verb:
            PUBLISH.unpack(args)
            return [await self._publish(ctx, by)]
        if verb == REMOVE.verb:
            (change_id,) = REMOVE.unpack(args)
            change = await ctx.session.get(FeedbackChange, change_id)
            if change is None:
                raise StaleAction(verb)
            await ctx.session.delete(change)
            ctx.log("changes.remove")
            return [await self._list(ctx)]
        raise StaleAction(verb)

    async def _subscribe(self, ctx: Context, *, on: bool) -> Reply:
        found = await ctx.session.get(ChangeSubscriber, ctx.person.id)
        if on and found is None:
            ctx.session.add(ChangeSubscriber(person_id=ctx.person.id))
        elif not on and found is not None:
            await ctx.session.delete(found)
        await ctx.session.flush()
        reply = await self._list(ctx)
        key = "changes-subscribed" if on else "changes-unsubscribed"
        return Reply(f"{ctx.t(key)}\n\n{reply.text}", reply.buttons)

    async def _publish(self, ctx: Context, by: str) -> Reply:
        text = ctx.conversation.data.get("text") if ctx.conversation.step == "preview" else None
        if not text:
            raise StaleAction(PUBLISH.verb)
        today = ctx.now.astimezone(ctx.settings.tz).date()
        change = FeedbackChange(quarter=quarter_of(today), text=text, added_by=by, added_on=today)
        ctx.session.add(change)
        subscribers = await ctx.session.scalars(
            select(Person).join(ChangeSubscriber, ChangeSubscriber.person_id == Person.id)
        )
        told = 0
        for person in subscribers:
            notice = ctx.t("changes-notice", quarter=change.quarter, text=text)
            ctx.notify(person, [Reply(notice, ((_unsubscribe_button(ctx),),))])
            told += 1
        ctx.log("changes.publish")
        ctx.goto(self.name)
        reply = await self._list(ctx)
        return Reply(f"{ctx.t('changes-published', told=told)}\n\n{reply.text}", reply.buttons)

    async def _list(self, ctx: Context) -> Reply:
        if ctx.conversation.feature != self.name or ctx.conversation.step not in ("", "add"):
            ctx.goto(self.name)
        changes = await latest(ctx.session)
        lines = [ctx.t("changes-title")]
        lines += [ctx.t("changes-line", quarter=c.quarter, text=c.text) for c in changes]
        if not changes:
            lines.append(ctx.t("changes-empty"))
        subscribed = await ctx.session.get(ChangeSubscriber, ctx.person.id) is not None
        rows: list[tuple[Button, ...]] = [
            (_unsubscribe_button(ctx),)
            if subscribed
            else (ctx.button("changes-subscribe", SUBSCRIBE.pack()),)
        ]
        if await staff_name(ctx.session, ctx.person, Role.MODERATOR) is not None:
            rows.append((ctx.button("changes-add", ADD.pack()),))
            rows += [
                (Button(ctx.t("changes-remove", text=c.text[:40]), REMOVE.pack(c.id)),)
                for c in changes
            ]
        rows.append((ctx.menu_button(),))
        return Reply("\n".join(lines), tuple(rows))


def _unsubscribe_button(ctx: Context) -> Button:
    return ctx.button("changes-unsubscribe", UNSUBSCRIBE.pack())
