"""The booking flow in the terminal channel, on SQLite and PostgreSQL."""

import re

from sqlalchemy import select

from bot.app import App
from bot.booking import actions
from bot.booking.actions import Answer
from bot.booking.models import BOOKED, CANCELLED, HELD, Booking
from bot.core.actions import Action
from tests.booking.conftest import (
    DAY_LABEL,
    TIME_LABEL,
    book_in_terminal,
    press_first,
    reach_consent,
)
from tests.support.client import Person


async def test_whole_flow_books_and_seals_pass_data(app: App, terminal) -> None:
    done = await book_in_terminal(terminal)
    assert "Готово, вы записаны!" in done
    assert "ул. Транспортная, д. 12, вход со двора" in done
    assert "[file: booking-" in done and ".ics]" in done
    async with app.sessions() as session:
        [booking] = (await session.scalars(select(Booking))).all()
    assert booking.status == BOOKED and booking.seat == 1 and booking.doc_type == "ru"
    # Pass data is sealed: nothing of it is readable in the row.
    assert "4510" not in booking.personal and "Иванова" not in booking.personal
    sealed = app.booking.vault.open(booking.personal)
    assert sealed["doc_number"] == "4510 123456" and sealed["phone"] == "+79123456789"
    assert "patronymic" not in sealed


async def test_summary_masks_the_document(app, terminal) -> None:
    await reach_consent(terminal)
    await terminal.press("Согласен")
    for line in ("Петров", "Пётр", "Петрович"):
        await terminal.say(line)
    await terminal.press("Паспорт РФ")
    await terminal.say("4510123456")
    await terminal.say("а 123 вс 77")
    await terminal.press("Без телефона")
    summary = await terminal.press("Без e-mail")
    assert "Петров Пётр Петрович" in summary and "…3456" in summary
    assert "4510" not in summary and "Машина: А123ВС77" in summary
    # The hold is not extended while the form is filled: the summary shows when it ends.
    async with app.sessions() as session:
        hold = await session.scalar(select(Booking).where(Booking.status == HELD))
    until = hold.held_until.astimezone(app.booking.schedule.tz)
    assert f"Время держим для вас до {until:%H:%M}" in summary


async def test_bad_pass_data_is_asked_again_and_nothing_is_lost(terminal) -> None:
    await reach_consent(terminal)
    await terminal.press("Согласен")
    assert "не больше 50 букв" in await terminal.say("Я" * 500)
    assert "только буквы" in await terminal.say("<b>Иванов</b>")
    assert "только буквы" in await terminal.say("Иванов 😀")
    assert "только буквы" in await terminal.say("Ivanov2")
    assert "ваше имя" in await terminal.say("Иванов-Петров")
    await terminal.say("Иван")
    await terminal.press("Нет отчества")
    await terminal.press("Паспорт РФ")
    assert "10 цифр" in await terminal.say("45 10 12345")
    assert "10 цифр" in await terminal.say("4510 12345A")
    await terminal.say("4510 123456")
    assert "номер машины" in (await terminal.say("🚗")).lower()
    await terminal.press("Без машины")
    assert "Не похоже на телефон" in await terminal.say("звоните")
    await terminal.press("Без телефона")
    assert "Не похоже на e-mail" in await terminal.say("ivanov@")
    summary = await terminal.say("ivanov@mail.ru")
    assert "Иванов-Петров Иван" in summary and "ivanov@mail.ru" in summary


async def test_foreign_passport_and_typed_buttons(terminal) -> None:
    await terminal.say("/start")
    await terminal.press("Записаться на приём")
    await terminal.press("Транспортная")
    assert "нажмите одну из кнопок" in await terminal.say("консультация")
    await terminal.press("Консультация")
    await press_first(terminal, DAY_LABEL)
    await press_first(terminal, TIME_LABEL)
    await terminal.press("Согласен")
    await terminal.say("Smith")
    await terminal.say("John")
    await terminal.say("нет")  # typed "no" skips an optional step
    await terminal.press("Иностранный паспорт")
    assert "от 5 до 20" in await terminal.say("A1")
    assert "от 5 до 20" in await terminal.say("X" * 21)
    assert "на машине" in await terminal.say("ab 123-4567")


async def test_no_consent_at_a_pass_office_books_nothing(app: App, terminal) -> None:
    await reach_consent(terminal)
    answer = await terminal.press("Не согласен")
    assert "только по пропуску" in answer and "Другой офис" in answer
    async with app.sessions() as session:
        assert (await session.scalars(select(Booking))).all() == []  # the hold is released


async def test_no_consent_without_pass_regime_books_without_data(app: App, terminal) -> None:
    await terminal.say("/start")
    await terminal.press("Записаться на приём")
    await terminal.press("Речная")
    await press_first(terminal, DAY_LABEL)
    await press_first(terminal, TIME_LABEL)
    summary = await terminal.press("Не согласен")
    assert "Проверьте запись" in summary and "Телефон: —" in summary
    done = await terminal.press("Подтвердить")
    assert "Готово, вы записаны!" in done
    async with app.sessions() as session:
        [booking] = (await session.scalars(select(Booking))).all()
    assert booking.personal is None and booking.office == "river"


async def test_forged_and_stale_payloads_are_refused(app: App, terminal) -> None:
    await terminal.say("/start")
    await terminal.press("Записаться на приём")
    await terminal.press("Транспортная")
    await terminal.press("Консультация")
    channel = terminal.channel
    # A day long past, a holiday, a date that does not exist.
    for forged in ("booking:d:20200107", "booking:d:20260104", "booking:d:20261399"):
        channel.numbered["99"] = forged
        assert "уже не работает" in await terminal.say("99")
    assert "нажмите одну из кнопок" in await terminal.say("дальше")
    await press_first(terminal, DAY_LABEL)
    day_code = next(a for a in channel.numbered.values() if a.startswith("booking:t:"))[10:18]
    # 09:00 is a slot of the other office only (this one opens at 10:00); a past slot;
    # a slot in the break; a malformed code.
    for forged in (
        f"booking:t:{day_code}0900",
        "booking:t:202001071000",
        f"booking:t:{day_code}1300",
        "booking:t:2026",
    ):
        channel.numbered["99"] = forged
        assert "уже не работает" in await terminal.say("99")
    async with app.sessions() as session:
        assert (await session.scalars(select(Booking))).all() == []


async def test_cancel_and_move_from_history(app: App, terminal) -> None:
    await book_in_terminal(terminal)
    history = await terminal.say("/history")
    assert "Запись на приём" in history and "Удалить мои данные" in history
    moved = await terminal.press("Перенести")
    assert "Выберите день" in moved
    await press_first(terminal, DAY_LABEL)
    labels = [label for label in terminal.labels().values() if label[0].isdigit()]
    await terminal.press(labels[-1])
    summary = terminal.out.getvalue().rsplit("Проверьте запись", 1)[-1]
    assert "Переносим запись №" in terminal.out.getvalue() and summary
    done = await terminal.press("Подтвердить")
    assert "запись перенесена" in done
    async with app.sessions() as session:
        rows = (await session.scalars(select(Booking))).all()
    assert [(b.status, b.personal is not None) for b in rows] == [(BOOKED, True)]
    await terminal.say("/history")
    await terminal.press("Отменить")
    assert "Запись №" in await terminal.press("Да, отменить")
    async with app.sessions() as session:
        [booking] = (await session.scalars(select(Booking))).all()
    assert booking.status == CANCELLED and booking.seat is None and booking.personal is None


async def test_someone_elses_booking_is_refused(app: App, terminal) -> None:
    from tests.conftest import Terminal

    await book_in_terminal(terminal)
    async with app.sessions() as session:
        booking_id = await session.scalar(select(Booking.id))
    stranger = Terminal(app, user_id="stranger")
    await stranger.say("/start")
    for verb in ("cx", "cxy", "move", "come"):
        stranger.channel.numbered["99"] = f"booking:{verb}:{booking_id}"
        assert "Не нашёл такую запись" in await stranger.say("99")
    async with app.sessions() as session:
        booking = await session.get(Booking, booking_id)
    assert booking.status == BOOKED


async def test_one_booking_per_service(terminal) -> None:
    await book_in_terminal(terminal)
    await terminal.press("Главное меню")
    await terminal.press("Записаться на приём")
    await terminal.press("Транспортная")
    answer = await terminal.press("Консультация")
    assert "У вас уже есть запись" in answer and "Перенести" in answer


async def test_delete_my_data(app: App, terminal) -> None:
    await book_in_terminal(terminal)
    assert "Удалить ваши данные?" in await terminal.say("удалить мои данные")
    done = await terminal.press("Да, удалить")
    assert "Ваши данные удалены" in done and "Отменено записей: 1" in done
    async with app.sessions() as session:
        rows = (await session.scalars(select(Booking))).all()
    assert [(b.status, b.personal) for b in rows] == [(CANCELLED, None)]


async def test_hold_is_never_offered_to_another(app: App, terminal) -> None:
    from tests.conftest import Terminal

    await terminal.say("/start")
    await terminal.press("Записаться на приём")
    await terminal.press("Речная")
    await press_first(terminal, DAY_LABEL)
    first_day = [a for a in terminal.channel.numbered.values() if a.startswith("booking:t:")]
    await press_first(terminal, TIME_LABEL)
    async with app.sessions() as session:
        [hold] = (await session.scalars(select(Booking))).all()
    assert hold.status == HELD
    other = Terminal(app, user_id="other")
    await other.say("/start")
    await other.press("Записаться на приём")
    await other.press("Речная")
    await press_first(other, DAY_LABEL)
    offered = [a for a in other.channel.numbered.values() if a.startswith("booking:t:")]
    assert first_day[0] not in offered and first_day[1] in offered


async def test_expired_hold_lost_to_another_is_explained(app: App, terminal) -> None:
    from datetime import timedelta

    from tests.conftest import Terminal

    await terminal.say("/start")
    await terminal.press("Записаться на приём")
    await terminal.press("Речная")
    await press_first(terminal, DAY_LABEL)
    await press_first(terminal, TIME_LABEL)
    await terminal.press("Согласен")
    await terminal.press("Без телефона")
    await terminal.press("Без e-mail")  # the summary; now the person wanders off
    async with app.sessions() as session, session.begin():
        hold = await session.scalar(select(Booking))
        hold.held_until = hold.created_at - timedelta(minutes=1)
    other = Terminal(app, user_id="other")
    await other.say("/start")
    await other.press("Записаться на приём")
    await other.press("Речная")
    await press_first(other, DAY_LABEL)
    await press_first(other, TIME_LABEL)  # takes the seat the expired hold had
    answer = await terminal.press("Подтвердить")
    assert "Время ушло" in answer and "ближайшее свободное время" in answer
    # The form is kept: another time goes straight to the summary, then books.
    summary = await press_first(terminal, re.compile(r"^\d\d\.\d\d\.\d{4}"))
    assert "Проверьте запись" in summary
    assert "Готово, вы записаны!" in await terminal.press("Подтвердить")


async def test_a_move_asks_nothing_of_the_form_again(app: App, chat: Person) -> None:
    """Through the reply-level client: a move goes day → time → a short summary → confirm,
    keeps the booking's number and pass data, and offers no way back to other services."""
    await chat.send("/start")
    await chat.press(chat.t("menu-booking"))
    await chat.press(actions.OFFICE.pack("river"))
    await chat.press(_first(chat, actions.DAY, -2))  # far enough ahead to move
    await chat.press(_first(chat, actions.SLOT))
    await chat.press(actions.CONSENT.pack(Answer.NO))
    await chat.press(actions.CONFIRM.pack())
    async with app.sessions() as session:
        booking = await session.scalar(select(Booking))
    await chat.send("/history")
    await chat.press(actions.MOVE.pack(booking.id))
    office = app.booking.schedule.office("river")
    names = {"office": office.name.ru, "service": office.services[0].title.ru}
    assert chat.last.text == chat.t("booking-choose-day", **names)
    assert not any(b.action.startswith("booking:o:") for b in chat.buttons())
    await chat.press(_first(chat, actions.DAY, -1))
    await chat.press(_first(chat, actions.SLOT, -1))
    assert chat.last.text.startswith(chat.t("booking-summary-move", number=booking.id))
    assert actions.RESTART.pack() not in [b.action for b in chat.buttons()]
    await chat.press(chat.t("booking-button-confirm"))
    assert chat.last.attachment is not None and chat.last.attachment.filename.endswith(".ics")
    async with app.sessions() as session:
        [moved] = (await session.scalars(select(Booking))).all()
    assert moved.id == booking.id and moved.starts_at > booking.starts_at
    assert moved.status == BOOKED


def _first(chat: Person, action: Action, index: int = 0) -> str:
    """The code of the first (or `index`-th) button of this kind on screen."""
    prefix = f"{action}:"
    return [b.action for b in chat.buttons() if b.action.startswith(prefix)][index]
