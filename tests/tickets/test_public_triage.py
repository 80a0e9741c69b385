"""The classifier on its own: each rule of bot/tickets/public/triage.py, with the shipped
lists and the knowledge base's lemmatiser, and an office's own list."""

from pathlib import Path

import pytest

from bot.core.content import ContentError
from bot.tickets.public.triage import SHIPPED, Skip, Triage
from knowledge_base.words import lemmas_of

TRIAGE = Triage.load(SHIPPED, lemmas_of)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", Skip.EMPTY),
        ("👍👍👍", Skip.NO_WORDS),
        ("+", Skip.NO_WORDS),
        ("!!!", Skip.NO_WORDS),
        ("Спасибо!", Skip.THANKS),
        ("спасибо большое за информацию", Skip.THANKS),
        ("Благодарим за оперативность", Skip.THANKS),  # another form of "благодарить"
        ("благодарна вам", Skip.THANKS),
        ("спс)", Skip.THANKS),
        ("[club1|Управление], спасибо", Skip.THANKS),
        ("@priemnaya_bot спасибо", Skip.THANKS),
        ("Заработок в интернете от 5000 в день", Skip.SPAM),
        ("Подробности тут: http://cheap-pills.xyz/buy, недорого и быстро", Skip.SPAM),
        ("vk.com/club1 👍", Skip.SPAM),  # a known site, but nothing else said
        ("ааааааааа", Skip.SPAM),
        ("Аааааааааа!!!", Skip.SPAM),  # the run is the whole comment
        ("Заработок, пишите в лс", Skip.SPAM),
        ("Пассивный доход без вложений", Skip.SPAM),
        ("Скидки до 90% на shop-sale.xyz", Skip.SPAM),  # an unknown site, a few words
    ],
)
def test_comments_that_need_no_answer(text: str, reason: Skip) -> None:
    assert TRIAGE.skip(text) == reason


@pytest.mark.parametrize(
    "text",
    [
        "Когда приём в субботу?",
        "Спасибо, а когда откроют пункт?",  # thanks with a question
        "Спасибо, но сайт опять не работает",  # thanks with a complaint
        "Почему не отвечаете!!!",
        "Ооооочень долго отвечаете",  # emphasis, not a run of six
        "На gosuslugi.ru написано, что запись закрыта. Это так?",  # a known site, with words
        "Очередь на два часа, это безобразие",
        # Set aside as spam by the first rules (issue 13's review): each is a real question.
        "Штраф 1000000 рублей за что?",  # digits in a row are a sum, not a run
        "Ужасссссссс, третий день жду ответа",  # a drawn-out letter in one word of five
        "На сайте мвд.рф написано по-другому, как быть?",  # a government site in .рф
        "На nalog.ru другая информация. Кто прав?",
        "Облагается ли доход от продажи машины",  # "доход от" is no advertisement
        "пишите в лс, у меня вопрос про лицензию",  # "пишите в лс" with "вопрос"
        # Any doubt is a ticket: a question mark, or more than a few words, is never spam.
        "Это ваш сайт cheap-permits.xyz? Там берут деньги за запись",
        "На сайте mintrans-region.org написано, что пункт закрыт до понедельника, а у вас"
        " на странице совсем другое",
        "1111111",  # a number, maybe of an application
        "Госуслуги.рф не работает",  # a known site and two words: a complaint
        "пишите в лс, мне нужна помощь с лицензией",
    ],
)
def test_questions_and_complaints_need_an_answer(text: str) -> None:
    assert TRIAGE.skip(text) is None


def test_an_office_list_is_content_with_its_line_named(tmp_path: Path) -> None:
    own = tmp_path / "public.yaml"
    own.write_text("thanks: [мерси]\nfillers: [большое]\n", encoding="utf-8")
    triage = Triage.load(own, lemmas_of)
    assert triage.skip("Мерси большое") == Skip.THANKS
    assert triage.skip("Спасибо") is None  # the office's list replaces the shipped one
    own.write_text("thanks: []\nfillers: [большое]\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"public\.yaml:1: thanks"):
        Triage.load(own, lemmas_of)
