"""One chat's updates are handled in the order they came, although aiogram runs plain filters
in threads: the real Dispatcher, fed two updates at once. (The Russian words are the test's
own messages, not the bot's texts.)"""

import asyncio
import threading

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message, Update

from handlers.telegram.order import ChatOrder

TOKEN = "123456789:" + "A" * 35


def update(update_id: int, text: str, chat_id: int = 7) -> Update:
    return Update.model_validate(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "Иван"},
                "text": text,
            },
        }
    )


async def handled_order(dispatcher: Dispatcher, updates: list[Update]) -> list[str]:
    seen: list[str] = []
    second_filter_done = threading.Event()

    def slow_for_the_first(message: Message) -> bool:  # a plain filter: aiogram threads it
        if message.text == "первое":
            # The second update's filter runs meanwhile, unless something holds it back.
            if second_filter_done.wait(0.5):
                threading.Event().wait(0.05)  # not time.sleep: it fails under faketime
        else:
            second_filter_done.set()
        return True

    async def handler(message: Message) -> None:
        seen.append(message.text or "")

    router = Router()
    router.message.register(handler, slow_for_the_first)
    dispatcher.include_router(router)
    bot = Bot(TOKEN)
    try:
        await asyncio.gather(*(dispatcher.feed_update(bot, u) for u in updates))
    finally:
        await bot.session.close()
    return seen


async def test_without_the_middleware_aiogram_lets_the_second_overtake() -> None:
    seen = await handled_order(Dispatcher(), [update(1, "первое"), update(2, "второе")])
    assert seen == ["второе", "первое"]  # the fault ChatOrder exists for


async def test_chat_order_keeps_one_chats_updates_in_order() -> None:
    dispatcher = Dispatcher()
    dispatcher.update.outer_middleware(ChatOrder())
    seen = await handled_order(dispatcher, [update(1, "первое"), update(2, "второе")])
    assert seen == ["первое", "второе"]


async def test_other_chats_are_not_held_back() -> None:
    dispatcher = Dispatcher()
    dispatcher.update.outer_middleware(ChatOrder())
    seen = await handled_order(
        dispatcher, [update(1, "первое", chat_id=7), update(2, "второе", chat_id=8)]
    )
    assert seen == ["второе", "первое"]
