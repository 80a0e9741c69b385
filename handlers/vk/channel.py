"""The VK connection: Bots Long Poll, resuming after a restart from the last seen position;
or, when VK_CALLBACK_URL is set, VK's Callback API on the shared webhook server."""

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vkbottle import API, AiohttpClient, BotPolling, ErrorHandler
from vkbottle.bot import Bot, BotLabeler, Message
from vkbottle.callback import BotCallback

from bot.core.config import webhook_path
from bot.core.messages import Channel, Incoming
from bot.core.outbox import send_now
from bot.tickets.relay import VK_WALL
from handlers.vk.callback import TITLE, CallbackEndpoint, callback_secret, connect
from handlers.vk.mapping import CHAT_PEER_OFFSET, from_message
from handlers.vk.sender import VKSender
from handlers.vk.wall import VKWallSender, wall_labeler
from handlers.web import WebServer

if TYPE_CHECKING:
    from bot.app import App


class ResumingPolling(BotPolling):
    """vkbottle skips events that came while the bot was down, or keeps its position in the
    working directory; we resume from a position kept in the data directory instead.
    `on_server` is told each time a long poll server is given: the channel takes updates."""

    def __init__(
        self, api: API, group_id: int, data_dir: Path, on_server: Callable[[], None]
    ) -> None:
        super().__init__(api, group_id=group_id, skip_old_events=False)
        self.data_dir = data_dir
        self.on_server = on_server

    async def get_server(self) -> dict[str, Any]:
        server = await super().get_server()
        self.on_server()
        return server

    @property
    def ts_state_path(self) -> Path:
        return self.data_dir / f"vk-polling-{self.group_id}.json"


class VKChannel:
    name = Channel.VK

    def __init__(self, app: "App", web: WebServer | None = None) -> None:
        """`web`: the webhook server shared with other channels (one of its own if None)."""
        settings = app.settings
        assert settings.vk_group_token is not None and settings.vk_group_id is not None
        self.settings = settings
        self.health = app.health
        self.api = API(settings.vk_group_token.get_secret_value(), http_client=AiohttpClient())
        if settings.vk_api_base:
            self.api.API_URL = settings.vk_api_base
        self.sender = VKSender(self.api)
        engine, sessions, inflight = app.engine, app.sessions, app.inflight
        url = settings.vk_callback_url

        async def answer(incoming: Incoming, recorded: int | None) -> None:
            notice = partial(self.sender.send, incoming.chat_id)
            replies = await engine.handle(incoming, on_slow=notice, recorded=recorded)
            if replies:
                await send_now(sessions, self.sender, incoming.channel, incoming.chat_id, replies)

        async def on_message(message: Message) -> None:
            if message.peer_id >= CHAT_PEER_OFFSET:
                return  # group chats are not citizens' private conversations
            incoming = from_message(message)
            if url is None:
                await inflight.run(lambda: answer(incoming, None))
                return
            # Callback API: VK waits for "ok", which follows the record; the reply after it.
            recorded = await engine.record(incoming)
            if recorded is not None:
                inflight.start(lambda: answer(incoming, recorded))

        labeler = BotLabeler()
        labeler.message()(on_message)
        group_id = settings.vk_group_id
        labeler.load(wall_labeler(group_id, app.tickets, inflight))
        app.senders[VK_WALL] = VKWallSender(self.api, group_id)
        self.web: WebServer | None = None
        if url is None:
            polling = ResumingPolling(
                self.api, group_id, settings.data_dir, partial(self.health.started, self.name)
            )
            self.bot = Bot(api=self.api, polling=polling, labeler=labeler, skip_old_events=False)
            return
        callback = BotCallback(url, TITLE, callback_secret(settings), self.api, group_id)
        # A handler's error reaches the endpoint (500, so VK resends) instead of a log line.
        errors = ErrorHandler(raise_exceptions=True)
        self.bot = Bot(api=self.api, callback=callback, labeler=labeler, error_handler=errors)
        confirmation = settings.vk_callback_confirmation
        self.endpoint = CallbackEndpoint(self.bot, callback, confirmation, inflight)
        self.web = web or WebServer(settings.webhook_listen)
        self.web.post(webhook_path(url), self.endpoint.handle)

    def describe(self) -> str:
        community = f"community {self.settings.vk_group_id} via {self.api.API_URL}"
        if self.web is None and self.settings.worker_index:
            return f"sending only (worker 0 polls) for {community}"
        if self.web is None:
            return f"long poll for {community}"
        return f"Callback API at {self.settings.vk_callback_url} for {community}"

    async def run(self) -> None:
        try:
            if self.web is None and self.settings.worker_index:
                # VK gives a community's updates to one long poll: worker 0's (--workers).
                self.health.started(self.name)  # ready: this worker's channel only sends
                await asyncio.Event().wait()
            elif self.web is None:
                await self.bot.run_polling()
            else:
                async with self.web.running():
                    # The office set the server up by hand if it gave the confirmation code.
                    if self.settings.vk_callback_confirmation is None:
                        await connect(self.endpoint)
                    self.health.started(self.name)
                    await asyncio.Event().wait()
        finally:
            await self.api.http_client.close()
