""" "Как получить услугу": choose a service, answer the routing questions, walk the personal
route step by step.

The person's place lives in the conversation row (step + data), so a restart resumes it, and
in `scenario_places`, so leaving for another section and coming back can resume it too.
Every button carries the ids it acts on and is checked against that saved place: a stale or
forged one raises StaleAction and gets the engine's polite answer. Telegram strips the
keyboard of a pressed message, so every reply carries the buttons needed to go on.
"""

from collections.abc import Sequence
from typing import Any

from bot.core import ratings, texts
from bot.core.actions import Action, StaleAction, integer, word
from bot.core.feature import MENU, Context, Feature, go
from bot.core.invitations import InviteToSurvey
from bot.core.messages import Button, Reply, buttons
from bot.core.ratings import Rating, RecordRating, Touchpoint, scenario_stage
from scenarios.places import Place, forget_place, save_place, saved_place
from scenarios.render import match_typed, step_text, summary_text
from scenarios.schema import Question, Route, Service

# Values of conversation.step while this feature owns the conversation.
CHOOSE = "choose"  # the list of services
ASK = "ask"  # a routing question; data: service, asked (question ids, the last one is open)
WALK = "walk"  # a route step; data: service, asked, route, step (index), rated
RESUME = "resume"  # "continue from step N?"; data: service, route, step

# Exits that leave the scenario: (button text key, feature opened with go:<feature>).
EXITS = {
    "booking": ("scenario-exit-booking", "booking"),
    "question": ("scenario-exit-question", "faq"),
    "human": ("scenario-exit-human", "ticket"),
}
SCORES = tuple(str(value) for value in ratings.SCORES)  # the buttons' labels


LIST = Action("scenario", "list")
SERVICE = Action("scenario", "svc", word)
ANSWER = Action("scenario", "ans", word, word, word)  # service, question, choice
ASK_AGAIN = Action("scenario", "ask", word, word)  # service, an earlier question
# A route step's buttons: service, route, step index.
STEP = Action("scenario", "step", word, word, integer)
ALL = Action("scenario", "all", word, word, integer)
DONE = Action("scenario", "done", word, word, integer)
RATE = Action("scenario", "rate", word, word, integer)
SCORE = Action("scenario", "score", word, word, integer, ratings.score)
ON_STEP = {action.verb: action for action in (STEP, ALL, DONE, RATE, SCORE)}
# Typed answers to "continue from step N?" besides the button texts themselves.
TYPED_CONTINUE = ["продолжить", "да", "continue", "yes"]
TYPED_START_OVER = ["заново", "сначала", "start over"]
TYPED_NEXT = ["дальше", "вперед", "next"]


def _names(key: str) -> list[str]:
    """A button's text in every language: typing either one works."""
    return [texts.text(locale, key) for locale in texts.LOCALES]


class ScenarioWalk(Feature):
    name = "scenario"

    def routes(self) -> set[str]:
        return {target for _, target in EXITS.values()}

    def __init__(
        self, services: Sequence[Service], rate: RecordRating, invite: InviteToSurvey
    ) -> None:
        self.services = {service.id: service for service in services}
        self.rate = rate
        self.invite = invite

    # ---------------------------------------------------------------- entering, typed text

    async def enter(self, ctx: Context) -> list[Reply]:
        place = await saved_place(ctx.session, ctx.person.id)
        found = self._resolve(place) if place is not None else None
        if place is None or found is None:
            return self._service_list(ctx)
        service, route = found
        data = {"service": service.id, "route": route.id, "step": place.step}
        ctx.goto(self.name, RESUME, data)
        text = ctx.t(
            "scenario-resume-offer",
            service=service.title.get(ctx.locale),
            route=route.title.get(ctx.locale),
            n=place.step + 1,
            total=len(route.steps),
            step=route.steps[place.step].title.get(ctx.locale),
        )
        start_over = ctx.button("scenario-start-over", LIST.pack())
        resume = self._resume_button(ctx, service, route, place.step)
        return [Reply(text, buttons(resume, start_over, ctx.menu_button()))]

    async def on_text(self, ctx: Context, text: str) -> list[Reply]:
        state, data = ctx.conversation.step, ctx.conversation.data
        service = self.services.get(data.get("service", ""))
        route = service.route(data.get("route", "")) if service is not None else None
        if state == CHOOSE:
            services = list(self.services.values())
            picked = match_typed(text, [s.title.names() for s in services], numbers=True)
            if picked is not None:
                return self._ask(ctx, services[picked], [services[picked].questions[0].id])
        elif state == ASK and service is not None:
            question = service.question(data["asked"][-1])
            options = [choice.label.names() for choice in question.choices] if question else []
            picked = match_typed(text, options, numbers=True)
            if question is not None and picked is not None:
                return await self._answer(ctx, service, question, question.choices[picked].id)
        elif state == WALK and service is not None and route is not None:
            replies = await self._typed_in_walk(ctx, service, route, text)
            if replies:
                return replies
        elif state == RESUME and service is not None and route is not None:
            options = [TYPED_CONTINUE, [*_names("scenario-start-over"), *TYPED_START_OVER]]
            picked = match_typed(text, options)
            if picked == 0:
                return await self._show(ctx, service, route, data["step"], [])
            if picked == 1:
                return self._service_list(ctx)
        return [Reply(ctx.t("scenario-pick-button")), *await self.repeat(ctx)]

    async def _typed_in_walk(
        self, ctx: Context, service: Service, route: Route, text: str
    ) -> list[Reply]:
        data = ctx.conversation.data
        index, last = data["step"], data["step"] == len(route.steps) - 1
        forward = _names("scenario-done") if last else [*_names("button-next"), *TYPED_NEXT]
        options = [_names("button-back"), forward, _names("scenario-whole-route")]
        picked = match_typed(text, options)
        if picked == 0:
            if index == 0:
                return self._ask(ctx, service, data["asked"])
            return await self._show(ctx, service, route, index - 1, data["asked"])
        if picked == 1:
            if last:
                return await self._finish(ctx, service, route)
            return await self._show(ctx, service, route, index + 1, data["asked"])
        if picked == 2:
            return [self._summary(ctx, service, route, index)]
        return []

    async def repeat(self, ctx: Context) -> list[Reply]:
        """The open question or step again, after an answer that matched no button."""
        state, data = ctx.conversation.step, ctx.conversation.data
        service = self.services.get(data.get("service", ""))
        route = service.route(data.get("route", "")) if service is not None else None
        if state == ASK and service is not None:
            return self._ask(ctx, service, data["asked"])
        if state == WALK and service is not None and route is not None:
            return [self._step_reply(ctx, service, route, data)]
        return await self.enter(ctx) if state == RESUME else self._service_list(ctx)

    # ---------------------------------------------------------------- buttons

    async def on_action(self, ctx: Context, verb: str, args: list[str]) -> list[Reply]:
        if ctx.conversation.feature != self.name:
            raise StaleAction(verb)
        state, data = ctx.conversation.step, ctx.conversation.data
        if verb == LIST.verb:
            LIST.unpack(args)
            return self._service_list(ctx)
        if verb == SERVICE.verb and state == CHOOSE:
            (service_id,) = SERVICE.unpack(args)
            if service_id not in self.services:
                raise StaleAction(verb)
            service = self.services[service_id]
            return self._ask(ctx, service, [service.questions[0].id])
        if verb in ON_STEP:
            return await self._on_step_action(ctx, ON_STEP[verb], args)
        if verb == ANSWER.verb and state == ASK:
            service_id, question_id, choice_id = ANSWER.unpack(args)
            service = self._current(data, service_id)
            question = service.question(question_id)
            if question is None or question_id != data["asked"][-1]:
                raise StaleAction(verb)
            return await self._answer(ctx, service, question, choice_id)
        if verb == ASK_AGAIN.verb and state in (ASK, WALK):
            service_id, question_id = ASK_AGAIN.unpack(args)
            service = self._current(data, service_id)
            asked = data["asked"]
            if question_id not in asked:
                raise StaleAction(verb)
            return self._ask(ctx, service, asked[: asked.index(question_id) + 1])
        raise StaleAction(verb)

    def _current(self, data: dict[str, Any], service_id: str) -> Service:
        """The service the person is in; StaleAction for a button of another one."""
        service = self.services.get(service_id)
        if service is None or service_id != data.get("service"):
            raise StaleAction(service_id)
        return service

    async def _on_step_action(self, ctx: Context, action: Action, args: list[str]) -> list[Reply]:
        """Buttons of a route step: service, route, then the step index (and a score)."""
        state, data = ctx.conversation.step, ctx.conversation.data
        if state != WALK and not (state == RESUME and action is STEP):
            raise StaleAction(action.verb)
        service_id, route_id, index, *score = action.unpack(args)
        if route_id != data["route"]:
            raise StaleAction(action.verb)
        service = self._current(data, service_id)
        route = service.route(route_id)
        if route is None or index >= len(route.steps):
            raise StaleAction(action.verb)
        if action is STEP:
            return await self._show(ctx, service, route, index, data.get("asked", []))
        # The rest act on the step on screen only.
        if index != data["step"]:
            raise StaleAction(action.verb)
        if action is ALL:
            return [self._summary(ctx, service, route, index)]
        if action is DONE:
            if index != len(route.steps) - 1:
                raise StaleAction(action.verb)
            return await self._finish(ctx, service, route)
        if "rate" not in route.steps[index].exits:
            raise StaleAction(action.verb)
        if action is RATE:
            return [self._rate_prompt(ctx, service, route)]
        return [await self._score(ctx, service, route, score[0])]

    # ---------------------------------------------------------------- the walk itself

    def _service_list(self, ctx: Context) -> list[Reply]:
        ctx.goto(self.name, CHOOSE)
        choices = [
            Button(service.title.get(ctx.locale), SERVICE.pack(service.id))
            for service in self.services.values()
        ]
        return [Reply(ctx.t("scenario-choose-service"), buttons(*choices, ctx.menu_button()))]

    def _ask(self, ctx: Context, service: Service, asked: list[str]) -> list[Reply]:
        ctx.goto(self.name, ASK, {"service": service.id, "asked": asked})
        question = service.question(asked[-1])
        if question is None:  # content changed under a saved conversation
            return self._service_list(ctx)
        choices = [
            Button(
                choice.label.get(ctx.locale),
                ANSWER.pack(service.id, question.id, choice.id),
            )
            for choice in question.choices
        ]
        back = ASK_AGAIN.pack(service.id, asked[-2]) if len(asked) > 1 else LIST.pack()
        text = question.text.get(ctx.locale)
        if len(asked) == 1:
            text = f"{service.title.get(ctx.locale)}\n\n{text}"
        rows = [*choices, Button(ctx.t("button-back"), back), ctx.menu_button()]
        return [Reply(text, buttons(*rows))]

    async def _answer(
        self, ctx: Context, service: Service, question: Question, choice_id: str
    ) -> list[Reply]:
        choice = next((c for c in question.choices if c.id == choice_id), None)
        if choice is None:
            raise StaleAction(choice_id)
        asked = ctx.conversation.data["asked"]
        if choice.next is not None:
            return self._ask(ctx, service, [*asked, choice.next])
        route = service.route(choice.route or "")
        if route is None:  # the schema checks every route; this keeps the type checker honest
            raise StaleAction(choice_id)
        return await self._show(ctx, service, route, 0, asked)

    async def _show(
        self, ctx: Context, service: Service, route: Route, index: int, asked: list[str]
    ) -> list[Reply]:
        """Open a step. Each opening is a new visit of the step, which may be rated once."""
        data = {
            "service": service.id,
            # After a resume the answers are not known; Back then asks the first question.
            "asked": asked or [service.questions[0].id],
            "route": route.id,
            "step": index,
            "rated": False,
        }
        ctx.goto(self.name, WALK, data)
        await save_place(ctx.session, ctx.person.id, Place(service.id, route.id, index))
        ctx.log("scenario.step", f"{service.id}:{route.id}:{index + 1}")
        return [self._step_reply(ctx, service, route, data)]

    def _step_reply(
        self, ctx: Context, service: Service, route: Route, data: dict[str, Any]
    ) -> Reply:
        text = step_text(ctx, service, route, data["step"])
        return Reply(text, self._step_buttons(ctx, service, route, data))

    def _step_buttons(
        self, ctx: Context, service: Service, route: Route, data: dict[str, Any]
    ) -> tuple[tuple[Button, ...], ...]:
        step = route.steps[data["step"]]
        rows: list[list[Button] | Button] = [self._nav_row(ctx, service, route, data)]
        rows += [ctx.button(EXITS[e][0], go(EXITS[e][1])) for e in step.exits if e in EXITS]
        here = (service.id, route.id, data["step"])
        if "rate" in step.exits and not data["rated"]:
            rows.append(ctx.button("scenario-rate", RATE.pack(*here)))
        rows.append(ctx.button("scenario-whole-route", ALL.pack(*here)))
        rows.append(ctx.menu_button())
        return buttons(*rows)

    def _nav_row(
        self, ctx: Context, service: Service, route: Route, data: dict[str, Any]
    ) -> list[Button]:
        index = data["step"]
        if index == 0:  # Back from the first step asks again the question that chose the route
            back = ASK_AGAIN.pack(service.id, data["asked"][-1])
        else:
            back = STEP.pack(service.id, route.id, index - 1)
        if index == len(route.steps) - 1:
            forward = ctx.button("scenario-done", DONE.pack(service.id, route.id, index))
        else:
            forward = ctx.button("button-next", STEP.pack(service.id, route.id, index + 1))
        return [Button(ctx.t("button-back"), back), forward]

    def _resume_button(self, ctx: Context, service: Service, route: Route, index: int) -> Button:
        return ctx.button("scenario-resume", STEP.pack(service.id, route.id, index), n=index + 1)

    def _summary(self, ctx: Context, service: Service, route: Route, index: int) -> Reply:
        back = self._resume_button(ctx, service, route, index)
        return Reply(summary_text(ctx, service, route), buttons(back, ctx.menu_button()))

    def _rate_prompt(self, ctx: Context, service: Service, route: Route) -> Reply:
        data = ctx.conversation.data
        if data["rated"]:
            return self._rated_already(ctx, service, route)
        index = data["step"]
        scores = [
            Button(score, SCORE.pack(service.id, route.id, index, score)) for score in SCORES
        ]
        return Reply(ctx.t("scenario-rate-ask"), buttons(scores))

    async def _score(self, ctx: Context, service: Service, route: Route, score: int) -> Reply:
        data = ctx.conversation.data
        if data["rated"]:
            return self._rated_already(ctx, service, route)
        # Once per visit of a step: a double tap does not count twice, and nothing is kept
        # that ties a person to their past ratings. The score goes only to the anonymous
        # table, never to the interaction log.
        stage = scenario_stage(route.id, route.steps[data["step"]].id)
        office_day = ctx.now.astimezone(ctx.settings.tz).date()
        channel = ctx.person.channel
        rating = Rating(service.id, Touchpoint.MESSENGER, channel, stage, score, office_day)
        await self.rate(ctx.session, rating)
        data = {**data, "rated": True}
        ctx.goto(self.name, WALK, data)
        return Reply(ctx.t("scenario-rate-thanks"), self._step_buttons(ctx, service, route, data))

    def _rated_already(self, ctx: Context, service: Service, route: Route) -> Reply:
        rows = self._step_buttons(ctx, service, route, ctx.conversation.data)
        return Reply(ctx.t("scenario-rated-already"), rows)

    async def _finish(self, ctx: Context, service: Service, route: Route) -> list[Reply]:
        await forget_place(ctx.session, ctx.person.id)
        ctx.log("scenario.done", f"{service.id}:{route.id}")
        ctx.goto(MENU)
        rows = (
            ctx.button("scenario-exit-question", go("faq")),
            ctx.button("scenario-other-service", go(self.name)),
            ctx.menu_button(),
        )
        finished = Reply(ctx.t("scenario-finished"), buttons(*rows))
        invitation = await self.invite(ctx.session, ctx.person, ctx.now)
        return [finished] if invitation is None else [finished, invitation]

    def _resolve(self, place: Place) -> tuple[Service, Route] | None:
        """The saved place if the content still has it (files may have changed since)."""
        service = self.services.get(place.service)
        route = service.route(place.route) if service is not None else None
        if service is None or route is None or place.step >= len(route.steps):
            return None
        return service, route
