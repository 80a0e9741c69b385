""" "Оценить качество": the surveys open to this person today, then one question per message.

The survey half answered lives in the person's conversation row (state.Taking), so a restart
loses nothing; opening the section again, or writing after a break, offers to go on. Partial
answers are kept nowhere else, and go when the person leaves for another section (or sends
/cancel) and two days after the last answer (the housekeeping that drops half-filled forms).
The last answer sends them all at once to the anonymous tables (store.submit). Nothing is
written to the interaction log: an event per answer could be lined up with the answers.
Every button is checked against the saved state: a stale or forged one raises StaleAction.
"""

from dataclasses import replace
from datetime import date, timedelta

from bot.core.actions import StaleAction
from bot.core.feature import MENU, Context, Feature, TextNotExpected
from bot.core.messages import Reply
from surveys import state, views
from surveys.actions import (
    ANEW,
    ANSWER,
    BACK,
    DONE,
    FEATURE,
    GO_ON,
    LIST,
    ON_QUESTION,
    OPEN,
    SKIP,
    TOGGLE,
)
from surveys.openings import Openings
from surveys.ports import TypedNames
from surveys.questionnaire import SCALES, Kind, Question, Survey
from surveys.state import Taking, Value
from surveys.store import has_taken, submit

# A message this long after the last answer is someone coming back: first "go on?".
BREAK = timedelta(hours=1)


class SurveyFeature(Feature):
    name = FEATURE
    resumes = True

    def routes(self) -> set[str]:
        return {"stats", "changes"}  # the published results, what changed because of them

    def __init__(self, openings: Openings, names: TypedNames) -> None:
        self.openings = openings
        self.surveys = openings.surveys
        self.names = names

    # ---------------------------------------------------------------- entering, typing

    async def enter(self, ctx: Context) -> list[Reply]:
        found = self._taking(ctx)
        if found is not None:
            return [self._resume(ctx, *found)]
        return await self._list(ctx)

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        if ctx.conversation.step == state.LIST:
            raise TextNotExpected  # a question for the knowledge base
        found = self._taking(ctx)
        if found is None:
            return [views.notice(ctx.locale, "survey-changed"), *await self._list(ctx)]
        survey, taking = found
        if ctx.conversation.step == state.RESUME or self._after_break(ctx):
            return [self._resume(ctx, survey, taking)]
        shown = state.on_screen(survey, taking)
        assert shown is not None  # _taking checked it
        typed = text.strip()
        if shown.kind != Kind.TEXT:
            # "4" typed for a score, an option's words for a choice: as good as the button.
            value = _typed(shown, typed)
            if value is None:
                use_buttons = views.notice(ctx.locale, "survey-use-buttons")
                return [use_buttons, self._ask(ctx, survey, taking)]
            return await self._answer(ctx, survey, taking, value)
        if not typed:
            return [views.notice(ctx.locale, "survey-use-buttons"), self._ask(ctx, survey, taking)]
        if len(typed) > shown.max_length:
            too_long = views.notice(
                ctx.locale, "survey-too-long", limit=shown.max_length, length=len(typed)
            )
            return [too_long, self._ask(ctx, survey, taking)]
        return await self._answer(ctx, survey, taking, typed)

    async def repeat(self, ctx: Context) -> list[Reply]:
        """After a sticker or a file: the question again (or "go on?" after a break)."""
        found = self._taking(ctx)
        if found is None:
            return await self._list(ctx)
        if ctx.conversation.step == state.RESUME or self._after_break(ctx):
            return [self._resume(ctx, *found)]
        return [self._ask(ctx, *found)]

    # ---------------------------------------------------------------- buttons

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        if ctx.conversation.feature != self.name:
            raise StaleAction(verb)
        if verb == LIST.verb:
            LIST.unpack(args)
            return await self._list(ctx)
        if verb == OPEN.verb:
            return await self._open(ctx, *OPEN.unpack(args))
        if verb == GO_ON.verb:
            survey, taking = self._current(ctx, *GO_ON.unpack(args))
            return [self._ask(ctx, survey, taking)]
        if verb == ANEW.verb:
            survey, _ = self._current(ctx, *ANEW.unpack(args))
            return await self._open(ctx, survey.id)
        action = ON_QUESTION.get(verb)
        if action is None:
            raise StaleAction(verb)
        survey_id, number, *value = action.unpack(args)
        survey, taking = self._current(ctx, survey_id)
        if number >= len(survey.questions) or survey.questions[number].id != taking.at:
            raise StaleAction(verb)  # a button of another question than the one on screen
        return await self._on_question(ctx, verb, survey, taking, *value)

    async def _on_question(
        self, ctx: Context, verb: str, survey: Survey, taking: Taking, *value: int
    ) -> list[Reply]:
        shown = state.on_screen(survey, taking)
        assert shown is not None  # _taking checked it
        if verb == SKIP.verb:
            return await self._answer(ctx, survey, taking, None)
        if verb == ANSWER.verb:
            return await self._answer(ctx, survey, taking, _pressed(shown, value[0]))
        if verb == TOGGLE.verb and shown.kind == Kind.MULTIPLE and value[0] < len(shown.options):
            option = shown.options[value[0]].id
            picked = [o for o in taking.picked if o != option]
            if option not in taking.picked:
                picked.append(option)
            return [self._ask(ctx, survey, replace(taking, picked=picked))]
        if verb == DONE.verb and shown.kind == Kind.MULTIPLE:
            ticks = [option.id for option in shown.options if option.id in taking.picked]
            return await self._answer(ctx, survey, taking, ticks or None)
        if verb == BACK.verb:
            earlier = state.previous(survey, taking)
            if earlier is None:
                return await self._list(ctx)
            return [self._ask(ctx, survey, state.open_at(taking, earlier))]
        raise StaleAction(verb)

    # ---------------------------------------------------------------- the survey itself

    async def _list(self, ctx: Context) -> list[Reply]:
        """The surveys open to the person today that they have not answered yet."""
        ctx.goto(self.name, state.LIST)
        available = await self.openings.available(ctx.session, ctx.person, _today(ctx))
        fresh = await self.openings.untaken(ctx.session, ctx.person, available)
        return [views.survey_list(ctx.locale, fresh, len(available) - len(fresh))]

    async def _open(self, ctx: Context, survey_id: str) -> list[Reply]:
        survey = self.surveys.get(survey_id)
        available = await self.openings.available(ctx.session, ctx.person, _today(ctx))
        if survey is None or survey not in available:
            raise StaleAction(survey_id)
        if await has_taken(ctx.session, self.openings.key(survey, ctx.person)):
            ctx.goto(self.name, state.LIST)
            return [views.finished(ctx.locale, "survey-taken")]
        return [views.intro(ctx.locale, survey), self._ask(ctx, survey, state.start(survey))]

    def _ask(self, ctx: Context, survey: Survey, taking: Taking) -> Reply:
        ctx.goto(self.name, state.ASK, taking.to_dict())
        shown = state.on_screen(survey, taking)
        assert shown is not None
        n, total = state.counter(survey, taking)
        return views.question(ctx.locale, survey, shown, taking, n, total)

    def _resume(self, ctx: Context, survey: Survey, taking: Taking) -> Reply:
        ctx.goto(self.name, state.RESUME, taking.to_dict())
        return views.resume(ctx.locale, survey, *state.counter(survey, taking))

    async def _answer(
        self, ctx: Context, survey: Survey, taking: Taking, value: Value
    ) -> list[Reply]:
        answered, following = state.answer(survey, taking, value)
        if following is not None:
            return [self._ask(ctx, survey, state.open_at(answered, following))]
        stored = await submit(
            ctx.session,
            key=self.openings.key(survey, ctx.person),
            survey=survey.id,
            service=survey.service,
            touchpoint=survey.touchpoint,
            channel=ctx.person.channel,
            answers=state.final(survey, answered),
            on=_today(ctx),
            names=await self.names(ctx.session, ctx.person.id),
        )
        ctx.goto(MENU)
        return [views.finished(ctx.locale, "survey-thanks" if stored else "survey-taken")]

    def _taking(self, ctx: Context) -> tuple[Survey, Taking] | None:
        """The survey half answered, if the conversation holds one its file still fits."""
        if ctx.conversation.feature != self.name or ctx.conversation.step not in (
            state.ASK,
            state.RESUME,
        ):
            return None
        taking = Taking.from_dict(ctx.conversation.data)
        survey = self.surveys.get(taking.survey) if taking is not None else None
        if survey is None or taking is None or state.on_screen(survey, taking) is None:
            return None
        return survey, taking

    def _current(self, ctx: Context, survey_id: str) -> tuple[Survey, Taking]:
        """The survey half answered, if a button names it; StaleAction otherwise."""
        found = self._taking(ctx)
        if found is None or found[0].id != survey_id:
            raise StaleAction(survey_id)
        return found

    @staticmethod
    def _after_break(ctx: Context) -> bool:
        return ctx.now - ctx.conversation.updated_at > BREAK


def _pressed(shown: Question, position: int) -> Value:
    """The answer a score or option button stands for; StaleAction for one the question has not."""
    if shown.kind in SCALES and position in SCALES[shown.kind]:
        return position
    if shown.kind == Kind.SINGLE and position < len(shown.options):
        return shown.options[position].id
    raise StaleAction(str(position))


def _typed(shown: Question, typed: str) -> Value | None:
    """A score or a single choice typed instead of pressed; None for anything else (a
    multiple choice is ticked with its buttons)."""
    if shown.kind in SCALES:
        number = typed.rstrip(" .!")
        return int(number) if number.isdigit() and int(number) in SCALES[shown.kind] else None
    if shown.kind == Kind.SINGLE:
        said = typed.casefold().rstrip(" .!")
        return next(
            (o.id for o in shown.options if said in map(str.casefold, o.text.names())), None
        )
    return None


def _today(ctx: Context) -> date:
    return ctx.now.astimezone(ctx.settings.tz).date()
