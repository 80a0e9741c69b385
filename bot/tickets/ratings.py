"""One anonymous score per ticket, asked once: when the first staff answer reaches the person
(a public comment's author in private, where the bot may write to them), or when the ticket
closes if no answer did. The score and its optional comment are stored with no link to the
ticket or the person; the ticket keeps only how far its rating went (Ticket.rating), so a
second tap finds it done."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.models import Conversation, Person
from bot.core.outbox import enqueue
from bot.core.privacy import scrub
from bot.core.ratings import RatingTags, RecordRating, Stage, Touchpoint
from bot.tickets import cards
from bot.tickets.models import TEXT_LIMIT, RatingComment, Ticket
from bot.tickets.relay import SOURCE_CHANNEL

RATING_SERVICE = "tickets"
# Ticket.rating: what was asked (ASKED: after an answer, OFFERED: at closing; each one's
# buttons work only in its state) and RATED once a score was given.
NOT_RATED, ASKED, OFFERED, RATED = "none", "asked", "offered", "done"


async def private_chat(session: AsyncSession, person: Person) -> bool:
    """Whether the person has written to the bot in private: Telegram and VK let a bot write
    first only to them (a commenter who never did cannot be reached there)."""
    return await session.get(Conversation, person.id) is not None


class TicketRatings:
    def __init__(self, record_rating: RecordRating, tz: ZoneInfo) -> None:
        self.record_rating = record_rating
        self.tz = tz

    async def rate(
        self, session: AsyncSession, ticket: Ticket, score: int, now: datetime, stage: Stage
    ) -> None:
        ticket.rating = RATED
        person = await session.get(Person, ticket.person_id)
        channel = person.channel if person is not None else ""
        public = ticket.source in SOURCE_CHANNEL
        touchpoint = Touchpoint.PUBLIC_COMMENT if public else Touchpoint.MESSENGER
        tags = RatingTags(RATING_SERVICE, touchpoint, channel, stage)
        await self.record_rating(session, tags.rating(score, now.astimezone(self.tz).date()))

    async def comment(self, session: AsyncSession, kind: str, text: str, now: datetime) -> None:
        session.add(
            RatingComment(
                service=RATING_SERVICE,
                stage=kind,
                text=scrub(text)[:TEXT_LIMIT],
                rated_on=now.astimezone(self.tz).date(),
            )
        )

    async def ask(self, session: AsyncSession, ticket: Ticket) -> None:
        """A staff answer reached the person (or was posted under their public comment):
        they are asked to rate it, once per ticket; a commenter in private, where the bot
        may write to them."""
        person = await session.get(Person, ticket.person_id)
        assert person is not None
        public = ticket.source in SOURCE_CHANNEL
        if public and not await private_chat(session, person):
            return
        ticket.rating = ASKED
        rating = cards.answer_rating(person.locale, ticket.id, public=public)
        enqueue(session, person.channel, person.chat_id, [rating])
