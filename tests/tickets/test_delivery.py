"""Staff answers end to end through the real aiogram and vkbottle clients against the fake
servers: a ticket is answered when the answer is delivered, not when it is queued; a 429
storm only delays it; a refusal is reported in the ticket's topic; a crash mid-send loses
nothing, and VK drops the copy sent again."""

from datetime import timedelta

from sqlalchemy import select, update

from bot.app import App, create_app
from bot.core import clock
from bot.core.clock import PinnedClock
from bot.core.config import Settings
from bot.core.db import transaction
from bot.core.messages import Reply
from bot.core.models import OutboxMessage, Person
from bot.core.outbox import Progress, enqueue
from bot.tickets.cards import staff_text
from bot.tickets.relay import StaffRef
from handlers.telegram import TelegramChannel
from handlers.vk import VKChannel
from tests.support.fixtures import PEER, USER, drained
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.vk_api import FakeVKAPI
from tests.tickets.conftest import (
    CLERK,
    CLERK_NAME,
    STAFF_CHAT,
    ask_in_telegram,
    in_staff_chat,
    ru,
    running,
    signed,
    staff_says,
    ticket,
)

ANSWER = "Пункт откроется в понедельник."


def answers(api: FakeTelegramAPI) -> list[str]:
    """The staff answers to ticket №1 the person received (successful calls only)."""
    head = ru("ticket-answer", number=1, text="")
    texts = [call["text"] for call in api.sent("sendMessage", chat_id=USER)]
    return [text for text in texts if text.startswith(head)]


async def open_ticket(api: FakeTelegramAPI) -> int:
    """The person asks a question; returns the ticket topic's thread id."""
    await ask_in_telegram(api, "Когда откроется пункт приёма?")
    await api.wait_for("sendMessage", predicate=in_staff_chat)  # the card, in a new topic
    [(thread, _)] = api.topics[STAFF_CHAT].items()
    return thread


async def test_a_429_storm_delays_the_answer_and_the_ticket_waits_for_it(
    relay_bot: App, api: FakeTelegramAPI, pinned: PinnedClock
) -> None:
    thread = await open_ticket(api)
    api.fail_next("sendMessage", status=429, retry_after=1, times=55)
    staff_says(api, CLERK, ANSWER, thread)
    await api.wait_for("sendMessage", chat_id=USER, include_failed=True, count=5)  # refused
    # Refusals remain queued, so the answer cannot have gone out yet.
    assert answers(api) == []
    waiting = await ticket(relay_bot)
    assert (waiting.status, waiting.first_reply_at, waiting.final_at) == ("open", None, None)

    for _ in range(200):  # the storm passes without real waiting: the clock jumps over it
        if answers(api):
            break
        pinned.advance(timedelta(seconds=1.1))
        await relay_bot.outbox.run_once()
    await drained(relay_bot)
    refusals = [call for call in api.calls if call.method == "sendMessage" and call.failed]
    assert len(refusals) == 55
    assert answers(api) == [ru("ticket-answer", number=1, text=signed(ANSWER))]
    answered = await ticket(relay_bot)
    assert answered.status == "answered" and answered.first_reply_at is not None
    assert answered.final_at == answered.first_reply_at
    async with relay_bot.sessions() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.ref.is_not(None)))
    assert row is not None and (row.status, row.attempts, row.payload) == ("sent", 0, {})


async def test_an_answer_to_a_person_who_blocked_the_bot_is_reported_in_the_topic(
    relay_bot: App, api: FakeTelegramAPI
) -> None:
    thread = await open_ticket(api)
    api.block(USER)
    staff_says(api, CLERK, ANSWER, thread)
    [_, notice] = await api.wait_for("sendMessage", predicate=in_staff_chat, count=2)
    assert notice["message_thread_id"] == thread
    assert notice["text"] == staff_text("staff-undelivered-blocked", number=1)
    waiting = await ticket(relay_bot)
    assert (waiting.status, waiting.first_reply_at) == ("open", None)
    async with relay_bot.sessions() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.ref.is_not(None)))
    assert row is not None and row.status == "failed"
    assert row.last_error == "refused: Forbidden: bot was blocked by the user"


async def answer_queued_then_crash(app: App) -> None:
    """A Telegram ticket answered by staff whose answer was being sent when the process died
    (Telegram never got it)."""
    service = app.tickets.service
    async with transaction(app.sessions) as session:
        person = Person(channel="telegram", external_id=str(USER), chat_id=str(USER))
        session.add(person)
        await session.flush()
        row = await service.create(session, person, "question", "Когда приём?", (), clock.now())
        staff = StaffRef(str(CLERK), CLERK_NAME)
        await service.staff_reply(session, row, staff, "Приём с 9:00.", (), clock.now())
    async with transaction(app.sessions) as session:
        await session.execute(update(OutboxMessage).values(status="sending"))


async def test_an_answer_in_flight_at_a_crash_is_sent_at_the_next_start(
    relay_settings: Settings, api: FakeTelegramAPI
) -> None:
    settings = relay_settings.model_copy(update={"telegram_staff_chat_id": None})
    app = await create_app(settings)
    try:
        await answer_queued_then_crash(app)
        assert (await ticket(app)).first_reply_at is None
        async with running(app, [TelegramChannel(app)]):
            await api.wait_for("sendMessage", chat_id=USER)
            await drained(app)
        assert answers(api) == [ru("ticket-answer", number=1, text=signed("Приём с 9:00."))]
        assert (await ticket(app)).status == "answered"
    finally:
        await app.close()


async def test_vk_drops_the_copy_of_a_message_sent_just_before_a_crash(
    relay_settings: Settings, vk_api: FakeVKAPI
) -> None:
    app = await create_app(relay_settings)
    try:
        long_text = "\n\n".join(
            f"Пункт {n}. " + "Подробности правил приёма. " * 40 for n in range(8)
        )
        async with transaction(app.sessions) as session:
            enqueue(session, "vk", str(PEER), [Reply(long_text)])
        async with transaction(app.sessions) as session:
            row = await session.scalar(select(OutboxMessage))
            assert row is not None
            row.status = "sending"
        channel = VKChannel(app)
        # The stopped process got every part to VK but died before recording it.
        await channel.sender.send(str(PEER), Reply(long_text), Progress(row.id))
        delivered = vk_api.sent(peer_id=PEER)
        assert len(delivered) >= 2

        async with running(app, [channel]):
            await vk_api.wait_for(
                "messages.send", peer_id=PEER, count=2 * len(delivered), include_failed=True
            )
            await drained(app)
        assert vk_api.sent(peer_id=PEER) == delivered  # every repeat was dropped by random_id
        async with app.sessions() as session:
            assert await session.scalar(select(OutboxMessage.status)) == "sent"
    finally:
        await app.close()
