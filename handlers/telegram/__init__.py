"""The Telegram channel (aiogram 3): citizens in private chats."""

from handlers.telegram.channel import TelegramChannel

__all__ = ["TelegramChannel"]
