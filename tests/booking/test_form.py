"""Checks of typed form fields: clean values in, a plain reason out."""

import pytest

from bot.booking import form


@pytest.mark.parametrize(
    ("text", "value"),
    [("  Иванова  ", "Иванова"), ("Салтыков-Щедрин", "Салтыков-Щедрин"), ("O'Neil", "O'Neil")],
)
def test_names(text: str, value: str) -> None:
    assert form.name(text) == value


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Я" * 500, "booking-bad-name-long"),
        ("<script>", "booking-bad-name"),
        ("Иван_ов", "booking-bad-name"),
        ("Анна 😀", "booking-bad-name"),
        ("Петр1", "booking-bad-name"),
        ("", "booking-bad-name"),
    ],
)
def test_bad_names(text: str, key: str) -> None:
    with pytest.raises(form.Invalid) as error:
        form.name(text)
    assert error.value.key == key


def test_documents() -> None:
    assert form.document("ru", "45 10 123456") == "4510 123456"
    assert form.document("foreign", "ab 12-345") == "AB12345"
    assert form.document("other", "Вид на жительство № 82 123") == "Вид на жительство № 82 123"
    for doc_type, text in (("ru", "4510 12345"), ("ru", "4510 12345O"), ("foreign", "AB1")):
        with pytest.raises(form.Invalid):
            form.document(doc_type, text)


def test_contacts_and_plate() -> None:
    assert form.phone("8 (912) 345-67-89") == "+79123456789"
    assert form.phone("9123456789") == "+79123456789"
    assert form.plate("a 123 bc 77") == "А123ВС77"
    assert form.email(" anna@mail.ru ") == "anna@mail.ru"
    for check, text in ((form.phone, "12-34"), (form.email, "anna@"), (form.plate, "🚗")):
        with pytest.raises(form.Invalid):
            check(text)
    assert form.masked("4510 123456") == "…3456"
