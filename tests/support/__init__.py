"""Test support: the reply-level client (client.py) and the fake Telegram Bot API and VK API
servers that the real aiogram/vkbottle clients talk to (channel tests only)."""
