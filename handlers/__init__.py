"""Messenger adapters. Each is imported only when its channel is configured: aiogram and
vkbottle alone take seconds and ~200 MB to import, which `chat` and `kb` must not pay for."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.core.config import Settings

if TYPE_CHECKING:
    from bot.app import App, ChannelRunner

ChannelFactory = Callable[["App"], "ChannelRunner"]


def configured_channels(settings: Settings) -> list[ChannelFactory]:
    factories: list[ChannelFactory] = []
    web = None
    if settings.telegram_webhook_url or settings.vk_callback_url:
        from handlers.web import WebServer

        web = WebServer(settings.webhook_listen)  # both channels' webhooks on one server
    if settings.telegram_bot_token is not None:
        from handlers.telegram import TelegramChannel

        factories.append(lambda app: TelegramChannel(app, web))
    if settings.vk_group_token is not None:
        from handlers.vk import VKChannel

        factories.append(lambda app: VKChannel(app, web))
    return factories
