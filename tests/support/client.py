"""A person talking to the assembled bot at the level of replies, the way aiogram-dialog's
BotClient and Rasa's CollectingOutputChannel test a bot: no messenger, no printed screen.

    async def test_menu(chat: Person) -> None:
        await chat.send("/start")
        assert chat.last.text == chat.t("menu-greeting")
        await chat.press(chat.t("menu-info"))      # a label from the catalog,
        await chat.press("Режим работы")           # a part of one,
        await chat.press("go:info")                # or the button's action code

Expectations compare against the catalog (`chat.t(key, **args)`, in the person's locale), so
a reworded text does not break the tests; the few tests that pin wording on purpose say so.
"""

from collections.abc import Callable
from typing import Any

import pytest

from bot.app import App
from bot.core import texts
from bot.core.messages import Button, Channel, FileRef, Incoming, Reply, Unsupported
from bot.core.outbox import Progress


class Recorder:
    """A Sender that keeps what the outbox delivered, chat by chat."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Reply]] = []

    async def send(self, chat_id: str, reply: Reply, progress: Progress | None = None) -> None:
        self.sent.append((chat_id, reply))


def recorder(app: App, channel: str) -> Recorder:
    """The recording sender of `channel` in this app, installed on first use."""
    sender = app.senders.setdefault(channel, Recorder())
    assert isinstance(sender, Recorder), f"{channel} already has a real sender: {sender!r}"
    return sender


class Person:
    """One person in one channel. `replies` are the newest messages the bot sent them (the
    answer to their last message, or what `delivered()` brought); `press` looks for buttons
    under the newest messages that had any, as a chat keeps the last keyboard on screen."""

    def __init__(
        self,
        app: App,
        user_id: str = "tester",
        *,
        channel: str = Channel.CONSOLE,
        locale: str = "ru",
    ) -> None:
        self.app = app
        self.user_id = user_id
        self.channel = channel
        # The messenger's language hint (used by the bot on a first visit) and the catalog `t`
        # reads; set it when the person switches language in the bot.
        self.locale = locale
        self.replies: list[Reply] = []
        self.keyboard: list[Reply] = []
        self._delivered = 0

    # What the person does

    async def handle(self, **fields: Any) -> list[Reply] | None:
        """Any Incoming from this person (text=, action=, files=, update_id= ...); the bot's
        replies, or None for an update it had already seen."""
        incoming = Incoming(self.channel, self.user_id, self.user_id, locale=self.locale, **fields)
        replies = await self.app.engine.handle(incoming)
        if replies is not None:
            self._show(replies)
        return replies

    async def send(self, text: str, files: tuple[FileRef, ...] = ()) -> list[Reply]:
        return await self._answered(text=text, files=files)

    async def send_unsupported(self, kind: Unsupported = Unsupported.STICKER) -> list[Reply]:
        """A sticker, a voice message, a location ... anything the bot cannot read."""
        return await self._answered(unsupported=kind)

    async def press(self, label_or_action: str) -> list[Reply]:
        """Press a button of the newest keyboard: by its action code, its label, or a part of
        its label (the first such button)."""
        return await self._answered(action=self.button(label_or_action).action)

    # What the person sees

    @property
    def last(self) -> Reply:
        assert self.replies, "the bot has not answered yet"
        return self.replies[-1]

    @property
    def text(self) -> str:
        """All of the newest messages' texts, one after another."""
        return "\n".join(reply.text for reply in self.replies)

    def buttons(self) -> list[Button]:
        return [button for reply in self.keyboard for row in reply.buttons for button in row]

    def labels(self) -> list[str]:
        return [button.text for button in self.buttons()]

    def button(self, label_or_action: str) -> Button:
        shown = self.buttons()
        for matches in (
            lambda b: b.action == label_or_action,
            lambda b: b.text == label_or_action,
            lambda b: label_or_action in b.text,
        ):
            found = [button for button in shown if matches(button)]
            if found:
                return found[0]
        listed = "\n".join(f"  {b.text!r} -> {b.action!r}" for b in shown) or "  (none)"
        raise AssertionError(f"no button {label_or_action!r}; the buttons are:\n{listed}")

    def t(self, key: str, **args: object) -> str:
        """The catalog's text `key` in this person's locale."""
        return texts.text(self.locale, key, **args)

    async def delivered(self) -> list[Reply]:
        """Messages the bot sent on its own (reminders, staff answers) that the outbox has for
        this person: delivers what is due and returns what is new since the last look."""
        sent = recorder(self.app, self.channel)
        while await self.app.outbox.run_once():
            pass
        mine = [reply for chat_id, reply in sent.sent if chat_id == self.user_id]
        new = mine[self._delivered :]
        self._delivered = len(mine)
        if new:
            self._show(new)
        return new

    # Plumbing

    async def _answered(self, **fields: Any) -> list[Reply]:
        # No update id, as in the console channel: every call is a new message.
        replies = await self.handle(**fields)
        assert replies is not None, "the bot took a new message for a repeated one"
        return replies

    def _show(self, replies: list[Reply]) -> None:
        self.replies = replies
        if any(reply.buttons for reply in replies):
            self.keyboard = replies


People = Callable[..., Person]


@pytest.fixture
def people(app: App) -> People:
    """A factory: `people("ivan")`, `people("olga", channel="vk", locale="en")`."""

    def person(user_id: str, **options: Any) -> Person:
        return Person(app, user_id, **options)

    return person


@pytest.fixture
def chat(app: App) -> Person:
    """The person most tests need: Russian, in the console channel like `priemnaya chat`."""
    return Person(app)
