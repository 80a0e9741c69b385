"""The rules of application records: staff add one or move it to another stage (each change
tells the linked person through the outbox and offers them a one-tap rating of the stage just
finished); a person links one with its number and check code, within a few tries a day.
Takes a session, never opens a transaction."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from applications import codes, views
from applications.codes import CodeKey
from applications.models import (
    NOTE_LIMIT,
    SERVICE_LIMIT,
    Application,
    ApplicationStep,
    LinkFailure,
)
from applications.stages import FILE, SHIPPED, Stage, Stages, load_stages
from bot.core import outbox
from bot.core.actions import StaleAction, word
from bot.core.config import Settings
from bot.core.models import Person
from bot.core.ratings import OfferRating, RatingTags, Touchpoint, application_stage

# A person may give a wrong number or code this many times a day ...
PERSON_TRIES = 5
TRIES_WINDOW = timedelta(hours=24)
# ... and one number takes this many wrong codes in all, from anyone, until staff set a new one.
NUMBER_TRIES = 10


class Problem(Exception):
    """A staff request that cannot be done; `key` and `values` make the staff text."""

    def __init__(self, key: str, **args: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = args


class Linked(StrEnum):
    LINKED = "linked"
    ALREADY = "already"  # in the person's list before
    REFUSED = "refused"  # no such number, a wrong code, or someone else's: all alike
    TOO_MANY = "too_many"  # the person's tries for today are used up


@dataclass(frozen=True)
class Change:
    application: Application
    before: Stage | None  # None for a record just added
    stage: Stage


class Office:
    def __init__(self, stages: Stages, key: CodeKey, tz: ZoneInfo, offer: OfferRating) -> None:
        self.stages = stages
        self.key = key
        self.tz = tz
        self.offer = offer

    @classmethod
    def from_settings(cls, settings: Settings, stages: Stages, offer: OfferRating) -> "Office":
        return cls(stages, CodeKey(settings.secret()), settings.tz, offer)

    @staticmethod
    def stages_of(settings: Settings) -> Stages:
        """CONTENT_DIR/applications/stages.yaml, or the demo stages when the office's own
        content has none."""
        folder = settings.content_path("applications", SHIPPED)
        return load_stages(folder if (folder / FILE).is_file() else SHIPPED)

    # --- staff -------------------------------------------------------------------------

    async def find(
        self, session: AsyncSession, number: str, *, lock: bool = False
    ) -> Application | None:
        normal = codes.number(number)
        if normal is None:
            return None
        query = select(Application).where(Application.number == normal)
        return await session.scalar(query.with_for_update() if lock else query)

    async def add(
        self,
        session: AsyncSession,
        number: str,
        service: str,
        code: str | None,
        by: str,
        now: datetime,
        stage: str | None = None,
        note: str | None = None,
    ) -> tuple[Application, str]:
        """A new record at `stage` (the first by default) with its check code: the one given,
        or a new one to hand to the person (returned, never stored in clear)."""
        normal = codes.number(number)
        if normal is None:
            raise Problem("app-error-number", number=number)
        if await self.find(session, normal) is not None:
            raise Problem("app-error-exists", number=normal)
        start = self._stage(stage) if stage else self.stages.first
        note = _note(start, note)
        check = self._code(code) if code else codes.new_code()
        application = Application(
            number=normal,
            service=service_id(service),
            stage=start.id,
            code_hash=self.key.hash(normal, check),
            created_at=now,
        )
        session.add(application)
        await session.flush()
        session.add(
            ApplicationStep(
                application_id=application.id, stage=start.id, note=note, by=by, at=now
            )
        )
        return application, check

    def has_code(self, application: Application, code: str) -> bool:
        check = codes.code(code)
        return check is not None and self.key.matches(
            application.number, check, application.code_hash
        )

    def set_code(self, application: Application, code: str) -> None:
        """A new check code (the old one stops working, the count of wrong ones starts anew)."""
        application.code_hash = self.key.hash(application.number, self._code(code))
        application.failed = 0

    async def advance(
        self,
        session: AsyncSession,
        application: Application,
        stage: str | None,
        note: str | None,
        by: str,
        now: datetime,
    ) -> Change:
        """Move to `stage` (None: the next ordinary one); the linked person is told."""
        before = self.stages.get(application.stage)
        if stage is None:
            target = self.stages.after(application.stage)
            if target is None:
                raise Problem("app-error-no-next", number=application.number)
        else:
            target = self._stage(stage)
        if target.id == application.stage:
            raise Problem("app-error-same", number=application.number, stage=target.title.ru)
        note = _note(target, note)
        application.stage = target.id
        session.add(
            ApplicationStep(
                application_id=application.id, stage=target.id, note=note, by=by, at=now
            )
        )
        change = Change(application, before, target)
        await self._tell(session, change, note, now)
        return change

    async def steps(
        self, session: AsyncSession, application: Application
    ) -> list[ApplicationStep]:
        return list(
            await session.scalars(
                select(ApplicationStep)
                .where(ApplicationStep.application_id == application.id)
                .order_by(ApplicationStep.id)
            )
        )

    async def _tell(
        self, session: AsyncSession, change: Change, note: str | None, now: datetime
    ) -> None:
        """The notice, then (its own message, since a pressed score takes a Telegram
        message's other buttons away) the rating of the stage just finished."""
        application = change.application
        if application.person_id is None:
            return
        person = await session.get(Person, application.person_id)
        if person is None:
            return
        replies = [views.notice(person.locale, application, change.stage, note)]
        if change.before is not None:
            stage = application_stage(change.before.id)
            tags = RatingTags(application.service, Touchpoint.OFFICE, person.channel, stage)
            scores = await self.offer(session, tags, now.astimezone(self.tz).date())
            replies.append(views.rating_ask(person.locale, change.before, scores))
        outbox.enqueue(session, person.channel, person.chat_id, replies)

    def _stage(self, name: str) -> Stage:
        found = self.stages.find(name)
        if found is None:
            known = ", ".join(stage.id for stage in self.stages.stages)
            raise Problem("app-error-stage", stage=name, known=known)
        return found

    @staticmethod
    def _code(text: str) -> str:
        check = codes.code(text)
        if check is None:
            raise Problem("app-error-code")
        return check

    # --- the person --------------------------------------------------------------------

    async def link(
        self, session: AsyncSession, person: Person, number: str, code: str, now: datetime
    ) -> tuple[Linked, Application | None]:
        """Add the application to the person's list if the code is its own. Every way of
        being wrong gives one answer, so a try tells nothing about other people's numbers."""
        await session.execute(
            delete(LinkFailure).where(
                LinkFailure.person_id == person.id, LinkFailure.at < now - TRIES_WINDOW
            )
        )
        if await self.tries_left(session, person) == 0:
            return Linked.TOO_MANY, None
        application = await self.find(session, number, lock=True)
        open_to_tries = application is not None and application.failed < NUMBER_TRIES
        right = open_to_tries and self.has_code(application, code)
        if application is not None and open_to_tries and not right:
            application.failed += 1
        if not right or application is None or application.person_id not in (None, person.id):
            session.add(LinkFailure(person_id=person.id, at=now))
            return Linked.REFUSED, None
        if application.person_id == person.id:
            return Linked.ALREADY, application
        application.person_id = person.id
        return Linked.LINKED, application

    async def tries_left(self, session: AsyncSession, person: Person) -> int:
        """Wrong answers the person may still give today (older ones are dropped by link)."""
        failed = await session.scalar(
            select(func.count(LinkFailure.id)).where(LinkFailure.person_id == person.id)
        )
        return max(PERSON_TRIES - (failed or 0), 0)

    async def mine(self, session: AsyncSession, person: Person) -> list[Application]:
        return list(
            await session.scalars(
                select(Application)
                .where(Application.person_id == person.id)
                .order_by(Application.id.desc())
            )
        )

    async def of_person(
        self, session: AsyncSession, person: Person, application_id: int
    ) -> Application | None:
        """The person's own application with this id; None for anyone else's."""
        application = await session.get(Application, application_id)
        if application is None or application.person_id != person.id:
            return None
        return application


async def forget(session: AsyncSession, person: Person) -> None:
    """ "Удалить мои данные": the person's applications are unlinked, their tries forgotten."""
    await session.execute(
        update(Application).where(Application.person_id == person.id).values(person_id=None)
    )
    await session.execute(delete(LinkFailure).where(LinkFailure.person_id == person.id))


def _note(stage: Stage, note: str | None) -> str | None:
    """The note that goes with reaching `stage`: required for some, never too long."""
    note = (note or "").strip() or None
    if stage.needs_note and note is None:
        raise Problem("app-error-note", stage=stage.title.ru)
    if note is not None and len(note) > NOTE_LIMIT:
        raise Problem("app-error-note-long", length=len(note), limit=NOTE_LIMIT)
    return note


def service_id(service: str) -> str:
    """A service id as the scenarios, the knowledge base and booking name them ("permit")."""
    try:
        found = word(service.strip())
    except StaleAction:
        found = ""
    if not found or len(found) > SERVICE_LIMIT:
        raise Problem("app-error-service", service=service)
    return found
