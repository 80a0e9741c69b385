"""What a feature is to the core: the Feature protocol and the Context it handles one
Incoming in. Features declare their own commands, typed words and routes; the core names
none of them except the menu, which every bot has."""

from abc import ABC
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import clock, outbox, texts
from bot.core.actions import StaleAction, code
from bot.core.config import Settings
from bot.core.messages import Button, Incoming, Reply
from bot.core.models import Conversation, Interaction, Person

MENU = "menu"
GO = "go"  # "go:<feature>" opens a feature from any state


class TextNotExpected(Exception):
    """The feature that owns the state has no use for free text: it is taken as a question
    from the main menu instead (answered from the knowledge base), never dropped."""


def go(feature: str) -> str:
    """The action code that opens `feature`."""
    return code(GO, feature)


@dataclass
class Context:
    """What a feature sees while it handles one Incoming."""

    session: AsyncSession
    person: Person
    conversation: Conversation
    incoming: Incoming
    settings: Settings
    now: datetime = field(default_factory=clock.now)

    @property
    def locale(self) -> str:
        return self.person.locale

    def t(self, key: str, **args: object) -> str:
        return texts.text(self.locale, key, **args)

    def button(self, key: str, action: str, **args: object) -> Button:
        """A button labelled from the catalog; `action` is a packed code (Action.pack, go)."""
        return Button(self.t(key, **args), action)

    def menu_button(self) -> Button:
        return self.button("button-menu", go(MENU))

    def goto(self, feature: str, step: str = "", data: dict[str, Any] | None = None) -> None:
        self.conversation.feature = feature
        self.conversation.step = step
        self.conversation.data = data or {}

    def log(self, event: str, ref: str | None = None) -> None:
        self.session.add(
            Interaction(
                person_id=self.person.id, channel=self.person.channel, event=event, ref=ref
            )
        )

    def notify(self, person: Person, replies: Sequence[Reply]) -> None:
        """Queue messages to someone (this person or another) for the outbox worker."""
        outbox.enqueue(self.session, person.channel, person.chat_id, replies)


class Feature(ABC):
    """One section of the bot. `name` is its state key and its action prefix."""

    name: ClassVar[str]
    # Commands and typed words that open this section from any state, matched after
    # lower-casing and trimming ("/kb", "удалить мои данные").
    commands: ClassVar[tuple[str, ...]] = ()
    # Photos and documents reach on_text (text = caption, files in ctx.incoming.files)
    # only for features that take them; the rest answer "unsupported".
    accepts_files: ClassVar[bool] = False
    # Opened again while it owns the person's state, the section keeps that state, so that
    # enter() can offer to go on (a survey half answered); others start afresh.
    resumes: ClassVar[bool] = False

    def routes(self) -> set[str]:
        """Features this one opens with go:<name> buttons; each must exist at start-up."""
        return set()

    async def enter(self, ctx: Context) -> list[Reply]:
        """The person opened this section from the menu or another section."""
        raise NotImplementedError

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        """Free text while this section owns the person's state."""
        raise TextNotExpected

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        """A button of this section; raise StaleAction for one that does not fit the state."""
        raise StaleAction(verb)

    async def repeat(self, ctx: Context) -> list[Reply]:
        """The question the person is at, asked again (after a sticker or a voice message at
        a form's prompt); [] when this section is asking nothing."""
        return []
