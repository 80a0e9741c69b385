"""The Telegram connection: long polling by default, a webhook when TELEGRAM_WEBHOOK_URL is set."""

import asyncio
import hashlib
from typing import TYPE_CHECKING

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application

from bot.core.config import webhook_path
from bot.core.messages import Channel
from bot.core.metrics import WEBHOOK_REJECTED
from bot.core.staff import STAFF
from bot.tickets.relay import TG_GROUP
from handlers.telegram import citizens, groups, staff
from handlers.telegram.order import ChatOrder
from handlers.telegram.responses import HeldResponses
from handlers.telegram.sender import TelegramSender
from handlers.web import WebServer

if TYPE_CHECKING:
    from bot.app import App

POLLING_TIMEOUT_S = 25


class CountingRequestHandler(SimpleRequestHandler):
    """aiogram's webhook handler (401 for a wrong or missing secret token), counting refusals."""

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        if super().verify_secret(telegram_secret_token, bot):
            return True
        WEBHOOK_REJECTED.labels(channel=Channel.TELEGRAM).inc()
        return False


class TelegramChannel:
    name = Channel.TELEGRAM

    def __init__(self, app: "App", web: WebServer | None = None) -> None:
        """`web`: the webhook server shared with other channels (one of its own if None)."""
        settings = app.settings
        assert settings.telegram_bot_token is not None
        self.settings = settings
        self.health = app.health
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
        session.middleware(HeldResponses())
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
        self.web: WebServer | None = None
        if settings.telegram_webhook_url:
            self.web = web or WebServer(settings.webhook_listen)
            # The secret Telegram sends back with every update, kept across restarts.
            self.secret = hashlib.sha256(f"webhook:{settings.secret()}".encode()).hexdigest()
            # Answer Telegram only after the update is stored and handled, so a crash
            # mid-handler makes Telegram deliver it again instead of losing it.
            CountingRequestHandler(
                self.dispatcher, self.bot, secret_token=self.secret, handle_in_background=False
            ).register(self.web.app, path=webhook_path(settings.telegram_webhook_url))
            setup_application(self.web.app, self.dispatcher, bot=self.bot)

    def describe(self) -> str:
        if self.settings.telegram_webhook_url:
            mode = "webhook"
        elif self.settings.worker_index:
            mode = "sending only (worker 0 polls)"
        else:
            mode = "long polling"
        return f"{mode} via {self.settings.telegram_api_base}"

    async def run(self) -> None:
        if self.web is not None:
            await self._webhook()
        elif self.settings.worker_index:
            await self._sending_only()
        else:
            await self._polling()

    async def _sending_only(self) -> None:
        # Telegram answers one getUpdates at a time: worker 0 polls and handles (--workers),
        # the others send what their outbox and timers have.
        self.health.started(self.name)  # ready: sending is all this worker's channel does
        try:
            await asyncio.Event().wait()
        finally:
            await self.bot.session.close()

    async def _polling(self) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)
        self.health.started(self.name)  # the API took the token; getUpdates comes next
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

    async def _webhook(self) -> None:
        assert self.web is not None and self.settings.telegram_webhook_url is not None
        try:
            async with self.web.running():
                await self.bot.set_webhook(
                    self.settings.telegram_webhook_url,
                    secret_token=self.secret,
                    allowed_updates=self.dispatcher.resolve_used_update_types(),
                )
                self.health.started(self.name)
                await asyncio.Event().wait()
        finally:
            await self.bot.session.close()
