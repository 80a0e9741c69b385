"""Booking tests share the core fixtures (tests/conftest.py) and the Telegram ones."""

import re

from tests.conftest import Terminal

DAY_LABEL = re.compile(r"^(пн|вт|ср|чт|пт|сб|вс) \d\d\.\d\d$")
TIME_LABEL = re.compile(r"^\d\d:\d\d$")


async def press_first(terminal: Terminal, pattern: re.Pattern[str], index: int = 0) -> str:
    found = [number for number, label in terminal.labels().items() if pattern.match(label)]
    if not found:
        raise AssertionError(f"no button like {pattern.pattern} in {terminal.labels()}")
    return await terminal.say(found[index])


async def reach_consent(terminal: Terminal, day: int = 0) -> str:
    """Menu → the office with a pass regime → consultation → a day → the first free time;
    returns the consent question shown next."""
    await terminal.say("/start")
    await terminal.press("Записаться на приём")
    await terminal.press("Транспортная")
    await terminal.press("Консультация")
    await press_first(terminal, DAY_LABEL, day)
    return await press_first(terminal, TIME_LABEL)


async def book_in_terminal(terminal: Terminal, *, email: str = "Без e-mail", day: int = 0) -> str:
    """The whole form at the demo office with a pass regime; returns the confirmation."""
    await reach_consent(terminal, day)
    await terminal.press("Согласен")
    await terminal.say("Иванова")
    await terminal.say("Анна")
    await terminal.press("Нет отчества")
    await terminal.press("Паспорт РФ")
    await terminal.say("4510 123456")
    await terminal.press("Без машины")
    await terminal.say("8 (912) 345-67-89")
    if email.startswith("Без"):
        await terminal.press(email)
    else:
        await terminal.say(email)
    return await terminal.press("Подтвердить")
