"""The Telegram connection: long polling by default, a webhook when TELEGRAM_WEBHOOK_URL is set."""

import asyncio
import hashlib
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.core.messages import Channel
from bot.core.staff import STAFF
from bot.tickets.relay import TG_GROUP
from handlers.telegram import citizens, groups, staff
from handlers.telegram.order import ChatOrder
from handlers.telegram.sender import TelegramSender

if TYPE_CHECKING:
    from bot.app import App

POLLING_TIMEOUT_S = 25


class TelegramChannel:
    name = Channel.TELEGRAM

    def __init__(self, app: "App") -> None:
        settings = app.settings
        assert settings.telegram_bot_token is not None
        self.settings = settings
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
        self.bot = Bot(settings.telegram_bot_token.get_secret_value(), session=session)
        self.sender = TelegramSender(self.bot)
        self.dispatcher = Dispatcher(
            engine=app.engine,
            sessions=app.sessions,
            sender=self.sender,
            inflight=app.inflight,
            tickets=app.tickets,
            applications=app.applications,
        )
        self.dispatcher.update.outer_middleware(ChatOrder())
        self.dispatcher.include_routers(
            citizens.build_router(), groups.build_router(settings.telegram_staff_chat_id)
        )
        app.senders[TG_GROUP] = groups.GroupReplySender(self.bot)
        if settings.telegram_staff_chat_id is not None:
            chat = settings.telegram_staff_chat_id
            self.dispatcher.include_router(staff.build_router(chat))
            app.senders[STAFF] = staff.StaffTopicSender(self.bot, chat, app.tickets)

    def describe(self) -> str:
        if self.settings.telegram_webhook_url:
            mode = "webhook"
        elif self.settings.worker_index:
            mode = "sending only (worker 0 polls)"
        else:
            mode = "long polling"
        return f"{mode} via {self.settings.telegram_api_base}"

    async def run(self) -> None:
        if self.settings.telegram_webhook_url:
            await self._webhook(self.settings.telegram_webhook_url)
        elif self.settings.worker_index:
            await self._sending_only()
        else:
            await self._polling()

    async def _sending_only(self) -> None:
        # Telegram answers one getUpdates at a time: worker 0 polls and handles (--workers),
        # the others send what their outbox and timers have.
        try:
            await asyncio.Event().wait()
        finally:
            await self.bot.session.close()

    async def _polling(self) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)
        polling = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot,
                handle_signals=False,
                polling_timeout=POLLING_TIMEOUT_S,
                allowed_updates=self.dispatcher.resolve_used_update_types(),
            )
        )
        try:
            await asyncio.shield(polling)
        except asyncio.CancelledError:
            # Let aiogram finish its current request and close the HTTP session itself.
            await self.dispatcher.stop_polling()
            await polling
            raise

    async def _webhook(self, url: str) -> None:
        secret = hashlib.sha256(f"webhook:{self.settings.secret()}".encode()).hexdigest()[:64]
        application = web.Application()
        # Answer Telegram only after the update is stored and handled, so a crash mid-handler
        # makes Telegram deliver it again instead of losing it.
        SimpleRequestHandler(
            self.dispatcher, self.bot, secret_token=secret, handle_in_background=False
        ).register(application, path=urlsplit(url).path or "/")
        setup_application(application, self.dispatcher, bot=self.bot)
        runner = web.AppRunner(application)
        await runner.setup()
        host, _, port = self.settings.telegram_webhook_listen.rpartition(":")
        # reuse_port: the workers of `run --workers N` listen on one port, the kernel spreads
        # Telegram's connections over them.
        await web.TCPSite(runner, host.strip("[]"), int(port), reuse_port=True).start()
        await self.bot.set_webhook(
            url,
            secret_token=secret,
            allowed_updates=self.dispatcher.resolve_used_update_types(),
        )
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
            await self.bot.session.close()
