"""Staff roles: who may moderate the knowledge base or answer tickets. Managed from the
command line (`priemnaya staff add|remove|list`) by the office's IT person."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, UniqueConstraint, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.core import clock, texts
from bot.core.models import Base, Person


class Role(StrEnum):
    MODERATOR = "moderator"  # edits knowledge-base answers
    STAFF = "staff"  # answers citizens' tickets
    SUPERVISOR = "supervisor"  # receives breaches and tickets past the transfer cap


# The one outbox destination for messages to staff. Features address it with chat ids below;
# only the channels know where it is (the Telegram staff supergroup: a ticket's forum topic,
# the general thread, or a member's private chat).
STAFF = "staff"
STAFF_LOCALE = "ru"  # what the bot writes to staff in (the office's working language)
GENERAL = "general"  # chat id: the staff chat itself (the pass list, daily notices)


def ticket_topic(number: int) -> str:
    """Chat id of a ticket's own thread (today's rows: the bare ticket number)."""
    return str(number)


MEMBER = "member:"


def member(external_id: str) -> str:
    """Chat id of one staff member personally (a reminder to whoever took the ticket)."""
    return f"{MEMBER}{external_id}"


def member_of(chat_id: str) -> str | None:
    """For a channel: the staff member a chat id names, or None for any other chat id."""
    return chat_id.removeprefix(MEMBER) if chat_id.startswith(MEMBER) else None


class StaffMember(Base):
    __tablename__ = "staff_members"
    __table_args__ = (UniqueConstraint("channel", "external_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    # How colleagues and the audit trail name this person (e.g. "Иванова А. П.").
    name: Mapped[str] = mapped_column(String(100))
    # Signs their answers where the office wants it (STAFF_SIGNATURE), e.g. "ведущий специалист".
    position: Mapped[str | None] = mapped_column(String(100), default=None)
    added_at: Mapped[datetime] = mapped_column(default=clock.now)


async def staff_name(session: AsyncSession, person: Person, role: Role) -> str | None:
    """The person's staff name if they hold `role`, else None."""
    member = await staff_member(session, person, role)
    return None if member is None else member.name


async def staff_member(session: AsyncSession, person: Person, role: Role) -> StaffMember | None:
    return await session.scalar(
        select(StaffMember).where(
            StaffMember.channel == person.channel,
            StaffMember.external_id == person.external_id,
            StaffMember.role == role,
        )
    )


def signed(locale: str, text: str, signature: str, name: str, position: str | None) -> str:
    """A staff member's words to a person with their name (and position) under it, as the
    office's STAFF_SIGNATURE says: "name", "name_position" or "none"."""
    if signature == "none":
        return text
    full = signature == "name_position" and position
    key = "staff-signature-position" if full else "staff-signature"
    line = texts.text(locale, key, name=name, position=position or "")
    return f"{text}\n\n{line}" if text else line


async def add(
    session: AsyncSession,
    channel: str,
    external_id: str,
    role: Role,
    name: str,
    position: str | None = None,
) -> bool:
    """Grant a role; False if the person already has it (the name, and the position when
    given, are updated)."""
    member = await session.scalar(
        select(StaffMember).where(
            StaffMember.channel == channel,
            StaffMember.external_id == external_id,
            StaffMember.role == role,
        )
    )
    if member is not None:
        member.name = name
        member.position = position or member.position
        return False
    session.add(
        StaffMember(
            channel=channel, external_id=external_id, role=role, name=name, position=position
        )
    )
    return True


async def remove(session: AsyncSession, channel: str, external_id: str, role: Role) -> bool:
    result = await session.execute(
        delete(StaffMember).where(
            StaffMember.channel == channel,
            StaffMember.external_id == external_id,
            StaffMember.role == role,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def members(session: AsyncSession) -> list[StaffMember]:
    return list(
        await session.scalars(select(StaffMember).order_by(StaffMember.role, StaffMember.name))
    )
