"""What the applications tests share: staff keeping records through `/app` (the entry point
the staff chat's adapter calls) and a person linking one through "Мои заявления"."""

import itertools

from bot.app import App
from bot.core import clock
from bot.core.db import transaction
from bot.core.staff import Role, add
from tests.support.client import Person

# The whole bot with the staff chat, Telegram and VK against the fake servers.
from tests.tickets.conftest import relay_bot, relay_settings  # noqa: F401

CLERK = "501"
CLERK_NAME = "Иванова"
_updates = itertools.count(1)


async def hire(app: App, external_id: str = CLERK, name: str = CLERK_NAME) -> None:
    async with transaction(app.sessions) as session:
        await add(session, "telegram", external_id, Role.STAFF, name)


async def staff(app: App, text: str, by: str = CLERK) -> str:
    """`text` written in the staff chat by `by`; the bot's answer there."""
    answer = await app.applications.command(
        "telegram", by, text, f"staff:test:{next(_updates)}", clock.now()
    )
    assert answer is not None
    return answer


async def link(chat: Person, number: str, code: str) -> str:
    """The person opens "Мои заявления", adds one and gives its number and code; the answer."""
    await chat.send("/start")
    await chat.press(chat.t("menu-applications"))
    await chat.press(chat.t("app-button-add"))
    assert chat.last.text == chat.t("app-ask-number")
    await chat.send(number)
    assert chat.last.text == chat.t("app-ask-code")
    await chat.send(code)
    return chat.last.text
