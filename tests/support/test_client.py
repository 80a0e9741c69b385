"""The test client itself: what it presses, what it reports, what it reads from the outbox."""

import pytest

from bot.app import App
from bot.core.db import transaction
from bot.core.messages import Reply
from bot.core.outbox import enqueue
from tests.support.client import People, Person


async def test_press_finds_a_button_by_action_label_or_part(chat: Person) -> None:
    await chat.send("/start")
    info = chat.button(chat.t("menu-info"))
    assert chat.button(info.action) == info
    assert chat.button(chat.t("menu-info")[:12]) == info
    await chat.press(info.action)
    assert chat.last.text != chat.t("menu-greeting")


async def test_a_missing_button_lists_what_is_there(chat: Person) -> None:
    await chat.send("/start")
    with pytest.raises(AssertionError, match="no button 'Nowhere'") as failure:
        await chat.press("Nowhere")
    assert repr(chat.t("menu-faq")) in str(failure.value)


async def test_delivered_reads_only_this_persons_outbox_messages(app: App, people: People) -> None:
    anna, boris = people("anna"), people("boris")
    async with transaction(app.sessions) as session:
        enqueue(session, anna.channel, "anna", [Reply("first"), Reply("second")])
        enqueue(session, boris.channel, "boris", [Reply("for boris")])
    assert [reply.text for reply in await anna.delivered()] == ["first", "second"]
    assert anna.last.text == "second"
    assert await anna.delivered() == []
    assert [reply.text for reply in await boris.delivered()] == ["for boris"]
