"""A bare aiogram echo bot: the framework's ceiling that benchmarks/load.py compares
`priemnaya run` with. It long-polls TELEGRAM_API_BASE and answers every text with the same
text, and every button press with answerCallbackQuery and a message; each answer carries a
one-button inline keyboard, as the bot's answers do.

Not a benchmark itself (a leading underscore: .ci/run skips it); load.py starts it."""

import asyncio
import os

from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="Ещё раз", callback_data="echo")]]
)


async def main() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_BASE"]))
    bot = Bot(os.environ["TELEGRAM_BOT_TOKEN"], session=session)
    dispatcher = Dispatcher()

    @dispatcher.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "", reply_markup=KEYBOARD)

    @dispatcher.callback_query()
    async def pressed(query: CallbackQuery) -> None:
        await query.answer()
        await bot.send_message(query.from_user.id, query.data or "", reply_markup=KEYBOARD)

    await dispatcher.start_polling(bot, handle_signals=True, polling_timeout=25)


if __name__ == "__main__":
    asyncio.run(main())
