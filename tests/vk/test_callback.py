"""VK's Callback API: the bot adds its server to the community, answers VK's confirmation
request, refuses events without the secret key and answers "ok" once an event is recorded,
handling it after that. The real vkbottle client against the fake VK API, which posts events
to the bot as VK does (tests/support/vk_callback.py)."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from prometheus_client import REGISTRY
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import App, create_app, serve
from bot.core import texts
from bot.core.config import Settings
from bot.core.messages import Channel, Incoming
from bot.core.models import InboundUpdate
from bot.tickets.models import SkippedComment, Ticket
from bot.tickets.relay import VK_WALL
from handlers import configured_channels
from handlers.vk import VKChannel
from handlers.vk.callback import EVENTS, callback_secret
from tests.support.fixtures import PEER, TOKEN, USER, VK_TOKEN, free_port
from tests.support.telegram_api import FakeTelegramAPI
from tests.support.vk_api import API_VERSION, FakeVKAPI, VKError


def callback_settings(settings: Settings, vk_api: FakeVKAPI, **more: Any) -> Settings:
    port = free_port()
    update = {
        "vk_group_token": SecretStr(VK_TOKEN),
        "vk_group_id": vk_api.group_id,
        "vk_api_base": vk_api.api_url,
        "vk_callback_url": f"http://127.0.0.1:{port}/vk/callback",
        "webhook_listen": f"127.0.0.1:{port}",
        **more,
    }
    return settings.model_copy(update=update)


@pytest.fixture
async def callback_bot(settings: Settings, vk_api: FakeVKAPI) -> AsyncIterator[App]:
    """The whole bot with VK in Callback API mode, its server confirmed by the fake VK."""
    app = await create_app(callback_settings(settings, vk_api))
    running = asyncio.create_task(serve(app, [VKChannel(app)]))
    await vk_api.callback.wait_until_confirmed()
    await vk_api.wait_for("groups.setCallbackSettings")
    yield app
    running.cancel()
    await asyncio.gather(running, return_exceptions=True)
    await app.close()


def rejected() -> float:
    sample = REGISTRY.get_sample_value("priemnaya_webhook_rejected_total", {"channel": "vk"})
    return sample or 0.0


async def recorded(app: App) -> int:
    async with app.sessions() as session:
        return await session.scalar(select(func.count(InboundUpdate.id))) or 0


def message_new(vk_api: FakeVKAPI, text: str, **envelope: Any) -> dict[str, Any]:
    """An event as VK posts it, for sending by hand."""
    message = {
        "date": 1_700_000_000,
        "from_id": PEER,
        "id": 77,
        "out": 0,
        "version": 1,
        "attachments": [],
        "conversation_message_id": 77,
        "fwd_messages": [],
        "important": False,
        "is_hidden": False,
        "peer_id": PEER,
        "random_id": 0,
        "text": text,
    }
    return {
        "type": "message_new",
        "object": {"message": message, "client_info": {"keyboard": True}},
        "group_id": vk_api.group_id,
        "event_id": "e" * 40,
        "v": API_VERSION,
        **envelope,
    }


async def test_server_is_added_confirmed_and_given_the_events(
    callback_bot: App, vk_api: FakeVKAPI
) -> None:
    [server] = vk_api.callback.servers.values()
    assert server.url == callback_bot.settings.vk_callback_url
    assert server.status == "ok"  # the bot answered VK's check with the community's code
    [check] = vk_api.callback.answers
    assert (check.type, check.body) == ("confirmation", vk_api.callback.confirmation_code)
    assert server.secret_key == callback_secret(callback_bot.settings)
    assert server.api_version == API_VERSION
    assert server.events == set(EVENTS)


async def test_a_message_is_answered_ok_and_the_person_gets_the_menu(
    callback_bot: App, vk_api: FakeVKAPI
) -> None:
    vk_api.push_message(PEER, "Начать", payload={"command": "start"})
    [menu] = await vk_api.wait_for("messages.send", peer_id=PEER)
    assert menu["message"] == texts.text("ru", "menu-greeting")
    [answer] = await vk_api.callback.wait_for_answers(1)
    assert (answer.status, answer.body) == (200, "ok")


async def test_ok_comes_once_recorded_and_the_handling_after_it(
    callback_bot: App, vk_api: FakeVKAPI
) -> None:
    # The person's turn is taken (a message of theirs being handled): VK still gets its "ok".
    async with callback_bot.engine.inbox.in_order((Channel.VK, str(PEER))):
        vk_api.push_message(PEER, "меню")
        [answer] = await vk_api.callback.wait_for_answers(1)
        assert answer.body == "ok"
        async with callback_bot.sessions() as session:
            [row] = (await session.scalars(select(InboundUpdate))).all()
        # Recorded as any update: after a crash now, the next start's replay would answer it.
        assert row.status == "pending" and row.payload is not None
        assert Incoming.from_dict(row.payload).text == "меню"
        assert vk_api.sent("messages.send", peer_id=PEER) == []
    [menu] = await vk_api.wait_for("messages.send", peer_id=PEER)
    assert menu["message"] == texts.text("ru", "menu-greeting")


async def test_a_repeated_delivery_is_handled_once(callback_bot: App, vk_api: FakeVKAPI) -> None:
    duplicates = {"channel": "vk", "outcome": "duplicate"}
    before = REGISTRY.get_sample_value("priemnaya_updates_total", duplicates) or 0.0
    event_id = vk_api.push_message(PEER, "/help")
    await vk_api.wait_for("messages.send", peer_id=PEER)
    vk_api.push_event_again(event_id)  # VK resends when its wait for "ok" ran out
    vk_api.push_message(PEER, "меню")
    sent = await vk_api.wait_for("messages.send", count=2, peer_id=PEER)
    assert [m["message"] for m in sent] == [texts.text("ru", k) for k in ("help", "menu-greeting")]
    answers = await vk_api.callback.wait_for_answers(3)
    assert [a.body for a in answers if a.event_id == event_id] == ["ok", "ok"]
    assert len(vk_api.sent("messages.send", peer_id=PEER)) == 2
    assert REGISTRY.get_sample_value("priemnaya_updates_total", duplicates) == before + 1


async def test_a_wrong_or_missing_secret_is_refused_and_counted(
    callback_bot: App, vk_api: FakeVKAPI
) -> None:
    url = callback_bot.settings.vk_callback_url
    assert url is not None
    before, rows = rejected(), await recorded(callback_bot)
    async with aiohttp.ClientSession() as http:
        for forged in (message_new(vk_api, "меню"), message_new(vk_api, "меню", secret="x")):
            async with http.post(url, json=forged) as response:
                assert response.status == 401
        assert rejected() == before + 2
        assert await recorded(callback_bot) == rows
        # The same event with the key is taken: it was the key that was missing.
        good = message_new(vk_api, "меню", secret=callback_secret(callback_bot.settings))
        async with http.post(url, json=good) as response:
            assert (response.status, await response.text()) == (200, "ok")
    [menu] = await vk_api.wait_for("messages.send", peer_id=PEER)
    assert menu["message"] == texts.text("ru", "menu-greeting")
    assert rejected() == before + 2


async def test_a_wall_comment_gets_its_receipt(callback_bot: App, vk_api: FakeVKAPI) -> None:
    vk_api.push_wall_reply(post_id=42, from_id=PEER, text="Спасибо!")  # set aside, no ticket
    event = vk_api.push_wall_reply(post_id=42, from_id=PEER, text="Почему закрыт пункт?")
    answers = await vk_api.callback.wait_for_answers(2)
    assert [(a.type, a.body) for a in answers] == [("wall_reply_new", "ok")] * 2
    # A wall event is handled in the transaction that records it: done by the "ok".
    async with callback_bot.sessions() as session:
        assert (await session.scalars(select(Ticket.source))).all() == [VK_WALL]
        assert (await session.scalars(select(SkippedComment.source))).all() == [VK_WALL]
    [sent] = await vk_api.wait_for("wall.createComment", timeout=10)
    assert sent["reply_to_comment"] == vk_api.event(event)["object"]["id"]


async def test_set_up_by_hand_the_bot_answers_the_given_code(
    settings: Settings, vk_api: FakeVKAPI
) -> None:
    settings = callback_settings(
        settings,
        vk_api,
        vk_callback_confirmation="1a2b3c4d",
        vk_callback_secret=SecretStr("OfficeTypedThisKey42"),
    )
    app = await create_app(settings)
    running = asyncio.create_task(serve(app, [VKChannel(app)]))
    url = settings.vk_callback_url
    assert url is not None
    try:
        confirmation = {"type": "confirmation", "group_id": vk_api.group_id}
        async with aiohttp.ClientSession() as http:
            for _ in range(50):  # until the server listens
                try:
                    async with http.post(url, json=confirmation) as response:
                        assert (response.status, await response.text()) == (200, "1a2b3c4d")
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            else:
                raise AssertionError("the callback server did not start")
            other = {"type": "confirmation", "group_id": vk_api.group_id + 1}
            async with http.post(url, json=other) as response:
                assert response.status == 400  # another community's code is not ours to give
            good = message_new(vk_api, "меню", secret="OfficeTypedThisKey42")
            async with http.post(url, json=good) as response:
                assert await response.text() == "ok"
        await vk_api.wait_for("messages.send", peer_id=PEER)
        assert not [c for c in vk_api.calls if "Callback" in c.method]  # VK left as set up
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await app.close()


async def test_without_the_right_to_manage_the_bot_says_so_and_still_serves(
    settings: Settings, vk_api: FakeVKAPI, caplog: pytest.LogCaptureFixture
) -> None:
    def access_denied(params: dict[str, Any]) -> None:
        raise VKError(15)

    vk_api.override("groups.getCallbackConfirmationCode", access_denied)
    app = await create_app(callback_settings(settings, vk_api))
    running = asyncio.create_task(serve(app, [VKChannel(app)]))
    url = app.settings.vk_callback_url
    assert url is not None
    try:
        await vk_api.wait_for("groups.getCallbackConfirmationCode", include_failed=True)
        async with aiohttp.ClientSession() as http:
            check = {"type": "confirmation", "group_id": vk_api.group_id}
            async with http.post(url, json=check) as response:
                assert response.status == 503  # no code to give
            good = message_new(vk_api, "меню", secret=callback_secret(app.settings))
            async with http.post(url, json=good) as response:
                assert await response.text() == "ok"
        await vk_api.wait_for("messages.send", peer_id=PEER)
        assert "Управление сообществом" in caplog.text
        assert not vk_api.callback.servers
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await app.close()


async def test_a_worker_not_yet_set_up_answers_the_check(
    settings: Settings, vk_api: FakeVKAPI
) -> None:
    # Another worker added the server and VK's check reached this one first.
    app = await create_app(callback_settings(settings, vk_api))
    channel = VKChannel(app)
    url = app.settings.vk_callback_url
    assert channel.web is not None and url is not None
    try:
        async with channel.web.running(), aiohttp.ClientSession() as http:
            check = {"type": "confirmation", "group_id": vk_api.group_id}
            async with http.post(url, json=check) as response:
                assert await response.text() == vk_api.callback.confirmation_code
    finally:
        await channel.api.http_client.close()
        await app.close()


async def test_telegram_and_vk_webhooks_share_one_server(
    settings: Settings, vk_api: FakeVKAPI, api: FakeTelegramAPI
) -> None:
    settings = callback_settings(settings, vk_api, telegram_bot_token=SecretStr(TOKEN))
    assert settings.vk_callback_url is not None
    telegram_url = settings.vk_callback_url.replace("/vk/callback", "/telegram")
    settings = settings.model_copy(
        update={"telegram_api_base": api.base_url, "telegram_webhook_url": telegram_url}
    )
    app = await create_app(settings)
    channels = [factory(app) for factory in configured_channels(settings)]
    running = asyncio.create_task(serve(app, channels))
    try:
        [hook] = await api.wait_for("setWebhook")
        await vk_api.callback.wait_until_confirmed()
        await vk_api.wait_for("groups.setCallbackSettings")
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": USER, "type": "private"},
                "from": {"id": USER, "is_bot": False, "first_name": "Иван"},
                "text": "/start",
            },
        }
        header = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]}
        async with (
            aiohttp.ClientSession() as http,
            http.post(telegram_url, json=update, headers=header) as response,
        ):
            assert response.status == 200
        vk_api.push_message(PEER, "меню")
        await api.wait_for("sendMessage", chat_id=USER)
        await vk_api.wait_for("messages.send", peer_id=PEER)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await app.close()


async def test_workers_starting_together_leave_one_server(
    settings: Settings, vk_api: FakeVKAPI
) -> None:
    app = await create_app(callback_settings(settings, vk_api))
    # Two channels, each with a server of its own on the one port: two workers.
    running = asyncio.create_task(serve(app, [VKChannel(app), VKChannel(app)]))
    try:
        await vk_api.wait_for("groups.setCallbackSettings", count=2)
        assert len(vk_api.callback.servers) == 1
        await vk_api.callback.wait_until_confirmed()
        vk_api.push_message(PEER, "меню")
        await vk_api.wait_for("messages.send", peer_id=PEER)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await app.close()
