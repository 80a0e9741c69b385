"""Smoke tests: the real aiogram and vkbottle clients work against the fake servers."""

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiohttp import web
from vkbottle import (
    API,
    AiohttpClient,
    BlockingRequestRescheduler,
    DocMessagesUploader,
    GroupEventType,
    Keyboard,
    PhotoMessageUploader,
    Text,
    VKAPIError,
)
from vkbottle.bot import Bot as VKBot
from vkbottle.bot import BotLabeler
from vkbottle.bot import Message as VKMessage
from vkbottle.tools.mini_types.bot import message_min
from vkbottle_types.events.bot_events import MessageEvent, WallPostNew, WallReplyNew

from .fixtures import free_port
from .telegram_api import NGINX_502_HTML, FakeTelegramAPI, UploadedFile
from .vk_api import FakeVKAPI

TG_TOKEN = "123456:" + "A" * 35
VK_TOKEN = "vk1.a.test-token"
USER = 42
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PEER = 100


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
async def no_leftover_tasks() -> AsyncIterator[None]:
    """Runs last on teardown: clients and fakes must have stopped all their tasks."""
    yield
    await asyncio.sleep(0)  # let just-cancelled tasks finish unwinding
    leftover = asyncio.all_tasks() - {asyncio.current_task()}
    assert not leftover, f"tasks still running: {leftover}"


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegramAPI) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url))
    bot = Bot(token=TG_TOKEN, session=session)
    yield bot
    await bot.session.close()


@pytest.fixture
async def vk() -> AsyncIterator[FakeVKAPI]:
    async with FakeVKAPI() as fake:
        yield fake


@pytest.fixture
async def vk_api(vk: FakeVKAPI) -> AsyncIterator[API]:
    # Own http client: the default SingleAiohttpClient is shared process-wide.
    # delay=0: the default rescheduler sleeps 5 s before retrying a non-JSON answer.
    api = API(
        token=VK_TOKEN,
        http_client=AiohttpClient(),
        request_rescheduler=BlockingRequestRescheduler(delay=0),
    )
    api.API_URL = vk.api_url
    yield api
    await api.http_client.close()


async def _cancel(task: asyncio.Task[object]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


# --- Telegram ------------------------------------------------------------------------------


async def test_tg_send_edit_callback_roundtrip(tg: FakeTelegramAPI, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot) == (123456, True)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Да", callback_data="yes")]]
    )

    sent = await bot.send_message(USER, "Здравствуйте", reply_markup=markup)
    assert sent.message_id == 1
    markup_json = markup.model_dump(exclude_none=True)
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump(exclude_none=True) == markup_json  # echoed back
    assert tg.sent(chat_id=USER) == [
        {"chat_id": USER, "text": "Здравствуйте", "reply_markup": markup_json}
    ]

    edited = await bot.edit_message_text("Изменено", chat_id=USER, message_id=sent.message_id)
    assert isinstance(edited, Message)
    assert (edited.text, edited.reply_markup) == ("Изменено", None)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Изменено", chat_id=USER, message_id=sent.message_id)
    await bot.edit_message_reply_markup(
        chat_id=USER, message_id=sent.message_id, reply_markup=markup
    )
    assert await bot.answer_callback_query("1", text="Принято")
    assert await bot.send_chat_action(USER, "typing")

    topic1 = await bot.create_forum_topic(-100500, "Обращение 1")
    topic2 = await bot.create_forum_topic(-100500, "Обращение 2")
    assert topic2.message_thread_id > topic1.message_thread_id
    thread = topic2.message_thread_id
    copied = await bot.copy_message(-100500, USER, sent.message_id, message_thread_id=thread)
    assert copied.message_id > topic2.message_thread_id
    assert tg.sent("copyMessage")[0]["message_thread_id"] == topic2.message_thread_id


async def test_tg_files_roundtrip(tg: FakeTelegramAPI, bot: Bot) -> None:
    document = BufferedInputFile(b"%PDF-1.4 test", filename="справка.pdf")
    message = await bot.send_document(USER, document, caption="Ваша справка")
    assert message.document is not None and message.document.file_name == "справка.pdf"
    upload = tg.sent("sendDocument")[0]["document"]
    assert isinstance(upload, UploadedFile) and upload.content == b"%PDF-1.4 test"

    photo = await bot.send_photo(USER, BufferedInputFile(b"jpeg", filename="p.jpg"))
    assert photo.photo is not None and len(photo.photo) == 2

    # A user's photo can be fetched back through getFile + the file URL.
    tg.push_photo(USER, content=b"user photo")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.photo is not None
    downloaded = await bot.download(update.message.photo[-1].file_id)
    assert downloaded is not None and downloaded.read() == b"user photo"


async def test_tg_errors(tg: FakeTelegramAPI, bot: Bot) -> None:
    tg.fail_next("sendMessage")
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(USER, "раз")
    assert retry.value.retry_after == 1
    await bot.send_message(USER, "два")  # only the next call failed
    attempts = tg.sent(chat_id=USER, include_failed=True)
    assert [p["text"] for p in attempts] == ["раз", "два"]
    assert [c.failed for c in tg.calls if c.method == "sendMessage"] == [True, False]

    tg.fail_next("sendMessage", status=403)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(USER, "x")
    tg.fail_next("sendMessage", status=500)
    with pytest.raises(TelegramServerError):
        await bot.send_message(USER, "x")
    tg.fail_next("*", status=502, body=NGINX_502_HTML)  # nginx page: not even JSON
    with pytest.raises(ClientDecodeError):
        await bot.send_message(USER, "x")
    with pytest.raises(TelegramNotFound, match="method not found"):
        await bot.get_chat_member_count(USER)  # not implemented by the fake
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(USER, "")
    tg.block(USER)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_chat_action(USER, "typing")


async def test_tg_get_updates_long_polls(tg: FakeTelegramAPI, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert time.monotonic() - started >= 0.9  # really waited for the timeout

    loop = asyncio.get_running_loop()
    loop.call_later(0.1, tg.push_message, USER, "привет")
    started = time.monotonic()
    [update] = await bot.get_updates(timeout=5)
    assert time.monotonic() - started < 1  # woken by the push, not by the timeout
    assert update.message is not None and update.message.text == "привет"

    again = await bot.get_updates(offset=update.update_id, timeout=0)
    assert [u.update_id for u in again] == [update.update_id]  # not confirmed yet
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == []

    tg.push_raw_update_again(update.update_id)  # redelivered despite the confirmed offset
    [duplicate] = await bot.get_updates(offset=update.update_id + 1, timeout=0)
    assert duplicate == update

    first = asyncio.create_task(bot.get_updates(timeout=5))
    await tg.wait_for_poll(tg.polls_started + 1)
    assert await bot.get_updates(timeout=0) == []
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await first  # Telegram ends the older of two concurrent long polls with 409

    tg.push_message(USER, "в теме", chat_id=-100500, chat_type="supergroup", message_thread_id=7)
    [topic_update] = await bot.get_updates(offset=update.update_id + 1)
    assert topic_update.message is not None and topic_update.message.is_topic_message
    assert topic_update.message.message_thread_id == 7 and topic_update.message.chat.is_forum

    await bot.set_webhook("https://example.org/hook")
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook()


async def test_tg_webhook_delivery_retries_until_answered() -> None:
    """deliver_webhooks: updates are POSTed to the webhook with its secret, again after a
    refusal, until a 2xx answer, as Telegram does."""
    received: list[tuple[int, str | None]] = []

    async def hook(request: web.Request) -> web.Response:
        update = await request.json()
        received.append((update["update_id"], request.headers.get(SECRET_HEADER)))
        return web.Response(status=500 if len(received) == 1 else 200)

    application = web.Application()
    application.router.add_post("/hook", hook)
    runner = web.AppRunner(application)
    await runner.setup()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    async with FakeTelegramAPI(deliver_webhooks=True) as fake:
        queued = fake.push_message(USER, "до вебхука")
        session = AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))
        webhook_bot = Bot(TG_TOKEN, session=session)
        try:
            await webhook_bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3")
            after = fake.push_message(USER, "после")
            async with asyncio.timeout(5):
                while len(received) < 3:  # noqa: ASYNC110  (the hook's list: no event)
                    await asyncio.sleep(0.02)
        finally:
            await webhook_bot.session.close()
    await runner.cleanup()
    # Three posts: one of the two was refused once and came again.
    assert len(received) == 3 and {update for update, _ in received} == {queued, after}
    assert {secret for _, secret in received} == {"s3"}


async def test_tg_polling_echo(tg: FakeTelegramAPI, bot: Bot) -> None:
    router = Router()
    handled: asyncio.Queue[int] = asyncio.Queue()

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"echo: {message.text}")
        handled.put_nowait(message.message_id)  # after answering: safe to stop polling

    @router.callback_query()
    async def press(callback: CallbackQuery) -> None:
        await callback.answer("ok")
        handled.put_nowait(0)

    dp = Dispatcher()
    dp.include_router(router)
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    try:
        update_id = tg.push_message(USER, "привет")
        [answer] = await tg.wait_for("sendMessage", chat_id=USER)
        assert answer["text"] == "echo: привет"

        tg.push_raw_update_again(update_id)  # aiogram does not deduplicate by itself
        await tg.wait_for("sendMessage", count=2, chat_id=USER)

        tg.push_callback(USER, "yes", message_id=2)
        [ack] = await tg.wait_for("answerCallbackQuery")
        assert ack["text"] == "ok"
        for _ in range(3):
            await asyncio.wait_for(handled.get(), 5)
    finally:
        await dp.stop_polling()
        await polling


async def test_tg_wait_for_reports_calls_on_timeout(tg: FakeTelegramAPI, bot: Bot) -> None:
    await bot.send_message(USER, "одно")
    with pytest.raises(AssertionError, match=r"(?s)2 x sendMessage.*'одно'"):
        await tg.wait_for("sendMessage", count=2, timeout=0.2)


# --- VK ------------------------------------------------------------------------------------


async def test_vk_api_methods(vk: FakeVKAPI, vk_api: API) -> None:
    groups = await vk_api.groups.get_by_id()
    assert groups.groups[0].id == vk.group_id
    [user] = await vk_api.users.get(user_ids=[PEER])
    assert (user.id, user.first_name) == (PEER, "Иван")

    keyboard = Keyboard(one_time=True).add(Text("Да", payload={"answer": "yes"})).get_json()
    send = vk_api.messages.send
    first = await send(peer_id=PEER, message="Вопрос?", keyboard=keyboard, random_id=7)
    again = await send(peer_id=PEER, message="Вопрос?", random_id=7)
    assert first == again  # VK deduplicates by random_id
    [sent] = vk.sent(peer_id=PEER)
    assert sent["message"] == "Вопрос?"
    # keyboard arrives parsed; vkbottle embeds button payloads as JSON objects
    assert sent["keyboard"]["buttons"][0][0]["action"]["payload"] == {"answer": "yes"}
    assert [c.duplicate for c in vk.calls if c.method == "messages.send"] == [False, True]

    assert await vk_api.messages.edit(peer_id=PEER, message_id=first, message="Новый текст")
    assert vk.messages[first]["text"] == "Новый текст"
    comment = await vk_api.wall.create_comment(owner_id=-vk.group_id, post_id=1, message="Ответ")
    assert comment.comment_id > 0

    with pytest.raises(VKAPIError[3], match="Unknown method passed"):
        await vk_api.request("nonexistent.method", {})
    with pytest.raises(VKAPIError[100], match="random_id is a required parameter"):
        await vk_api.messages.send(peer_id=PEER, message="без random_id")


async def test_vk_uploads(vk: FakeVKAPI, vk_api: API) -> None:
    doc = await DocMessagesUploader(vk_api).upload(b"%PDF", title="справка.pdf", peer_id=PEER)
    assert doc.startswith(f"doc-{vk.group_id}_")
    photo = await PhotoMessageUploader(vk_api).upload(b"jpeg", peer_id=PEER)
    assert photo.startswith(f"photo-{vk.group_id}_")
    await vk_api.messages.send(peer_id=PEER, attachment=f"{doc},{photo}", random_id=0)
    assert vk.sent(peer_id=PEER)[0]["attachment"] == f"{doc},{photo}"
    assert sorted(u.content for u in vk.uploads.values()) == [b"%PDF", b"jpeg"]


async def test_vk_errors_are_not_retried(vk: FakeVKAPI, vk_api: API) -> None:
    for code in (6, 9, 10):
        vk.fail_next("messages.send", code=code)
        with pytest.raises(VKAPIError[code]):
            await vk_api.messages.send(peer_id=PEER, message="x", random_id=0)
    attempts = [c.error_code for c in vk.calls if c.method == "messages.send"]
    assert attempts == [6, 9, 10]  # one attempt each: vkbottle raised at once

    vk.fail_next("users.get", http_status=502)  # non-JSON answer: rescheduled once...
    assert await vk_api.users.get(user_ids=[PEER])
    vk.fail_next("users.get", http_status=502, times=2)  # ...and gives up on the 2nd
    with pytest.raises(VKAPIError[1], match="Unknown response"):
        await vk_api.users.get(user_ids=[PEER])
    assert [c.status for c in vk.calls if c.method == "users.get"] == [502, 200, 502, 502]


async def test_vk_event_shapes_parse(vk: FakeVKAPI, vk_api: API) -> None:
    text = message_min(vk.event(vk.push_message(PEER, "привет", payload={"a": 1})), vk_api)
    assert (text.peer_id, text.from_id, text.text) == (PEER, PEER, "привет")
    assert text.get_payload_json() == {"a": 1}
    sticker = message_min(vk.event(vk.push_sticker(PEER)), vk_api)
    assert sticker.attachments is not None and sticker.attachments[0].sticker is not None
    photo = message_min(vk.event(vk.push_photo(PEER)), vk_api)
    assert photo.attachments is not None and photo.attachments[0].photo is not None

    reply = WallReplyNew(**vk.event(vk.push_wall_reply(post_id=5, from_id=PEER, text="вопрос")))
    assert (reply.object.post_id, reply.object.text) == (5, "вопрос")
    mention = WallPostNew(**vk.event(vk.push_wall_mention(from_id=PEER)))
    assert f"club{vk.group_id}" in (mention.object.text or "")
    press = MessageEvent(**vk.event(vk.push_message_event(PEER, {"cmd": "yes"})))
    assert press.object.payload == {"cmd": "yes"}


async def test_vk_polling_echo(
    vk: FakeVKAPI, vk_api: API, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # BotPolling saves its ts under ./.vkbottle
    labeler = BotLabeler()
    payloads: list[object] = []
    handled: asyncio.Queue[str] = asyncio.Queue()

    @labeler.message()
    async def echo(message: VKMessage) -> None:
        payloads.append(message.get_payload_json())
        await message.answer(f"echo: {message.text}")
        handled.put_nowait(message.text)

    @labeler.raw_event(GroupEventType.MESSAGE_EVENT, dataclass=MessageEvent)
    async def press(event: MessageEvent) -> None:
        await event.ctx_api.messages.send_message_event_answer(
            event_id=event.object.event_id,
            user_id=event.object.user_id,
            peer_id=event.object.peer_id,
            event_data='{"type": "show_snackbar", "text": "ok"}',
        )
        handled.put_nowait("press")

    @labeler.raw_event(GroupEventType.WALL_REPLY_NEW, dataclass=WallReplyNew)
    async def comment(event: WallReplyNew) -> None:
        await event.ctx_api.wall.create_comment(
            owner_id=event.object.owner_id,
            post_id=event.object.post_id,
            reply_to_comment=event.object.id,
            message="Ответили в личных сообщениях",
        )
        handled.put_nowait("comment")

    vk.push_message(PEER, "до старта")  # backlog is delivered once the bot connects
    polling = asyncio.create_task(VKBot(api=vk_api, labeler=labeler).run_polling())
    try:
        await vk.wait_for("messages.send", peer_id=PEER)
        event_id = vk.push_message(PEER, "Да", payload={"answer": "yes"})
        sends = await vk.wait_for("messages.send", count=2, peer_id=PEER)
        assert [s["message"] for s in sends] == ["echo: до старта", "echo: Да"]
        assert payloads == [None, {"answer": "yes"}]

        vk.push_event_again(event_id)  # vkbottle does not deduplicate (dual_mode off)
        vk.expire_lp_key()  # the poller must refetch the server and carry on
        await vk.wait_for("messages.send", count=3, peer_id=PEER)
        vk.push_message_event(PEER, {"cmd": "yes"})
        [answer] = await vk.wait_for("messages.sendMessageEventAnswer")
        assert answer["event_data"] == {"type": "show_snackbar", "text": "ok"}
        vk.push_wall_reply(post_id=5, from_id=PEER, text="Как записаться?")
        [reply] = await vk.wait_for("wall.createComment")
        assert (reply["post_id"], reply["owner_id"]) == (5, -vk.group_id)
        for _ in range(5):
            await asyncio.wait_for(handled.get(), 5)
        assert len(vk.sent("groups.getLongPollServer")) == 2  # refetched after expiry
    finally:
        await _cancel(polling)


async def test_vk_long_poll_protocol(vk_api: API) -> None:
    async with FakeVKAPI(deliver_backlog=False) as vk:  # real VK: old events are skipped
        vk_api.API_URL = vk.api_url
        vk.push_message(PEER, "до подключения")
        server = (await vk_api.groups.get_long_poll_server(group_id=vk.group_id)).model_dump()
        query = {"act": "a_check", "key": server["key"], "ts": server["ts"], "wait": 0}

        def check(**params: object) -> Awaitable[dict[str, Any]]:
            url = server["server"]
            return vk_api.http_client.request_json(url, "POST", params={**query, **params})

        assert await check() == {"ts": server["ts"], "updates": []}
        waiting = asyncio.ensure_future(check(wait=5))
        await vk.wait_for_long_poll(2)
        event_id = vk.push_message(PEER, "после")
        answer = await waiting  # woken by the push
        assert [u["event_id"] for u in answer["updates"]] == [event_id]
        assert int(answer["ts"]) == int(server["ts"]) + 1
        assert await check(key="stale") == {"failed": 2}
        vk.lp_fail_next(1)
        assert (await check())["failed"] == 1


async def test_vk_callback_servers_are_checked_and_fed_as_vk_does(
    vk: FakeVKAPI, vk_api: API
) -> None:
    answers = {"/right": vk.callback.confirmation_code, "/wrong": "not the code"}
    posted: list[dict[str, Any]] = []

    async def receiver(request: web.Request) -> web.Response:
        body = await request.json()
        if body["type"] == "confirmation":
            return web.Response(text=answers[request.path])
        posted.append({"path": request.path, **body})
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/{name}", receiver)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    base = f"http://127.0.0.1:{port}"
    try:
        for path in answers:
            data = {"group_id": vk.group_id, "url": base + path, "secret_key": "k1"}
            added = await vk_api.request("groups.addCallbackServer", data)
            settings = {"group_id": vk.group_id, "server_id": added["response"]["server_id"]}
            await vk_api.request("groups.setCallbackSettings", {**settings, "message_new": 1})
        await vk.callback.wait_until_checked()
        assert [s.status for s in vk.callback.servers.values()] == ["ok", "failed"]
        vk.push_wall_reply(post_id=1, from_id=PEER, text="не включено")  # not switched on
        event_id = vk.push_message(PEER, "привет")
        [answer] = await vk.callback.wait_for_answers(1)
        assert (answer.event_id, answer.body) == (event_id, "ok")
        [event] = posted  # only the confirmed server, only the event switched on
        assert (event["path"], event["secret"], event["type"]) == ("/right", "k1", "message_new")
    finally:
        await runner.cleanup()
