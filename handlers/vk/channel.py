"""The VK connection: Bots Long Poll, resuming after a restart from the last seen position."""

import asyncio
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from vkbottle import API, AiohttpClient, BotPolling
from vkbottle.bot import Bot, BotLabeler, Message

from bot.core.messages import Channel
from bot.core.outbox import send_now
from bot.tickets.relay import VK_WALL
from handlers.vk.mapping import CHAT_PEER_OFFSET, from_message
from handlers.vk.sender import VKSender
from handlers.vk.wall import VKWallSender, wall_labeler

if TYPE_CHECKING:
    from bot.app import App


class ResumingPolling(BotPolling):
    """vkbottle skips events that came while the bot was down, or keeps its position in the
    working directory; we resume from a position kept in the data directory instead."""

    def __init__(self, api: API, group_id: int, data_dir: Path) -> None:
        super().__init__(api, group_id=group_id, skip_old_events=False)
        self.data_dir = data_dir

    @property
    def ts_state_path(self) -> Path:
        return self.data_dir / f"vk-polling-{self.group_id}.json"


class VKChannel:
    name = Channel.VK

    def __init__(self, app: "App") -> None:
        settings = app.settings
        assert settings.vk_group_token is not None and settings.vk_group_id is not None
        self.settings = settings
        self.api = API(settings.vk_group_token.get_secret_value(), http_client=AiohttpClient())
        if settings.vk_api_base:
            self.api.API_URL = settings.vk_api_base
        self.sender = VKSender(self.api)
        engine, sessions, inflight = app.engine, app.sessions, app.inflight

        async def answer(message: Message) -> None:
            incoming = from_message(message)
            notice = partial(self.sender.send, incoming.chat_id)
            replies = await engine.handle(incoming, on_slow=notice)
            if replies:
                await send_now(sessions, self.sender, incoming.channel, incoming.chat_id, replies)

        async def on_message(message: Message) -> None:
            if message.peer_id >= CHAT_PEER_OFFSET:
                return  # group chats are not citizens' private conversations
            await inflight.run(lambda: answer(message))

        labeler = BotLabeler()
        labeler.message()(on_message)
        group_id = settings.vk_group_id
        labeler.load(wall_labeler(group_id, app.tickets, inflight))
        app.senders[VK_WALL] = VKWallSender(self.api, group_id)
        polling = ResumingPolling(self.api, settings.vk_group_id, settings.data_dir)
        self.bot = Bot(api=self.api, polling=polling, labeler=labeler, skip_old_events=False)

    def describe(self) -> str:
        if self.settings.worker_index:
            return f"sending only (worker 0 polls) via {self.api.API_URL}"
        return f"long poll for community {self.settings.vk_group_id} via {self.api.API_URL}"

    async def run(self) -> None:
        try:
            if self.settings.worker_index:
                # VK gives a community's updates to one long poll: worker 0's (--workers).
                await asyncio.Event().wait()
            await self.bot.run_polling()
        finally:
            await self.api.http_client.close()
