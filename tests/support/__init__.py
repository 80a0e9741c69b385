"""Fake Telegram Bot API and VK API servers that the real aiogram/vkbottle clients talk to."""
