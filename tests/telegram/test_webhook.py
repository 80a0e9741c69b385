"""Webhook mode: Telegram posts updates to our server, which checks the secret token."""

import asyncio

import aiohttp
from prometheus_client import REGISTRY
from pydantic import SecretStr

from bot.app import create_app, serve
from bot.core import texts
from handlers.telegram import TelegramChannel
from tests.support.fixtures import TOKEN, USER, free_port
from tests.support.telegram_api import FakeTelegramAPI


def rejected() -> float:
    return (
        REGISTRY.get_sample_value("priemnaya_webhook_rejected_total", {"channel": "telegram"})
        or 0.0
    )


async def test_webhook_receives_updates_with_the_secret_only(settings, api: FakeTelegramAPI):
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    settings = settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_base": api.base_url,
            "telegram_webhook_url": url,
            "webhook_listen": f"127.0.0.1:{port}",
        }
    )
    app = await create_app(settings)
    running = asyncio.create_task(serve(app, [TelegramChannel(app)]))
    try:
        [hook] = await api.wait_for("setWebhook")
        assert hook["url"] == url
        update = {
            "update_id": 9001,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": USER, "type": "private"},
                "from": {"id": USER, "is_bot": False, "first_name": "Иван"},
                "text": "/start",
            },
        }
        before = rejected()
        async with aiohttp.ClientSession() as http:
            forged = await http.post(url, json=update)
            assert forged.status == 401
            wrong = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"][:-1] + "x"}
            assert (await http.post(url, json=update, headers=wrong)).status == 401
            assert rejected() == before + 2
            header = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]}
            accepted = await http.post(url, json=update, headers=header)
            assert accepted.status == 200
        [menu] = await api.wait_for("sendMessage", chat_id=USER)
        assert menu["text"] == texts.text("ru", "menu-greeting")
        assert rejected() == before + 2  # the good one was not counted
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await app.close()
