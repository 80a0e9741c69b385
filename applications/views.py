"""What the person and staff are shown about applications: pure, data in, text or Reply out.
Built for a locale, not a Context, since stage notices go out through the outbox."""

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from applications.models import Application, ApplicationStep
from applications.stages import Stage, Stages
from bot.core import texts
from bot.core.feature import go
from bot.core.messages import Button, Reply, buttons
from bot.core.staff import STAFF_LOCALE

FEATURE = "applications"


def staff_text(key: str, **args: object) -> str:
    return texts.text(STAFF_LOCALE, key, **args)


def title(stages: Stages, stage_id: str, locale: str) -> str:
    """A stage's title; a stage the file no longer lists shows its id."""
    stage = stages.get(stage_id)
    return stage.title.get(locale) if stage is not None else stage_id


def line(locale: str, stages: Stages, application: Application, service: str | None) -> str:
    """One application in a list: its number, service and stage."""
    key = "app-line-service" if service else "app-line"
    stage = title(stages, application.stage, locale)
    return texts.text(locale, key, number=application.number, service=service or "", stage=stage)


def card(
    locale: str,
    stages: Stages,
    application: Application,
    steps: Sequence[ApplicationStep],
    service: str | None,
    tz: ZoneInfo,
) -> str:
    """One application with the date of each stage and the current stage's note."""
    history = "\n".join(
        texts.text(
            locale,
            "app-step",
            date=f"{step.at.astimezone(tz):%d.%m.%Y}",
            stage=title(stages, step.stage, locale),
        )
        for step in steps
    )
    parts = [
        texts.text(
            locale,
            "app-card-service" if service else "app-card",
            number=application.number,
            service=service or "",
            stage=title(stages, application.stage, locale),
        ),
        history,
    ]
    if steps and steps[-1].note:  # what the current stage asks of the person
        parts.append(texts.text(locale, "app-notice-note", note=steps[-1].note))
    return "\n".join(parts)


def notice(locale: str, application: Application, stage: Stage, note: str | None) -> Reply:
    """The person is told of a new stage; a note (what is missing, why refused and what to do
    instead) comes with it."""
    text = texts.text(
        locale,
        "app-notice",
        number=application.number,
        stage=stage.title.get(locale),
        notice=stage.notice.get(locale),
    )
    if note is not None:
        text = f"{text}\n\n{texts.text(locale, 'app-notice-note', note=note)}"
    mine = Button(texts.text(locale, "app-button-list"), go(FEATURE))
    return Reply(text, buttons(mine))


def rating_ask(locale: str, finished: Stage, scores: tuple[Button, ...]) -> Reply:
    return Reply(texts.text(locale, "app-rate", stage=finished.title.get(locale)), (scores,))


def staff_card(
    stages: Stages, application: Application, steps: Sequence[ApplicationStep], tz: ZoneInfo
) -> str:
    """For staff and the command line: the record with who moved it when, and whether the
    person follows it (never who they are)."""
    rows = [
        staff_text(
            "app-staff-step",
            at=f"{step.at.astimezone(tz):%d.%m.%Y %H:%M}",
            stage=title(stages, step.stage, STAFF_LOCALE),
            by=step.by,
        )
        + (f": {step.note}" if step.note else "")
        for step in steps
    ]
    head = staff_text(
        "app-staff-card",
        number=application.number,
        service=application.service,
        stage=title(stages, application.stage, STAFF_LOCALE),
        linked="yes" if application.person_id is not None else "no",
        failed=application.failed,
    )
    return "\n".join([head, *rows])
