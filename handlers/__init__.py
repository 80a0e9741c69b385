"""Messenger adapters. Each is imported only when its channel is configured: aiogram and
vkbottle alone take seconds and ~200 MB to import, which `chat` and `kb` must not pay for."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.core.config import Settings

if TYPE_CHECKING:
    from bot.app import App, ChannelRunner

ChannelFactory = Callable[["App"], "ChannelRunner"]


def has_staff_chat(settings: Settings) -> bool:
    """Whether a channel delivers what the features send to staff (bot.core.staff.STAFF): the
    Telegram staff supergroup. Without one, nothing is queued for staff, who then answer
    from the terminal (`priemnaya tickets`)."""
    return settings.telegram_staff_chat_id is not None and settings.telegram_bot_token is not None


def configured_channels(settings: Settings) -> list[ChannelFactory]:
    factories: list[ChannelFactory] = []
    if settings.telegram_bot_token is not None:
        from handlers.telegram import TelegramChannel

        factories.append(lambda app: TelegramChannel(app))
    if settings.vk_group_token is not None:
        from handlers.vk import VKChannel

        factories.append(lambda app: VKChannel(app))
    return factories
