"""A bare vkbottle echo bot: the framework's ceiling that benchmarks/load.py compares
`priemnaya run --channel vk` with. It long-polls the community VK_GROUP_ID through VK_API_BASE
and answers every message (text or a keyboard button) with its text and a one-button inline
keyboard, as the bot's answers carry one.

Not a benchmark itself (a leading underscore: .ci/run skips it); load.py starts it in a
temporary working directory (vkbottle keeps its polling position there)."""

import asyncio
import os

from vkbottle import API, AiohttpClient, Keyboard, Text
from vkbottle.bot import Bot, BotLabeler, Message

KEYBOARD = Keyboard(inline=True).add(Text("Ещё раз", payload={"a": "echo"})).get_json()


def main() -> None:
    api = API(os.environ["VK_GROUP_TOKEN"], http_client=AiohttpClient())
    api.API_URL = os.environ["VK_API_BASE"]
    labeler = BotLabeler()

    @labeler.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "…", keyboard=KEYBOARD)

    asyncio.run(Bot(api=api, labeler=labeler).run_polling())


if __name__ == "__main__":
    main()
