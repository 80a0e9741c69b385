"""Promises in the answers checked against what the bot does: the commands it registers, the
sections and buttons it shows, and the figures of its settings (reply limits, booking rules).

The assembly gathers the `Facts` (this feature knows neither the menu nor the schedule); the
test of the shipped base and `priemnaya kb check` for an office's own base both call
`check_promises`, so a moderator sees the problems the test would fail on. Other texts the
bot shows citizens (the public pages' rules of /rules) come as `Passage`s to `check_texts`."""

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from knowledge_base.entries import Entry


@dataclass(frozen=True)
class Facts:
    commands: frozenset[str]  # "/start", "/history", ...
    labels: Mapping[str, frozenset[str]]  # locale -> sections, buttons, typed words (lower case)
    reply_limits: frozenset[timedelta]  # the first-reply limits of the ticket kinds
    working_hours: bool | None  # the limits count in office hours; None: it differs by kind
    cancel_notice: timedelta
    horizon_days: int
    reminder_hours: frozenset[int]


@dataclass(frozen=True)
class Passage:
    """A text shown to citizens, checked as a whole: a promise's figures may be in one
    sentence and "in working hours" in the next."""

    where: str  # named in each problem: "reply_deadlines_social (answer_ru)"
    locale: str
    title: str  # what the text is about ("Отмена записи"): figures are read against it
    text: str


_FIELDS = {"answer_ru": ("ru", "title_ru"), "answer_en": ("en", "title_en")}
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n")
_COMMAND = re.compile(r"(?<![\w/.:@-])/[a-z][a-z_]*")
_QUOTED = {"ru": re.compile(r"«([^»]+)»"), "en": re.compile(r"[\"“]([^\"”]+)[\"”]")}
# A quoted name is a claim about the bot only in a sentence about the bot's buttons and
# sections, not about the website's or Gosuslugi's.
_ABOUT_BOT = {
    "ru": re.compile(r"бот|кнопк|нажмите|выберите|откройте|раздел|напишите", re.I),
    "en": re.compile(r"\bbot\b|button|press|tap|choose|open|section|type\b", re.I),
}
_ELSEWHERE = re.compile(r"сайт|госуслуг|портал|website|site\b|gosuslugi|portal", re.I)

_UNIT_HOURS = {"час": 1, "hour": 1, "сут": 24, "день": 24, "дн": 24, "day": 24}
_AMOUNT = r"\b(\d+|одн\w*|один|a|an|one)\s+(?:рабоч\w*\s+|working\s+)?"
_UNIT = r"(час\w*|сут\w*|день|дн\w*|hours?|days?)"
_AMOUNT_UNIT = re.compile(_AMOUNT + _UNIT, re.I)
_BARE = re.compile(r"\bза (?:сутки|день)\b", re.I)

_CANCEL = re.compile(r"отмен|перен[её]с|перенест|cancel|move|reschedul", re.I)
_BEFORE = re.compile(r"\bза\b|before|at least|не позднее|не позже", re.I)
_REMIND = re.compile(r"напомин|remind", re.I)
_REPLY = re.compile(r"ответ|отвеча|answer|repl", re.I)
_DEADLINE = re.compile(r"(?:через|в течение|within)\s+" + _AMOUNT + r"(час\w*|hours?)", re.I)
_HORIZON = re.compile(
    r"на\s+(\d+)\s+(?:дн\w*|сут\w*)\s+вперёд|(\d+)\s+days\s+ahead|вперёд\s+на\s+(\d+)", re.I
)
_COUNTS = re.compile(r"срок|считают|сотрудник|count|staff|limit", re.I)
_WORKING_TIME = re.compile(r"рабоч\w+ врем|working (?:hours|time)", re.I)
_CONFIRMATION = re.compile(r"(?:подтвержд|confirm)\w*.*(?:почт|e-?mail)", re.I)
_IF_GIVEN = re.compile(r"если|где|указал|\bif\b|where|gave|given", re.I)
_ROUND_CLOCK = re.compile(r"круглосуточн|round the clock|24/7|day and night", re.I)


def check_promises(entries: Sequence[Entry], facts: Facts) -> list[str]:
    """One line per promise the bot does not keep: `entry_id (answer_ru): reason`."""
    return check_texts(
        [
            Passage(f"{entry.id} ({field})", locale, getattr(entry, title), getattr(entry, field))
            for entry in entries
            for field, (locale, title) in _FIELDS.items()
        ],
        facts,
    )


def check_texts(passages: Iterable[Passage], facts: Facts) -> list[str]:
    """One line per promise the bot does not keep: `where: reason: 'sentence'`."""
    problems = []
    for passage in passages:
        sentences = [part.strip() for part in _sentences(passage.text)]
        for sentence in sentences:
            problems += [
                f"{passage.where}: {reason}: {sentence!r}"
                for reason in _problems(sentence, passage.title, passage.locale, facts)
            ]
        problems += [
            f"{passage.where}: {reason}: {sentence!r}"
            for sentence, reason in _unsaid(sentences, facts)
        ]
    return problems


def _unsaid(sentences: list[str], facts: Facts) -> Iterator[tuple[str, str]]:
    """A reply limit promised with nothing in the text saying that it counts in working
    hours, while it does: "ответим в течение 2 часов" read at eight in the evening."""
    if not facts.working_hours or any(_WORKING_TIME.search(s) for s in sentences):
        return
    for sentence in sentences:
        if _REPLY.search(sentence) and _DEADLINE.search(sentence):
            yield sentence, "the reply limits count in working hours (sla.yaml); say so"


def _sentences(answer: str) -> Iterator[str]:
    return (part for part in _SENTENCE.split(answer) if part.strip())


def _problems(sentence: str, title: str, locale: str, facts: Facts) -> Iterator[str]:
    for command in _COMMAND.findall(sentence):
        if command not in facts.commands:
            yield f"the bot has no command {command}"
    if _ABOUT_BOT[locale].search(sentence) and not _ELSEWHERE.search(sentence):
        for name in _QUOTED[locale].findall(sentence):
            if name.strip().lower() not in facts.labels[locale]:
                yield f"the bot has no section or button {name!r}"
    if _CONFIRMATION.search(sentence) and not _IF_GIVEN.search(sentence):
        yield "a confirmation goes by e-mail only to an address the person gave; say so"
    # "Сделайте это за 1 день" under the title "Отмена записи": the title names the topic.
    yield from _figures(sentence, f"{title}. {sentence}", facts)


def _figures(sentence: str, topic: str, facts: Facts) -> Iterator[str]:
    if _REMIND.search(topic):
        for hours in _durations(sentence):
            if hours not in facts.reminder_hours:
                yield f"reminders come {_list(facts.reminder_hours)} h before, not {hours} h"
    elif _CANCEL.search(topic) and _BEFORE.search(sentence):
        notice = facts.cancel_notice / timedelta(hours=1)
        for hours in _durations(sentence):
            if hours != notice or re.search(r"рабоч|working", sentence, re.I):
                yield f"cancelling takes {notice:g} h notice (schedule.yaml), not this"
    for match in _HORIZON.finditer(sentence):
        days = int(next(group for group in match.groups() if group))
        if days != facts.horizon_days:
            yield f"booking opens {facts.horizon_days} days ahead (schedule.yaml), not {days}"
    if _REPLY.search(sentence):
        limits = {int(limit / timedelta(hours=1)) for limit in facts.reply_limits}
        for match in _DEADLINE.finditer(sentence):
            hours = _number(match.group(1))
            if hours not in limits:
                yield f"staff reply within {_list(limits)} h (sla.yaml), not {hours} h"
    if _COUNTS.search(sentence):
        if _WORKING_TIME.search(sentence) and facts.working_hours is False:
            yield "the reply limits run round the clock (sla.yaml), not in working hours"
        if _ROUND_CLOCK.search(sentence) and facts.working_hours:
            yield "the reply limits count in working hours (sla.yaml), not round the clock"


def _durations(sentence: str) -> list[int]:
    """Hours of every "за 3 часа", "1 рабочий день", "за сутки", "24 hours" in the sentence."""
    found = [
        _number(amount) * next(v for k, v in _UNIT_HOURS.items() if unit.lower().startswith(k))
        for amount, unit in _AMOUNT_UNIT.findall(sentence)
    ]
    return found + [24 for _ in _BARE.findall(sentence)]


def _number(amount: str) -> int:
    return int(amount) if amount.isdigit() else 1


def _list(values: frozenset[int] | set[int]) -> str:
    return ", ".join(str(value) for value in sorted(values))
